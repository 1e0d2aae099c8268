"""`make chaos`: faults done to the portal's own PostgreSQL, Redis and Celery workers (docs/reliability.md)."""
