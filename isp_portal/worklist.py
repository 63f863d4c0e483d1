"""What "My work" on the home page is made of: each app answers, in its own ``waiting``
module, "what waits for this officer" with lists of this shape; ``isp_portal.my_work``, on
the top floor, puts them together. Plumbing, so every floor may use it."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Window

# How many of each kind the home page names, oldest first; the rest are a link away.
SHOWN = 5


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting: named by its reference (never a person), with a link to where it
    is done, since when it has waited, and a note (a due date, a deadline)."""

    reference: str
    url: str
    since: datetime.datetime | datetime.date | None
    note: str = ""
    late: bool = False


@dataclass(frozen=True)
class WorkList:
    """One kind of work, for one officer: how many wait, and the oldest of them."""

    key: str
    title: str
    count: int
    items: list[WorkItem] = field(default_factory=list)
    url: str = ""
    link_text: str = ""


def oldest_and_count(queryset: QuerySet[Any], limit: int = SHOWN) -> tuple[int, list[Any]]:
    """The first ``limit`` rows of an ordered queryset and how many rows it has in all, in
    one query: each row carries the total, counted by a window over the whole result."""
    rows = list(queryset.annotate(work_total=Window(Count("pk")))[:limit])
    return (rows[0].work_total if rows else 0), rows
