"""Emails about requests. They hold the reference and a link, never a name or any content
(ISP 9.4), and are enqueued in the change's transaction (isp_portal.mail): a rolled-back
change sends nothing."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from accounts.models import Role, User
from accounts.selectors import agency_role_holders
from isp_portal.mail import notify
from requests_app.models import InformationRequest


def _link(request: InformationRequest) -> str:
    return settings.SITE_URL + reverse("requests:detail", args=[request.pk])


def _send(request: InformationRequest, recipients: Iterable[User], what: str) -> None:
    reference = request.reference or "a draft request"
    notify(
        recipients=recipients,
        subject=f"{reference} {what}",
        message=f"{reference} {what}.",
        link=_link(request),
    )


def _target_team(request: InformationRequest) -> list[User]:
    agency = request.target_agency
    return [
        *agency_role_holders(agency=agency, role=Role.DISCLOSING_OFFICER),
        *agency_role_holders(agency=agency, role=Role.SPOC),
    ]


def on_submitted(request: InformationRequest) -> None:
    _send(request, _target_team(request), "has been made to your agency")


def on_clarification_asked(request: InformationRequest) -> None:
    _send(request, [request.requester], "needs clarification from you")


def on_clarification_answered(request: InformationRequest) -> None:
    _send(request, _target_team(request), "has been clarified by the requester")


def on_referred(request: InformationRequest, manager: User) -> None:
    _send(request, [manager], "has been referred to you for advice")


def on_advice_given(request: InformationRequest) -> None:
    _send(request, _target_team(request), "has advice from the designated manager")


def on_decided(request: InformationRequest) -> None:
    _send(request, [request.requester], "has been decided")


def on_withdrawn(request: InformationRequest) -> None:
    _send(request, _target_team(request), "has been withdrawn by the requester")


def on_returned(request: InformationRequest) -> None:
    dlos = agency_role_holders(agency=request.target_agency, role=Role.DLO)
    _send(request, dlos, "has information returned for destruction")


def on_onward_asked(request: InformationRequest) -> None:
    dlos = agency_role_holders(agency=request.target_agency, role=Role.DLO)
    _send(request, dlos, "has a request to share information with a third party")


def on_onward_answered(request: InformationRequest) -> None:
    _send(request, [request.requester], "has an answer about onward sharing")


def on_message(request: InformationRequest, *, to_disclosing_side: bool) -> None:
    """A new message on the thread, to the other side: the requester; or the officer the
    request is assigned to, else the agency's disclosing officers and SPOC."""
    if not to_disclosing_side:
        recipients = [request.requester]
    elif request.assigned_to is not None:
        recipients = [request.assigned_to]
    else:
        recipients = _target_team(request)
    _send(request, recipients, "has a new message")


def remind(request: InformationRequest, recipients: Iterable[User], what: str) -> None:
    """A reminder from the daily job (``requests_app.reminders``)."""
    _send(request, recipients, what)
