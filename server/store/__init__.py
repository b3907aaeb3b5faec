"""Tables, the database engine, repositories and migrations."""
