"""Where consent records are used: on the requests that name a person and link their consent.

Requests sit a floor above consent (docs/architecture.md): a request relies on a consent
record, so consent does not import requests. The two things consent needs to know about them
the requests app registers here once, at start-up (``requests_app.apps``):

- which requests a person may see: a consent record is seen by whoever may see a request
  that uses it, so need to know for requests stays defined once, in requests_app;
- which open or decided requests rely on a record: a withdrawal must reach each of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from accounts.models import User
from consent.models import ConsentRecord


@dataclass(frozen=True)
class LiveUse:
    """An open or decided request that relies on a consent record, and the places on it of
    the people whose consent it is ("Person 2 (witness)"), never their names."""

    request: Any
    person_labels: list[str]
    is_open: bool


VisibleTo = Callable[[User], QuerySet[Any]]
LiveUses = Callable[[ConsentRecord], list[LiveUse]]

_visible_to: VisibleTo | None = None
_live_uses: LiveUses | None = None


def register(*, visible_to: VisibleTo, live_uses: LiveUses) -> None:
    global _visible_to, _live_uses
    _visible_to, _live_uses = visible_to, live_uses


def _registered[T](hook: T | None) -> T:
    if hook is None:
        raise ImproperlyConfigured("The requests app registers how consent reaches requests.")
    return hook


def requests_visible_to(user: User) -> QuerySet[Any]:
    return _registered(_visible_to)(user)


def live_uses(consent: ConsentRecord) -> list[LiveUse]:
    return _registered(_live_uses)(consent)
