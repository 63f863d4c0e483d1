"""Emails about agreements: the reference and a link, nothing else, enqueued in the change's
transaction (isp_portal.mail)."""

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse

from accounts.models import Agency, Role, User
from agreements.models import Agreement
from isp_portal.mail import notify


def _link(agreement: Agreement) -> str:
    return settings.SITE_URL + reverse("agreements:detail", args=[agreement.pk])


def _holders(agencies: Iterable[Agency], roles: Iterable[str]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, roles__agency__in=list(agencies), roles__role__in=list(roles)
        ).distinct()
    )


def _send(agreement: Agreement, recipients: Iterable[User], what: str) -> None:
    label = f"{agreement.reference} version {agreement.version_label}"
    notify(
        recipients=recipients,
        subject=f"agreement {label} {what}",
        message=f"Agreement {label} {what}.",
        link=_link(agreement),
    )


def _parties(agreement: Agreement) -> list[Agency]:
    return list(agreement.parties.all())


def on_sent_for_signature(agreement: Agreement, agencies: Iterable[Agency] | None = None) -> None:
    targets = _parties(agreement) if agencies is None else agencies
    _send(agreement, _holders(targets, [Role.SIGNATORY]), "is waiting for your agency's signature")


def on_activated(agreement: Agreement) -> None:
    _send(agreement, _holders(_parties(agreement), [Role.SPOC, Role.SIGNATORY]), "is now active")


def on_review_overdue(agreement: Agreement) -> None:
    """The lead officer (the lead agency's SPOC and deputy) and the CSP leads."""
    lead = [agreement.lead_agency] if agreement.lead_agency is not None else []
    csp_leads = User.objects.filter(is_active=True, roles__role=Role.CSP_LEAD).distinct()
    recipients = {*_holders(lead, [Role.SPOC, Role.DEPUTY_SPOC]), *csp_leads}
    _send(
        agreement,
        sorted(recipients, key=lambda u: u.pk),
        "is past its review date: sharing under it continues, but it must be reviewed",
    )


def on_review_due(agreement: Agreement, days: int) -> None:
    _send(
        agreement,
        _holders(_parties(agreement), [Role.SPOC]),
        f"is due for review in {days} day{'s' if days != 1 else ''}",
    )


def on_terminated(agreement: Agreement) -> None:
    _send(
        agreement,
        _holders(_parties(agreement), [Role.SPOC, Role.DEPUTY_SPOC, Role.SIGNATORY]),
        "has been terminated",
    )


def on_join_applied(agreement: Agreement) -> None:
    admins = User.objects.filter(is_active=True, roles__role=Role.ADMINISTRATOR).distinct()
    _send(agreement, admins, "has an application from a new party to join")


def on_join_decided(agreement: Agreement, agency: Agency, approved: bool) -> None:
    what = "has accepted your agency as a party" if approved else "has refused your application"
    _send(agreement, _holders([agency], [Role.SPOC, Role.SIGNATORY]), what)
