"""The job store's Alembic migrations (`migrate.py` runs them)."""
