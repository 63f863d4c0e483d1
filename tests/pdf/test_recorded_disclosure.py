"""The printed record of a disclosure made without a request, read back with pdftotext:
every field of its Appendix G record, the occasion, recipient, agreement, legislation and
the checklist as ticked; downloading it is audited and follows need to know."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from agreements.forms import CHECKLIST
from audit.models import AuditEvent, EventType
from tests.agreements.conftest import make_agreement  # noqa: F401  (fixture)
from tests.pdf.conftest import pdf_text
from tests.requests_app.conftest import agreement  # noqa: F401  (fixture)
from tests.requests_app.recorded import SUMMARY, make_recorded
from tests.world import World

pytestmark = pytest.mark.django_db


def _download(world: World, name: str, pk: int):
    client = Client()
    client.force_login(world.users[name])
    return client.get(reverse("requests:recorded_pdf", args=[pk]))


def test_the_printed_record_holds_every_field(world: World, agreement, tmp_path: Path) -> None:
    recorded = make_recorded(world, agreement)
    response = _download(world, "discloser", recorded.pk)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(b"".join(response.streaming_content)
                             if response.streaming else response.content,
                             tmp_path, layout=False).split())  # fmt: skip
    for expected in (
        recorded.reference,
        "Decided at a multi-agency meeting",
        "London Borough of Haringey",
        agreement.reference,
        "Crime and Disorder Act 1998",
        "(a) Date and time of the decision",
        SUMMARY,
        "(c) Shared with (name, organisation) Sam Officer, watch manager",
        "Without consent: public interest",
        "Informing would put a neighbour at risk.",
        "Inspector Stone, MARAC chair",
        "Offending history, Living arrangements",
        "In person",
        "CAD 4411",
        "OFFICIAL-SENSITIVE",
        *[question.split("?")[0] for _key, question in CHECKLIST],
        "☒ Considered",
    ):
        assert expected in text, expected
    assert AuditEvent.objects.filter(
        event_type=EventType.PDF_DOWNLOADED, details__recorded=recorded.reference
    ).exists()


def test_only_the_agencys_officers_print_it(world: World, agreement) -> None:
    recorded = make_recorded(world, agreement)
    for name in ("csp_lead", "council_spoc", "requester", "police_dlo"):
        assert _download(world, name, recorded.pk).status_code == 404, name
    assert _download(world, "police_deputy", recorded.pk).status_code == 200
