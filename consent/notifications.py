"""Emails about withdrawn consent. They hold the request reference and a link, never a name
or any content (ISP 9.4), and are enqueued in the change's transaction (isp_portal.mail)."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from accounts.models import Role, User
from accounts.selectors import agency_role_holders
from consent.models import NoticeKind, WithdrawalNotice
from isp_portal.mail import notify


def _recipients(notice: WithdrawalNotice) -> Iterable[User]:
    request = notice.request
    yield request.requester
    for role in (Role.DISCLOSING_OFFICER, Role.SPOC):
        yield from agency_role_holders(agency=request.target_agency, role=role)


def on_withdrawn(notices: Iterable[WithdrawalNotice]) -> None:
    for notice in notices:
        reference = notice.request.reference or "a request"
        link = settings.SITE_URL + reverse("requests:detail", args=[notice.request_id])
        action = (
            "Consider this before the decision."
            if notice.kind == NoticeKind.OPEN
            else "The disclosing agency should review what was shared."
        )
        notify(
            recipients=_recipients(notice),
            subject=f"consent relied on by {reference} has been withdrawn",
            message=f"Consent relied on by {reference} has been withdrawn. {action}",
            link=link,
        )
