"""Batches over many documents: sources to read, a resumable JSONL run, flat tables.

The core never imports it; `extract-many` and the service's worker do.
"""
