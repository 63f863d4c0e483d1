"""Who records a disclosure made without a request, and who reads one: one condition each.

The officers who decide on requests to their agency (its disclosing officers, SPOC and
deputy, as the inbox's roles) record and read their own agency's. CSP leads and
administrators read them only in the decision register, depersonalised as every row there.
"""

from accounts.models import Role, User

RECORDING_ROLES = frozenset({Role.DISCLOSING_OFFICER, Role.SPOC, Role.DEPUTY_SPOC})


def can_record(user: User) -> bool:
    if not user.is_active or user.agency_id is None:
        return False
    return bool(RECORDING_ROLES & user.role_set)
