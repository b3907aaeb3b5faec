"""Tables, the database engine, one module of queries per noun (halls, queues, windows,
tickets, events, accounts, catalogue, ratings, print jobs, devices …), and migrations."""
