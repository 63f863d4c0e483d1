"""My work: what waits for an officer, across all their roles, on their home page.

Each app answers for its own objects in its ``waiting`` module, from the selectors its own
pages use, so need to know is defined once, where it lives; this module, on the top floor
(the only one allowed to import every app, ``oversight`` included), puts the answers
together in the order an officer works through them, and records what was shown.
"""

from collections.abc import Callable

from django.http import HttpRequest

import agreements.waiting
import consent.waiting
import oversight.waiting
import requests_app.waiting
import rights.waiting
from accounts.models import User
from audit.models import EventType
from audit.services import audit_record
from isp_portal.worklist import WorkList

SOURCES: tuple[Callable[[User], list[WorkList]], ...] = (
    requests_app.waiting.waiting_for,
    consent.waiting.waiting_for,
    oversight.waiting.waiting_for,
    rights.waiting.waiting_for,
    agreements.waiting.waiting_for,
)


def my_work(user: User) -> list[WorkList]:
    """Every list of work this officer's roles give them, in the order of ``SOURCES``."""
    if not user.is_authenticated or not user.is_active:
        return []
    return [work for source in SOURCES for work in source(user)]


def record_shown(work: list[WorkList], http_request: HttpRequest) -> None:
    """Record the home page's lists as any list page is recorded: which list, how many rows
    and the references shown (never a name)."""
    shown = [item.reference for lst in work for item in lst.items]
    if not shown:
        return
    audit_record(
        event_type=EventType.LIST_VIEWED,
        http_request=http_request,
        details={
            "list": "home:my_work",
            "filters": {},
            "page": 1,
            "rows": len(shown),
            "shown": shown,
            "counts": {lst.key: lst.count for lst in work},
        },
    )
