"""Capacity: instances and their concurrency slots, a FIFO backlog per endpoint, expiry, metrics."""
