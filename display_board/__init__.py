"""The hall and window boards' pages: templates and static files (their routes are
server/web/boards.py)."""
