"""The printable Request/Disclosure and consent forms (ISP Appendix B), filled in or blank."""

from itertools import groupby
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import ProtectiveMarking, User
from agreements.models import Legislation
from audit.models import EventType
from audit.services import audit_record
from isp_portal.pdf import pdf_response, render_pdf
from requests_app.models import (
    ConsentObtained,
    Decision,
    DeliveryMethod,
    InformationRequest,
    Outcome,
    PersonRole,
)
from requests_app.selectors import get_request_for

REQUEST_FORM_TITLE = "Request/Disclosure Form"
CONSENT_FORM_TITLE = "Consent Form"

# The paper form's delivery boxes; the portal's own methods are ticked as "Other".
_DELIVERY_BOXES = [
    ("Post", DeliveryMethod.POST),
    ("Email", DeliveryMethod.SECURE_EMAIL),
    ("Fax", DeliveryMethod.FAX),
]


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _legislation_groups(chosen: set[int]) -> list[dict[str, Any]]:
    """The form's tick boxes, in the form's order, grouped by act."""
    rows = Legislation.objects.filter(on_request_form=True).order_by("order", "pk")
    return [
        {
            "act": act,
            "items": [{"provision": law.provision, "ticked": law.pk in chosen} for law in laws],
        }
        for act, laws in groupby(rows, key=lambda law: law.act)
    ]


def _role_boxes(role: str | None) -> list[tuple[str, bool]]:
    return [(label, value == role) for value, label in PersonRole.choices]


def _delivery_boxes(decision: Decision | None) -> tuple[list[tuple[str, bool]], str]:
    method = decision.delivery_method if decision else None
    boxes = [(label, method == value) for label, value in _DELIVERY_BOXES]
    is_other = method in {DeliveryMethod.OTHER, DeliveryMethod.PORTAL}
    boxes.append(("Other", is_other))
    if method == DeliveryMethod.OTHER:
        other = decision.delivery_other if decision else ""
    elif method == DeliveryMethod.PORTAL:
        other = DeliveryMethod.PORTAL.label
    else:
        other = ""
    return boxes, other


def request_form_context(req: InformationRequest | None) -> dict[str, Any]:
    """What ``pdf/request_form.html`` needs; ``None`` gives the blank form for paper use."""
    if req is None:
        decision = None
        people: list[dict[str, Any]] = [{"obj": None, "role_boxes": _role_boxes(None)}]
        chosen: set[int] = set()
    else:
        decision = Decision.objects.filter(request=req).first()
        people = [
            {"obj": person, "role_boxes": _role_boxes(person.role)} for person in req.people.all()
        ] or [{"obj": None, "role_boxes": _role_boxes(None)}]
        chosen = set(req.legislation.values_list("pk", flat=True))
    delivery_boxes, delivery_other = _delivery_boxes(decision)
    consent = req.consent_obtained if req else None
    public_interest = req.public_interest if req else None
    return {
        "req": req,
        "decision": decision,
        "people": people,
        "legislation_groups": _legislation_groups(chosen),
        "consent_yes": consent == ConsentObtained.YES,
        "consent_no": consent == ConsentObtained.NO,
        "consent_na": consent == ConsentObtained.NOT_APPLICABLE,
        "public_interest_yes": public_interest is True,
        "public_interest_no": public_interest is False,
        "disclosure_declined": bool(decision and decision.outcome == Outcome.DECLINED),
        "information_not_attached": bool(decision and not decision.information_attached),
        "delivery_boxes": delivery_boxes,
        "delivery_other": delivery_other,
    }


def request_form_marking(req: InformationRequest, decision: Decision | None) -> str:
    """The disclosing agency's marking: the decision's once decided, its default before."""
    return decision.marking if decision else req.target_agency.default_marking


def render_request_form(req: InformationRequest, *, printed_by: Any) -> bytes:
    context = request_form_context(req)
    return render_pdf(
        template_name="pdf/request_form.html",
        context=context,
        marking=request_form_marking(req, context["decision"]),
        reference=req.reference or "",
        printed_by=printed_by,
        title=REQUEST_FORM_TITLE,
    )


