"""Query-count helpers shared by the tests that pin exact numbers."""

from django.db import connection


def audit_lock_queries() -> int:
    """On PostgreSQL, appending to the audit chain first takes an advisory lock: one query
    more for every audit event a page writes."""
    return 1 if connection.vendor == "postgresql" else 0
