"""Faults for any boto3 client: throttling, 5xx, lost connections; retry pauses on the clock."""
