"""The printable Request/Disclosure and consent forms (ISP Appendix B), filled in or blank."""

from itertools import groupby
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import ProtectiveMarking, User
from accounts.signed_in import signed_in_user
from agreements.forms import checklist_summary
from agreements.models import Legislation
from audit.models import EventType
from consent.pdf_views import CONSENT_FORM_TITLE, consent_form_context
from isp_portal.access import Read
from isp_portal.pdf import pdf_response, render_pdf
from requests_app import permissions
from requests_app.models import (
    ConsentObtained,
    Decision,
    DeliveryMethod,
    InformationRequest,
    Outcome,
    PersonRole,
)
from requests_app.selectors import (
    appendix_g_record,
    get_request_for,
    information_disclosed_text,
    visible_attachments,
)

REQUEST_FORM_TITLE = "Request/Disclosure Form"

# The paper form's delivery boxes; the portal's own methods are ticked as "Other".
_DELIVERY_BOXES = [
    ("Post", DeliveryMethod.POST),
    ("Email", DeliveryMethod.SECURE_EMAIL),
    ("Fax", DeliveryMethod.FAX),
]


def _downloaded(document: str) -> Read:
    return Read(EventType.PDF_DOWNLOADED, lambda obj: {"document": document})


def _legislation_groups(chosen: set[int]) -> list[dict[str, Any]]:
    """The form's tick boxes, in the form's order, grouped by act, two to a row as on the
    paper form."""
    laws = Legislation.objects.filter(on_request_form=True).order_by("order", "pk")
    groups = []
    for act, in_act in groupby(laws, key=lambda law: law.act):
        items = [{"provision": law.provision, "ticked": law.pk in chosen} for law in in_act]
        groups.append({"act": act, "rows": [items[i : i + 2] for i in range(0, len(items), 2)]})
    return groups


def _role_boxes(role: str | None) -> list[tuple[str, bool]]:
    return [(label, value == role) for value, label in PersonRole.choices]


def _delivery_boxes(decision: Decision | None) -> tuple[list[tuple[str, bool]], str]:
    method = decision.delivery_method if decision else None
    boxes = [(label, method == value) for label, value in _DELIVERY_BOXES]
    # The paper form has boxes for post, email and fax; any other way ticks "Other" and
    # says which.
    is_other = method is not None and not any(ticked for _, ticked in boxes)
    boxes.append(("Other", is_other))
    if method == DeliveryMethod.OTHER:
        other = decision.delivery_other if decision else ""
    elif is_other:
        other = DeliveryMethod(method or DeliveryMethod.OTHER).label
    else:
        other = ""
    return boxes, other


def request_form_context(
    req: InformationRequest | None, *, viewer: User | None = None
) -> dict[str, Any]:
    """What ``pdf/request_form.html`` needs: what ``viewer`` sees of ``req`` at its stage
    (``permissions.SEES``), as on the request page. ``None`` gives the blank form for
    paper use."""
    information_disclosed = ""
    record: list[tuple[str, str]] = []
    checklist: list[tuple[str, str]] = []
    attachments: list[Any] = []
    if req is None:
        decision = None
        people: list[dict[str, Any]] = [{"obj": None, "role_boxes": _role_boxes(None)}]
        chosen: set[int] = set()
    else:
        parts = permissions.visible_parts(viewer, req) if viewer is not None else frozenset()
        decision = (
            Decision.objects.filter(request=req).first()
            if permissions.Part.DECISION in parts
            else None
        )
        if decision is not None:
            information_disclosed = information_disclosed_text(
                req, decision, sees_content=permissions.Part.DISCLOSED_CONTENT in parts
            )
            record = appendix_g_record(req, decision)
            checklist = checklist_summary(decision.checklist)
        attachments = visible_attachments(req, parts)
        named = req.people.all() if permissions.Part.PEOPLE in parts else []
        people = [{"obj": person, "role_boxes": _role_boxes(person.role)} for person in named] or [
            {"obj": None, "role_boxes": _role_boxes(None)}
        ]
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
        "information_disclosed": information_disclosed,
        "delivery_boxes": delivery_boxes,
        "delivery_other": delivery_other,
        "appendix_g": record,
        "checklist": checklist,
        "attachments": attachments,
    }


def request_form_marking(req: InformationRequest, decision: Decision | None) -> str:
    """The disclosing agency's marking: the decision's once decided, its default before."""
    return decision.marking if decision else req.target_agency.default_marking


def render_request_form(req: InformationRequest, *, printed_by: Any) -> bytes:
    context = request_form_context(req, viewer=printed_by)
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
def request_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_request_for(
        signed_in_user(request), pk, http_request=request, read=_downloaded("request_form")
    )
    if request.method != "GET":  # after need to know, so a 405 reveals nothing
        return HttpResponseNotAllowed(["GET"])
    pdf = render_request_form(req, printed_by=signed_in_user(request))
    name = req.reference or f"draft-request-{req.pk}"
    return pdf_response(pdf, f"{name}-request-disclosure-form.pdf")


@login_required
@require_GET
def blank_request_form(request: HttpRequest) -> HttpResponse:
    pdf = render_pdf(
        template_name="pdf/request_form.html",
        context=request_form_context(None),
        marking=_blank_marking(signed_in_user(request)),
        reference="",
        printed_by=signed_in_user(request),
        title=REQUEST_FORM_TITLE,
    )
    return pdf_response(pdf, "blank-request-disclosure-form.pdf")


@login_required
@require_GET
def blank_consent_form(request: HttpRequest) -> HttpResponse:
    pdf = render_pdf(
        template_name="pdf/consent_form.html",
        context=consent_form_context(None),
        marking=_blank_marking(signed_in_user(request)),
        reference="",
        printed_by=signed_in_user(request),
        title=CONSENT_FORM_TITLE,
    )
    return pdf_response(pdf, "blank-consent-form.pdf")


@login_required
@require_GET
def blank_forms(request: HttpRequest) -> HttpResponse:
    return render(request, "pdf/blank_forms.html")
