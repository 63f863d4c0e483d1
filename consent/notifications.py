"""Emails about withdrawn consent. They hold the request reference and a link, never a name
or any content (ISP 9.4), and go only after the transaction commits."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

from accounts.models import Role, User
from accounts.selectors import agency_role_holders
from consent.models import NoticeKind, WithdrawalNotice


def _recipients(notice: WithdrawalNotice) -> Iterable[User]:
    request = notice.request
    yield request.requester
    for role in (Role.DISCLOSING_OFFICER, Role.SPOC):
        yield from agency_role_holders(agency=request.target_agency, role=role)


def on_withdrawn(notices: Iterable[WithdrawalNotice]) -> None:
    messages = []
    for notice in notices:
        reference = notice.request.reference or "a request"
        link = settings.SITE_URL + reverse("requests:detail", args=[notice.request_id])
        action = (
            "Consider this before the decision."
            if notice.kind == NoticeKind.OPEN
            else "The disclosing agency should review what was shared."
        )
        subject = f"ISP Portal: consent relied on by {reference} has been withdrawn"
        body = (
            f"Consent relied on by {reference} has been withdrawn. {action}\n\n"
            f"Sign in to the ISP Portal to see it:\n{link}\n\n"
            "This email deliberately holds no personal information. Do not reply with any."
        )
        addresses = sorted({u.email for u in _recipients(notice) if u.email and u.is_active})
        messages += [(subject, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in addresses]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
