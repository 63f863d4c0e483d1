"""Need to know, as django-guardian object permissions.

A request is visible to the people working on it and nobody else (ISP 4.4, 7f, 9.9):
- the requester (a user permission);
- the SPOC and deputy of the requester's agency (group permissions);
- once submitted, the disclosing officers, SPOC and deputy of the target agency;
- a designated manager it was referred to (a user permission);
- after the decision, the DLO of the disclosing agency.

Groups are per agency and role (``accounts.services.role_group``), so officers who join,
change role or leave gain and lose access without touching any request.
"""

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from accounts.models import Role, User
from accounts.services import role_group
from requests_app.models import InformationRequest

PERMISSION = "requests_app.see_request"


def _grant_groups(request: InformationRequest, groups: list[Group]) -> None:
    for group in groups:
        assign_perm(PERMISSION, group, request)


def grant_on_create(request: InformationRequest) -> None:
    assign_perm(PERMISSION, request.requester, request)
    agency = request.requesting_agency
    _grant_groups(
        request,
        [
            role_group(agency=agency, role=Role.SPOC),
            role_group(agency=agency, role=Role.DEPUTY_SPOC),
        ],
    )


def grant_on_submit(request: InformationRequest) -> None:
    agency = request.target_agency
    _grant_groups(
        request,
        [
            role_group(agency=agency, role=Role.DISCLOSING_OFFICER),
            role_group(agency=agency, role=Role.SPOC),
            role_group(agency=agency, role=Role.DEPUTY_SPOC),
        ],
    )


def grant_on_referral(request: InformationRequest, manager: User) -> None:
    assign_perm(PERMISSION, manager, request)


def grant_on_decision(request: InformationRequest) -> None:
    _grant_groups(request, [role_group(agency=request.target_agency, role=Role.DLO)])
