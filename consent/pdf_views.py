"""The consent form (ISP Appendix B) of a consent record, printed."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from accounts.signed_in import signed_in_user
from audit.models import EventType
from consent.models import ConsentRecord
from consent.selectors import get_consent_for
from isp_portal.access import Read
from isp_portal.pdf import pdf_response, render_pdf

CONSENT_FORM_TITLE = "Consent Form"
CONSENT_FORM_DOWNLOADED = Read(EventType.PDF_DOWNLOADED, lambda obj: {"document": "consent_form"})


def consent_form_context(consent: ConsentRecord | None) -> dict[str, Any]:
    """What ``pdf/consent_form.html`` needs; ``None`` gives the blank form for paper use."""
    if consent is None:
        return {"consent": None, "form": {}}
    subject = {
        "name": consent.subject_name,
        "address": consent.subject_address,
        "date_of_birth": consent.subject_date_of_birth,
    }
    signer = {
        "name": consent.signer_name,
        "address": consent.signer_address,
        "date_of_birth": consent.signer_date_of_birth,
    }
    acting_as = consent.get_signer_capacity_display() if consent.signer_capacity else ""
    if consent.signer_capacity_other:
        acting_as = f"{acting_as}: {consent.signer_capacity_other}"
    return {
        "consent": consent,
        "form": {
            "about_self_yes": consent.about_signer,
            "about_self_no": not consent.about_signer,
            "about": {} if consent.about_signer else subject,
            "acting_as": "" if consent.about_signer else acting_as,
            "reasons_explained_yes": consent.reasons_explained is True,
            "reasons_explained_no": consent.reasons_explained is False,
            "you": signer if signer["name"] or not consent.about_signer else subject,
        },
    }


def render_consent_form(consent: ConsentRecord, *, printed_by: Any) -> bytes:
    return render_pdf(
        template_name="pdf/consent_form.html",
        context=consent_form_context(consent),
        marking=consent.given_to_agency.default_marking,
        reference=consent.requesting_officer_ref or f"Consent record {consent.pk}",
        printed_by=printed_by,
        title=CONSENT_FORM_TITLE,
    )


@login_required
def consent_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_consent_for(
        signed_in_user(request),
        pk,
        http_request=request,
        read=CONSENT_FORM_DOWNLOADED,
    )
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    pdf = render_consent_form(consent, printed_by=signed_in_user(request))
    return pdf_response(pdf, f"consent-record-{consent.pk}.pdf")
