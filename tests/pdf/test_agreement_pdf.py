"""The agreement prints with its content, each party's lawful bases, the change log and a
signature block with each signature's date and hash."""

import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import AgreementStatus
from audit.models import AuditEvent, EventType
from tests.agreements.conftest import make_agreement  # noqa: F401  (shared fixture)
from tests.http import body_of
from tests.world import World

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_agreement_pdf_holds_content_bases_changes_and_signatures(
    world: World,
    make_agreement,
    client: Client,
    tmp_path,
) -> None:
    agreement = make_agreement(AgreementStatus.ACTIVE)
    client.force_login(world.police_signatory)
    response = client.get(reverse("agreements:pdf", args=[agreement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(body_of(response), tmp_path)
    flat = " ".join(text.split())
    assert agreement.title in flat
    assert "Preventing and reducing crime and disorder" in flat
    assert "Parties, their duties and lawful bases" in flat
    assert "Change log" in flat
    for signature in agreement.signatures.all():
        assert signature.content_hash[:16] in flat.replace(" ", "")
        assert signature.name.replace(" ", "") in flat.replace(" ", "")
    assert "Page 1 of" in flat
    assert AuditEvent.objects.filter(
        event_type=EventType.PDF_DOWNLOADED, details__document="agreement"
    ).exists()


def test_outsider_gets_404_for_a_draft_agreement_pdf(
    world: World,
    make_agreement,
    client: Client,
) -> None:
    draft = make_agreement(AgreementStatus.DRAFT)
    client.force_login(world.outsider)
    assert client.get(reverse("agreements:pdf", args=[draft.pk])).status_code == 404
