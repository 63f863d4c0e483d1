"""The consent form (ISP Appendix B), blank for paper use and filled from a consent record."""

import datetime
from pathlib import Path

import pytest

from consent.models import ConsentRecord, ConsentStatus, ObtainedBy, SignerCapacity
from consent.pdf_views import consent_form_context, render_consent_form
from isp_portal.pdf import render_pdf
from tests.pdf import labels
from tests.pdf.conftest import missing_labels, pdf_pages, pdf_text
from tests.world import World

pytestmark = pytest.mark.django_db


def _consent(world: World, **fields: object) -> ConsentRecord:
    values: dict[str, object] = {
        "status": ConsentStatus.GIVEN,
        "requesting_officer_ref": "LBH-CS-77",
        "disclosing_officer_ref": "MPS-PPU-12",
        "subject_name": "Sam Subject",
        "subject_address": "4 Example Road, London N17",
        "subject_date_of_birth": datetime.date(2015, 6, 1),
        "about_signer": False,
        "signer_capacity": SignerCapacity.PARENT,
        "reasons_explained": True,
        "obtained_by": ObtainedBy.IN_PERSON,
        "given_to_agency": world.police,
        "disclose_to_agency": world.council,
        "purposes": "Assessing risk to the family under the tenancy case",
        "signer_name": "Pat Parent",
        "signer_address": "4 Example Road, London N17",
        "signer_date_of_birth": datetime.date(1985, 2, 3),
        "signed_on": datetime.date(2026, 3, 1),
        "witness_name": "Rita Requester",
        "witness_position": "Community Safety Officer",
        "witnessed_on": datetime.date(2026, 3, 1),
        "recorded_by": world.requester,
    }
    values.update(fields)
    return ConsentRecord.objects.create(**values)


def test_blank_consent_form_has_every_label_of_the_paper_form(world: World, tmp_path: Path) -> None:
    pdf = render_pdf(
        template_name="pdf/consent_form.html",
        context=consent_form_context(None),
        marking="OFFICIAL-SENSITIVE when complete",
        reference="",
        printed_by=world.requester,
        title="Consent Form",
    )
    assert missing_labels(labels.CONSENT, pdf, tmp_path) == []
    assert "☒" not in pdf_text(pdf, tmp_path)


def test_consent_form_prints_the_record(world: World, tmp_path: Path) -> None:
    consent = _consent(world)
    pdf = render_consent_form(consent, printed_by=world.requester)
    text = pdf_text(pdf, tmp_path)

    lines = text.splitlines()
    # The paper form: "I give: <holder> consent to disclose to: <recipient>".
    assert "Metropolitan Police Service" in next(line for line in lines if "I give:" in line)
    assert "London Borough of Haringey" in next(
        line for line in lines if "consent to disclose to:" in line
    )
    for value in [
        "LBH-CS-77",
        "MPS-PPU-12",
        "Sam Subject",
        "01/06/2015",
        "Parent",
        "Pat Parent",
        "03/02/1985",
        "Metropolitan Police Service",
        "Assessing risk to the family under the tenancy case",
        "Community Safety Officer",
        "Consent status: Given",
        "In person",
    ]:
        assert value in text, value
    about = next(line for line in text.splitlines() if "Is this information about you?" in line)
    assert "Yes ☐" in about
    assert "No ☒" in about
    for page in pdf_pages(pdf, tmp_path):
        assert page.count("OFFICIAL-SENSITIVE") >= 2
        assert "Reference: LBH-CS-77" in page


def test_withdrawn_consent_says_so(world: World, tmp_path: Path) -> None:
    consent = _consent(
        world,
        status=ConsentStatus.WITHDRAWN,
        withdrawn_at=datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC),
    )
    text = pdf_text(render_consent_form(consent, printed_by=world.requester), tmp_path)
    assert "Consent status: Withdrawn (withdrawn 02/04/2026)" in text
