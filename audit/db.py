"""What the portal's database role may do with the audit table, beyond its triggers.

The triggers (migrations 0002, 0006 and 0011) refuse every UPDATE, DELETE and TRUNCATE on
the events and their chain links, and only the tables' owner or a superuser can switch them
off. On PostgreSQL the portal runs as a role that is neither (docs/security.md, the audit
log), and after every ``migrate`` this module takes from every role but the owner any right
over the two audit tables beyond reading and inserting, and any right to move the events'
id sequence. Default privileges that gave the
portal's role everything on new tables therefore never reach the audit table.
"""

from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

# Every grantee but the owner loses the table rights that change or remove rows, or attach
# triggers, and UPDATE on the sequence (setval); PUBLIC is grantee 0.
_RESTRICT = """
DO $$
DECLARE
    grant_row record;
BEGIN
    IF to_regclass('audit_auditevent') IS NULL THEN
        RETURN;
    END IF;
    FOR grant_row IN
        SELECT DISTINCT c.oid::regclass AS object, c.relkind,
               CASE WHEN a.grantee = 0 THEN 'PUBLIC'
                    ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS who
        FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.oid IN (
                'audit_auditevent'::regclass,
                pg_get_serial_sequence('audit_auditevent', 'id')::regclass,
                to_regclass('audit_chainlink')
            )
          AND a.grantee <> c.relowner
          AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER')
    LOOP
        IF grant_row.relkind = 'S' THEN
            EXECUTE format('REVOKE UPDATE ON SEQUENCE %s FROM %s', grant_row.object, grant_row.who);
        ELSE
            EXECUTE format(
                'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE %s FROM %s',
                grant_row.object, grant_row.who
            );
        END IF;
    END LOOP;
END
$$;
"""


def restrict_privileges(connection: BaseDatabaseWrapper) -> None:
    """Leave every role but the owner at most SELECT and INSERT on the audit tables."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(_RESTRICT)


def restrict_after_migrate(sender: object, using: str, **kwargs: Any) -> None:
    """post_migrate receiver: grants made since (GRANT ... ON ALL TABLES) are undone."""
    restrict_privileges(connections[using])
