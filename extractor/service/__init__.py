"""The HTTP service: FastAPI over the library, jobs in a SQL store, a background worker.

Optional (the `service` extra); the library core never imports it.
"""
