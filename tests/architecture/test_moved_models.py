"""The rights, retention and breach models moved to their own apps without touching a row:
the tables keep their names, every row keeps its id, and permissions follow the models."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

# Unapplying the new apps' first migrations takes back the old apps' "forget them here" ones.
UNAPPLY_MOVES = [("rights", None), ("retention", None), ("oversight", None)]
# The last migrations before the move.
BEFORE = [
    ("requests_app", "0011_information_types_isp_4_7"),
    ("audit", "0010_list_viewed_event_type"),
    ("consent", "0005_consent_recipient_required"),
    ("contenttypes", "0002_remove_content_type_name"),
    # Not part of the move and left applied: the state must know its columns.
    ("agreements", "0006_dpia_and_overdue_review"),
]


def _migrate(targets: list, state: list) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(state).apps


def test_moved_models_keep_their_tables_and_rows() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        old = _migrate(UNAPPLY_MOVES, BEFORE)
        Agency = old.get_model("accounts", "Agency")
        User = old.get_model("accounts", "User")
        ContentType = old.get_model("contenttypes", "ContentType")
        police = Agency.objects.create(
            code="MPS", name="Police", kind="police", joined_on=datetime.date(2020, 1, 1)
        )
        spoc = User.objects.create(username="spoc", agency=police)
        now = timezone.now()
        case = old.get_model("requests_app", "RightsCase").objects.create(
            agency=police,
            kind="erase",
            person_name="A Person",
            person_date_of_birth=datetime.date(1990, 1, 1),
            instructions="Erase it",
            created_by=spoc,
            created_at=now,
        )
        agreement = old.get_model("agreements", "Agreement").objects.create(
            title="ASB", reference="ISA-1", tier="isa", lead_agency=police
        )
        breach = old.get_model("audit", "Breach").objects.create(
            agreement=agreement,
            owning_agency=police,
            what_happened="Sent to the wrong inbox",
            discovered_at=now,
            data_affected="Contact details",
            reported_by=spoc,
            reported_at=now,
        )
        consent = old.get_model("consent", "ConsentRecord").objects.create(
            status="given",
            obtained_by="in_person",
            subject_name="A Person",
            purposes="ASB case",
            given_to_agency=police,
            disclose_to_agency=police,
            recorded_by=spoc,
        )
        disposal = old.get_model("requests_app", "DisposalRecord").objects.create(
            consent=consent, destroyed=["consent_scan"], rule="retention_schedule", disposed_at=now
        )
        rights_type = ContentType.objects.get_or_create(
            app_label="requests_app", model="rightscase"
        )
        ContentType.objects.filter(app_label="rights", model="rightscase").delete()

        new = _migrate(latest, latest)

        moved_case = new.get_model("rights", "RightsCase").objects.get(pk=case.pk)
        assert (moved_case.person_name, moved_case.agency_id) == ("A Person", police.pk)
        moved_breach = new.get_model("oversight", "Breach").objects.get(pk=breach.pk)
        assert moved_breach.what_happened == "Sent to the wrong inbox"
        moved_disposal = new.get_model("retention", "DisposalRecord").objects.get(pk=disposal.pk)
        assert moved_disposal.consent_id == consent.pk
        assert (
            new.get_model("contenttypes", "ContentType").objects.get(pk=rights_type[0].pk).app_label
            == "rights"
        )
        tables = set(connection.introspection.table_names())
        assert {
            "requests_app_rightscase",
            "requests_app_rightsmatch",
            "requests_app_rightstask",
            "requests_app_disposalrecord",
            "audit_breach",
        } <= tables
    finally:
        MigrationExecutor(connection).migrate(latest)
