"""Use cases: load -> engine -> save; the unit of work commits; then events are published."""
