"""Appendix G 9(b): the summary is a short text the disclosing officer writes, pre-filled,
editable, bounded and naming nobody; decisions made before keep their generated one (#17)."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement
from requests_app import rules, services
from requests_app.forms import DecisionForm
from requests_app.models import SUMMARY_LENGTH, Decision, Status
from tests.audit.conftest import DecisionFactory, InformationRequestFactory
from tests.audit.test_register import csv_rows
from tests.migrating import migrating
from tests.requests_app.conftest import SUSPECT, build_request, decision_fields
from tests.world import World

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("requests_app.migrations.0015_decision_summary")


@pytest.mark.parametrize(
    ("summary", "names"),
    [
        ("Convictions of Jordan Example for a tenancy case", True),
        ("what EXAMPLE's neighbours reported", True),
        ("Jordan's history of damage", True),
        ("Recorded criminal damage at an address, for an ASB case", False),
        # A part shorter than three letters is not refused on: it is an ordinary word too.
        ("Incidents at the address", False),
    ],
)
def test_names_in_summary_finds_any_part_of_a_name(summary: str, names: bool) -> None:
    assert rules.names_in_summary(summary, ["Jordan Example", "At Li"]) is names


def test_summary_naming_a_person_is_refused(world: World, agreement: Agreement) -> None:
    req = build_request(world, agreement, Status.UNDER_REVIEW)
    fields = decision_fields(world.discloser, summary="Previous convictions of Jordan Example")
    with pytest.raises(ValidationError) as refused:
        services.request_decide(actor=world.discloser, request=req, fields=fields)
    assert "summary" in refused.value.message_dict
    assert not Decision.objects.filter(request=req).exists()


def test_written_summary_is_recorded_and_in_the_register_csv(
    client: Client, world: World, agreement: Agreement
) -> None:
    req = build_request(world, agreement, Status.UNDER_REVIEW)
    written = "Criminal damage at a council tenancy, for a possession case"
    services.request_decide(
        actor=world.discloser,
        request=req,
        fields=decision_fields(world.discloser, summary=written),
    )
    assert Decision.objects.get(request=req).summary == written
    client.force_login(world.csp_lead)
    header, *rows = csv_rows(client.get(reverse("audit:register_csv")))
    row = dict(zip(header, rows[0], strict=True))
    assert row["Summary of information requested"] == written


def test_decision_form_starts_with_a_summary_naming_only_agencies(
    client: Client, world: World, agreement: Agreement
) -> None:
    req = build_request(world, agreement, Status.UNDER_REVIEW)
    client.force_login(world.discloser)
    html = client.get(reverse("requests:decide_section", args=[req.pk, "record"])).content.decode()
    prefilled = f"{req.reference}: {world.council.code} asked {world.police.code} for information"
    assert f'value="{prefilled}"' in html
    assert not rules.names_in_summary(prefilled, [SUSPECT.full_name])


def test_summary_is_required_and_bounded() -> None:
    assert "summary" in DecisionForm(data={"summary": ""}).errors
    too_long = DecisionForm(data={"summary": "x" * (SUMMARY_LENGTH + 1)})
    assert "summary" in too_long.errors
    assert "summary" not in DecisionForm(data={"summary": "x" * SUMMARY_LENGTH}).errors


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_the_generated_summary_of_earlier_decisions(world: World) -> None:
    request = InformationRequestFactory.create(
        requester=world.requester, requesting_agency=world.council, target_agency=world.police
    )
    decision = DecisionFactory.create(request=request, discloser=world.discloser)
    with migrating("requests_app", "0014_search_indexes", "0015_decision_summary") as (
        old,
        forward,
    ):
        old.get_model("requests_app", "Decision").objects.filter(pk=decision.pk).update(
            information_types=["living_arrangements", "offending_history"]
        )
        migrated = forward().get_model("requests_app", "Decision").objects.get(pk=decision.pk)
    assert migrated.summary == (
        f"{request.reference}: {world.council.code} asked {world.police.code} for "
        "Living arrangements, Offending history"
    )
