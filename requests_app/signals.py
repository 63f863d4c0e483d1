"""What the requests app announces to the floors above it. Each is sent inside the
transaction that made the change, so what a receiver writes commits or rolls back with it.

Both are sent with ``request``, ``destroyed`` (kinds and counts, never content), ``actor``
and ``http_request``; the retention app records each as a disposal (retention/receivers.py).
"""

from django.dispatch import Signal

# The DLO confirmed destruction: the disclosed text and files are gone.
disclosed_content_destroyed = Signal()

# Nothing was disclosed (declined or withdrawn): the draft decision files are gone.
draft_files_discarded = Signal()
