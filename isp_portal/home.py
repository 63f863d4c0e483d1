"""What each person's home page offers, by role."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from accounts.models import Role, User


@dataclass(frozen=True)
class Panel:
    title: str
    text: str
    url: str
    link_text: str


_PANELS: tuple[tuple[frozenset[str], str, str, str, str], ...] = (
    (
        frozenset({Role.REQUESTING_OFFICER}),
        "Request information",
        "Ask a partner agency for information under the protocol (Appendix B, Part A).",
        "requests:create",
        "Start a new request",
    ),
    (
        frozenset({Role.REQUESTING_OFFICER, Role.SPOC, Role.DEPUTY_SPOC}),
        "My requests",
        "Drafts, requests awaiting a decision, and what has been disclosed to you.",
        "requests:mine",
        "View my requests",
    ),
    (
        frozenset({Role.DISCLOSING_OFFICER, Role.SPOC, Role.DEPUTY_SPOC, Role.DLO}),
        "Agency inbox",
        "Requests made to your agency, overdue first, then by due date.",
        "requests:inbox",
        "Open the inbox",
    ),
    (
        frozenset({Role.DESIGNATED_MANAGER}),
        "Referred to me",
        "Requests referred to you because disclosure may breach confidentiality (ISP 4.5).",
        "requests:referred",
        "View referrals",
    ),
    (
        frozenset({Role.REQUESTING_OFFICER}),
        "Consent",
        "Record consent, refusals and decisions not to seek consent (Appendix B consent form).",
        "consent:list",
        "View consent records",
    ),
    (
        frozenset({Role.SIGNATORY, Role.SPOC, Role.ADMINISTRATOR}),
        "Agreements",
        "The protocol and the data sharing agreements under it: sign, review, amend.",
        "agreements:list",
        "View agreements",
    ),
    (
        frozenset({Role.CSP_LEAD, Role.ADMINISTRATOR, Role.SPOC, Role.DEPUTY_SPOC}),
        "Audit and oversight",
        "The Appendix G decision register, figures for the partnership and the access log.",
        "audit:home",
        "Open audit",
    ),
    (
        frozenset({Role.SPOC, Role.DEPUTY_SPOC, Role.ADMINISTRATOR}),
        "Officers",
        "Add officers, change their roles and deactivate leavers.",
        "accounts:officers",
        "Manage officers",
    ),
)


# Panels every officer sees, whatever their roles.
_EVERYONE = (
    (
        "Report a suspected breach",
        "Anything that may have put shared information at risk: the SPOC decides on telling "
        "the ICO within 72 hours.",
        "audit:breach_report",
        "Report a breach",
    ),
    (
        "Paper forms",
        "Blank Request/Disclosure and consent forms to print, for work away from the portal.",
        "requests:blank_forms",
        "Print blank forms",
    ),
)


def home_panels(user: User) -> list[Panel]:
    panels = []
    for roles, title, text, url_name, link_text in _PANELS:
        if not roles & user.role_set:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        panels.append(Panel(title, text, url, link_text))
    for title, text, url_name, link_text in _EVERYONE:
        panels.append(Panel(title, text, reverse(url_name), link_text))
    return panels