def _blank_marking(user: User) -> str:
    agency = getattr(user, "agency", None)
    marking = agency.default_marking if agency else ProtectiveMarking.OFFICIAL_SENSITIVE
    return f"{marking} when complete"


@login_required
@require_GET
def request_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_request_for(_user(request), pk, http_request=request)
    pdf = render_request_form(req, printed_by=_user(request))
    audit_record(
        event_type=EventType.PDF_DOWNLOADED,
        actor=_user(request),
        http_request=request,
        obj=req,
        request_reference=req.reference or "",
        details={"document": "request_form"},
    )
    name = req.reference or f"draft-request-{req.pk}"
    return pdf_response(pdf, f"{name}-request-disclosure-form.pdf")


@login_required
@require_GET
def blank_request_form(request: HttpRequest) -> HttpResponse:
    pdf = render_pdf(
        template_name="pdf/request_form.html",
        context=request_form_context(None),
        marking=_blank_marking(_user(request)),
        reference="",
        printed_by=_user(request),
        title=REQUEST_FORM_TITLE,
    )
    return pdf_response(pdf, "blank-request-disclosure-form.pdf")


def _display(obj: Any, field: str) -> str:
    getter = getattr(obj, f"get_{field}_display", None)
    return str(getter()) if getter else str(getattr(obj, field, "") or "")


def consent_form_context(consent: Any = None) -> dict[str, Any]:
    """What ``pdf/consent_form.html`` needs, from a ``consent.ConsentRecord``; ``None`` gives
    the blank form for paper use.

    The paper form's fields the record does not hold (yet) print blank: the optional
    attributes below are read when the consent model has them.
    """
    if consent is None:
        return {"consent": None, "form": {}}
    about_self = getattr(consent, "about_self", None)
    subject = {
        "name": consent.subject_name,
        "address": getattr(consent, "subject_address", ""),
        "date_of_birth": consent.subject_date_of_birth,
    }
    consenter = {
        "name": getattr(consent, "consenter_name", ""),
        "address": getattr(consent, "consenter_address", ""),
        "date_of_birth": getattr(consent, "consenter_date_of_birth", None),
    }
    witness = consent.recorded_by
    return {
        "consent": consent,
        "form": {
            "requesting_ref": getattr(consent, "requesting_officer_ref", ""),
            "disclosing_ref": getattr(consent, "disclosing_officer_ref", ""),
            "about_self_yes": about_self is True,
            "about_self_no": about_self is False,
            "about": subject if about_self is False else {},
            "acting_as": _display(consent, "acting_as"),
            "reasons_explained_yes": getattr(consent, "reasons_explained", None) is True,
            "reasons_explained_no": getattr(consent, "reasons_explained", None) is False,
            "you": consenter if about_self is False else subject,
            "given_to": consent.given_to_agency.name,
            "purposes": consent.purposes,
            "status": consent.get_status_display(),
            "signed_on": getattr(consent, "signed_on", None) or consent.recorded_at,
            "witness_name": witness.get_full_name() or witness.username,
            "witness_position": getattr(witness, "position", ""),
            "witnessed_on": consent.recorded_at,
        },
    }


def render_consent_form(consent: Any, *, printed_by: Any, reference: str = "") -> bytes:
    """The consent form filled from a consent record. The consent app's view checks need to
    know, audits the download and calls this."""
    return render_pdf(
        template_name="pdf/consent_form.html",
        context=consent_form_context(consent),
        marking=consent.given_to_agency.default_marking,
        reference=reference or f"Consent record {consent.pk}",
        printed_by=printed_by,
        title=CONSENT_FORM_TITLE,
    )


@login_required
@require_GET
def blank_consent_form(request: HttpRequest) -> HttpResponse:
    pdf = render_pdf(
        template_name="pdf/consent_form.html",
        context=consent_form_context(None),
        marking=_blank_marking(_user(request)),
        reference="",
        printed_by=_user(request),
        title=CONSENT_FORM_TITLE,
    )
    return pdf_response(pdf, "blank-consent-form.pdf")


@login_required
@require_GET
def blank_forms(request: HttpRequest) -> HttpResponse:
    return render(request, "pdf/blank_forms.html")
