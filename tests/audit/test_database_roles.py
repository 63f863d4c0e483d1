"""On PostgreSQL the portal runs as a role that may only insert and read audit events and
their chain links.

The role here is set up as docs/security.md sets up the portal's role, with the careless
extra of every right on every table and sequence, as an operator who granted too much
would leave it: ``migrate`` takes back what the audit table must not give.
"""

from collections.abc import Iterator

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from psycopg2.errors import InsufficientPrivilege

from audit import services
from audit.models import AuditEvent, ChainLink, EventType
from audit.sequencer import chain_extend
from audit.verify import verify_chain
from tests.world import World

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PORTAL_ROLE = "audit_portal_app"

ATTEMPTS = [
    "SET isp.audit_maintenance = 'on'; DELETE FROM audit_auditevent",
    "UPDATE audit_auditevent SET actor_username = 'x'",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_delete",
    "DROP TRIGGER audit_event_no_delete ON audit_auditevent",
    "DROP TABLE audit_auditevent CASCADE",
    "ALTER TABLE audit_auditevent RENAME TO audit_auditevent_old",
    "ALTER TABLE audit_auditevent ALTER COLUMN id RESTART WITH 1",
    "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), 1)",
    "ALTER SEQUENCE audit_auditevent_id_seq RESTART WITH 1",
    "SET session_replication_role = replica",
    "CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS "
    "$$ BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
    "DROP FUNCTION audit_event_refuse_change() CASCADE",
    "CREATE FUNCTION public.let_through() RETURNS trigger AS "
    "$$ BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
    "CREATE FUNCTION pg_temp.let_through() RETURNS trigger AS "
    "$$ BEGIN RETURN OLD; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER let_through BEFORE INSERT ON audit_auditevent "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
    "ALTER TABLE audit_auditevent OWNER TO audit_portal_app",
    "UPDATE audit_chainlink SET hash = 'x'",
    "DELETE FROM audit_chainlink",
    "TRUNCATE audit_chainlink",
    "ALTER TABLE audit_chainlink DISABLE TRIGGER USER",
    "DROP TRIGGER audit_chainlink_no_delete ON audit_chainlink",
    "DROP TABLE audit_chainlink CASCADE",
    "ALTER TABLE audit_chainlink OWNER TO audit_portal_app",
]


@pytest.fixture
def portal_role(transactional_db: None) -> Iterator[str]:
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    database = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PORTAL_ROLE}') "
            f"THEN CREATE ROLE {PORTAL_ROLE} LOGIN; END IF; END $$"
        )
        cursor.execute(f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {PORTAL_ROLE}")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {PORTAL_ROLE}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {PORTAL_ROLE}")
    call_command("migrate", verbosity=0)
    yield PORTAL_ROLE
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(f"DROP OWNED BY {PORTAL_ROLE}")
        cursor.execute(f"GRANT TEMPORARY ON DATABASE {database} TO PUBLIC")


def _connect_as(role: str) -> "psycopg2.extensions.connection":
    settings = connection.settings_dict
    attacker = psycopg2.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, dbname=settings["NAME"], user=role
    )
    attacker.autocommit = True
    return attacker


def test_portal_role_can_neither_change_the_log_nor_switch_its_protection_off(
    world: World, portal_role: str
) -> None:
    events = [services.audit_record(event_type=EventType.SIGN_IN) for _ in range(3)]
    allowed = []
    attacker = _connect_as(portal_role)
    try:
        with attacker.cursor() as cursor:
            for sql in ATTEMPTS:
                try:
                    cursor.execute(sql)
                except InsufficientPrivilege:
                    continue
                allowed.append(sql)
    finally:
        attacker.close()
    assert allowed == []
    assert list(AuditEvent.objects.order_by("id")) == events
    assert list(ChainLink.objects.values_list("event_id", flat=True)) == [e.pk for e in events]
    with connection.cursor() as cursor:
        for table in ("audit_auditevent", "audit_chainlink"):
            cursor.execute(
                "SELECT privilege FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', "
                "'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS privilege "
                "WHERE has_table_privilege(%s, %s, privilege)",
                [portal_role, table],
            )
            assert [row[0] for row in cursor.fetchall()] == ["SELECT", "INSERT"]
    assert verify_chain().ok


def test_portal_role_records_and_reads_events(world: World, portal_role: str) -> None:
    client = Client()
    client.force_login(world.csp_lead)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {portal_role}")
    event = services.audit_record(event_type=EventType.SIGN_IN, actor=world.discloser)
    response = client.get(reverse("audit:access_log"))
    assert response.status_code == 200
    assert event in response.context["events"]
    result = verify_chain(workers=1)
    # The newest event is the access log's own "List viewed", chained after the sign-in by
    # the sequencer, run as the portal's role when each committed.
    newest = AuditEvent.objects.latest("id")
    assert newest.event_type == EventType.LIST_VIEWED and newest.pk > event.pk
    assert result.ok and result.last_id == newest.pk and result.pending == 0
    assert chain_extend() == 0
