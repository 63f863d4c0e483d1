"""The service navigation: what each person sees depends on their roles."""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# (label, url name, roles that see it; empty means every officer)
_ITEMS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Home", "home", frozenset()),
    (
        "My requests",
        "requests:mine",
        frozenset({Role.REQUESTING_OFFICER, Role.SPOC, Role.DEPUTY_SPOC}),
    ),
    (
        "Agency inbox",
        "requests:inbox",
        frozenset({Role.DISCLOSING_OFFICER, Role.SPOC, Role.DEPUTY_SPOC, Role.DLO}),
    ),
    ("Referred to me", "requests:referred", frozenset({Role.DESIGNATED_MANAGER})),
    (
        "Recorded without a request",
        "requests:recorded",
        frozenset({Role.DISCLOSING_OFFICER, Role.SPOC, Role.DEPUTY_SPOC}),
    ),
    ("Consents", "consent:list", frozenset({Role.REQUESTING_OFFICER})),
    (
        "Withdrawn consent",
        "consent:withdrawals",
        frozenset({Role.DISCLOSING_OFFICER, Role.SPOC, Role.DEPUTY_SPOC, Role.DLO}),
    ),
    ("Agreements", "agreements:list", frozenset()),
    (
        "Audit",
        "audit:home",
        frozenset({Role.CSP_LEAD, Role.ADMINISTRATOR, Role.SPOC, Role.DEPUTY_SPOC}),
    ),
    ("Data-subject rights", "rights:list", frozenset({Role.SPOC, Role.DEPUTY_SPOC})),
    ("Officers", "accounts:officers", frozenset({Role.SPOC, Role.DEPUTY_SPOC, Role.ADMINISTRATOR})),
    ("API clients", "api_clients:list", frozenset({Role.ADMINISTRATOR})),
)


def navigation_for(user: Any, path: str) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = user.role_set
    items = []
    for label, url_name, needs in _ITEMS:
        if needs and not (needs & roles):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # that part of the portal is not installed
        active = path == url if url == "/" else path.startswith(url)
        items.append(NavItem(label, url, active))
    return items
