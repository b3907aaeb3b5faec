"""A realistic demo hall: queues, service items with guides, windows, staff and devices."""
