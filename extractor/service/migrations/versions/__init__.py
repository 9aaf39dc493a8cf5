"""The job store's migrations, oldest first (each names the one before it)."""
