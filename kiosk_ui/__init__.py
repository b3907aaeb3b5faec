"""The touch query kiosk's page: templates and static files (its routes are server/web/kiosk.py)."""
