"""Appendix G 9(h) in the ISP 4.7 vocabulary, 9(i) with telephone and in person, and the
decisions recorded before keeping their meaning."""

import importlib

import pytest

from requests_app.forms import DecisionForm
from requests_app.models import DeliveryMethod, InformationType
from tests.audit.conftest import DecisionFactory, InformationRequestFactory
from tests.migrating import migrating
from tests.world import World

MIGRATION = importlib.import_module("requests_app.migrations.0011_information_types_isp_4_7")

ISP_4_7 = [
    "Demographics",
    "Offending history",
    "Living arrangements",
    "Family and personal relationships",
    "Statutory education",
    "Lifestyle and cultural factors",
    "Substance misuse",
    "Emotional and mental health",
    "Perceptions of self",
    "Thinking and behaviour",
    "Attitudes to engagement in relevant activity",
    "Motivation to change",
]


def test_types_are_the_isp_4_7_list_and_other_state() -> None:
    assert InformationType.labels == [*ISP_4_7, "Other (state)"]


def test_how_shared_includes_telephone_and_in_person() -> None:
    assert {"Telephone", "In person"} <= set(DeliveryMethod.labels)


def _form(**data: object) -> DecisionForm:
    form = DecisionForm(data={"outcome": "disclosed", **data})
    form.is_valid()
    return form


@pytest.mark.django_db
def test_other_type_needs_its_text() -> None:
    assert "information_types_other" in _form(information_types=["other"]).errors
    assert (
        "information_types_other"
        not in _form(information_types=["other"], information_types_other="Housing tenancy").errors
    )


@pytest.mark.django_db
def test_other_text_is_not_kept_unless_other_is_ticked() -> None:
    # The box is revealed by ticking Other: text left in it after Other is unticked is
    # hidden from the officer, so it is dropped rather than recorded (GOV.UK conditional
    # reveal).
    form = _form(information_types=["demographics"], information_types_other="Housing")
    form.is_valid()
    assert "information_types_other" not in form.errors
    assert form.cleaned_data["information_types_other"] == ""


@pytest.mark.parametrize(
    ("old", "codes", "other"),
    [
        (["offending_history", "family"], ["offending_history", "family"], ""),
        (["education"], ["other"], "Education, training and employment"),
        (
            ["risk", "demographics", "lifestyle", "other"],
            ["demographics", "other"],
            "Risk of harm; Lifestyle; Other",
        ),
        (["a_code_from_nowhere"], ["other"], "a_code_from_nowhere"),
        ([], [], ""),
    ],
)
def test_old_types_map_to_isp_4_7_losing_nothing(
    old: list[str], codes: list[str], other: str
) -> None:
    assert MIGRATION.isp_types(old) == (codes, other)


@pytest.mark.django_db(transaction=True)
def test_migration_moves_existing_decisions_to_isp_4_7(world: World) -> None:
    request = InformationRequestFactory.create(
        requester=world.requester, requesting_agency=world.council, target_agency=world.police
    )
    decision = DecisionFactory.create(request=request, discloser=world.discloser)
    with migrating("requests_app", "0010_bound_text_lengths", "0011_information_types_isp_4_7") as (
        old,
        forward,
    ):
        old.get_model("requests_app", "Decision").objects.filter(pk=decision.pk).update(
            information_types=["living_arrangements", "attitudes"]
        )
        migrated = forward().get_model("requests_app", "Decision").objects.get(pk=decision.pk)
    assert migrated.information_types == ["living_arrangements", "other"]
    assert migrated.information_types_other == "Attitudes to offending"
