"""Requests built directly as model rows, with need to know granted as the services do."""

import datetime
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from agreements.models import Legislation
from requests_app.access import grant_on_create, grant_on_decision, grant_on_submit
from requests_app.models import (
    ConsentObtained,
    Decision,
    DeliveryMethod,
    InformationRequest,
    NamedPerson,
    Outcome,
    PersonRole,
    Status,
)
from tests.world import World

LONDON = ZoneInfo("Europe/London")
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
PDFINFO = shutil.which("pdfinfo") or "/usr/bin/pdfinfo"


def pdf_text(pdf: bytes, tmp_path: Path, *, layout: bool = True) -> str:
    """The PDF read back through poppler's ``pdftotext``.

    ``-layout`` keeps each line as printed (a label beside its value and tick boxes);
    without it, text comes in reading order, so a label that wraps inside its cell stays in
    one piece.
    """
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        [PDFTOTEXT, *(["-layout"] if layout else []), "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    return [page for page in pdf_text(pdf, tmp_path).split("\f") if page.strip()]


def pdf_info(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    source = tmp_path / "info.pdf"
    source.write_bytes(pdf)
    result = subprocess.run([PDFINFO, str(source)], capture_output=True, check=True, text=True)
    info = {}
    for line in result.stdout.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def squash(text: str) -> str:
    """Text without whitespace, so a label that wraps at any point still matches."""
    return "".join(text.split())


def missing_labels(labels: list[str], pdf: bytes, tmp_path: Path) -> list[str]:
    text = squash(pdf_text(pdf, tmp_path, layout=False))
    return [label for label in labels if squash(label) not in text]


@pytest.fixture
def make_request(world: World) -> Callable[..., InformationRequest]:
    def make(*, people: int = 2, decided: bool = False, **fields: Any) -> InformationRequest:
        values: dict[str, Any] = {
            "reference": "ISP-2026-00042",
            "status": Status.SUBMITTED,
            "requester": world.requester,
            "requesting_agency": world.council,
            "target_agency": world.police,
            "requester_name": "Rita Requester",
            "requester_position": "Community Safety Officer",
            "requester_organisation": "London Borough of Haringey / Community Safety",
            "requester_address": "River Park House, 225 High Road, London N22 8HQ",
            "requester_phone": "020 8489 0000",
            "requester_email": "rita.requester@haringey.gov.uk",
            "description": "Previous convictions relevant to a tenancy enforcement case.",
            "required_by": datetime.date(2026, 3, 20),
            "is_urgent": True,
            "urgency_reason": "Court hearing on 21 March",
            "consent_obtained": ConsentObtained.NO,
            "public_interest": True,
            "public_interest_reason": "Risk of harm to neighbours",
            "legislation_other": "Localism Act 2011 s1",
            "declaration_name": "Rita Requester",
            "submitted_at": datetime.datetime(2026, 3, 2, 10, 30, tzinfo=LONDON),
        }
        values.update(fields)
        req = InformationRequest.objects.create(**values)
        req.legislation.set(Legislation.objects.filter(code__in=["cda-s17", "housing-s84"]))
        roles = list(PersonRole)
        for index in range(people):
            NamedPerson.objects.create(
                request=req,
                full_name=f"Person Number{index + 1:02d}",
                address=f"{index + 1} Example Road, London N17",
                date_of_birth=datetime.date(1980, 1, 1) + datetime.timedelta(days=index),
                role=roles[index % len(roles)],
                position=index,
            )
        grant_on_create(req)
        grant_on_submit(req)
        if decided:
            decide(req, world)
        return req

    return make


def decide(req: InformationRequest, world: World, **fields: Any) -> Decision:
    values: dict[str, Any] = {
        "request": req,
        "outcome": Outcome.DISCLOSED,
        "summary": "Previous convictions, for a tenancy enforcement case",
        "reasons": "Necessary and proportionate",
        "information_attached": True,
        "information_disclosed": "Two convictions for criminal damage, 2019 and 2021.",
        "discloser": world.discloser,
        "disclosed_by_name": "Dan Discloser",
        "disclosed_by_position": "Detective Sergeant",
        "disclosed_by_organisation": "Metropolitan Police Service",
        "disclosed_by_department": "Public Protection Unit",
        "disclosed_by_address": "Tottenham Police Station, 398 High Road, London N17 9JA",
        "disclosed_by_phone": "020 7230 1212",
        "disclosed_by_email": "dan.discloser@met.police.uk",
        "disclosed_to_name": "Rita Requester",
        "disclosed_to_organisation": "London Borough of Haringey / Community Safety",
        "disclosed_to_phone": "020 8489 0000",
        "delivery_method": DeliveryMethod.SECURE_EMAIL,
        "marking": "OFFICIAL-SENSITIVE",
        "consent_basis": "public_interest",
        "subject_informed": "not_applicable",
        "authorised_by": "Inspector Ivy",
        "evidence": "PNC record",
        "signature_name": "Dan Discloser",
        "signed_at": datetime.datetime(2026, 3, 9, 15, 0, tzinfo=LONDON),
        "supplied_on": datetime.date(2026, 3, 10),
    }
    values.update(fields)
    decision = Decision.objects.create(**values)
    req.received_on = datetime.date(2026, 3, 3)
    req.status = Status.DISCLOSED if decision.disclosure_agreed else Status.DECLINED
    req.decided_at = decision.signed_at
    req.save(update_fields=["received_on", "status", "decided_at"])
    grant_on_decision(req)
    return decision
