"""Demo agencies (ISP Appendix A) and one account per role."""

import datetime

from django.contrib.auth.hashers import make_password

from accounts.models import (
    Agency,
    AgencyKind,
    OfficerRole,
    ProtectiveMarking,
    Role,
    TimescaleUnit,
    User,
)
from accounts.services import _sync_groups, terms_accept_for_demo

DEMO_PASSWORD = "isp-demo-2026"

AGENCIES = [
    # code, name, kind, email domain, marking, working days
    (
        "LBH",
        "London Borough of Haringey",
        AgencyKind.COUNCIL,
        "haringey.gov.uk",
        ProtectiveMarking.OFFICIAL_SENSITIVE,
        10,
    ),
    (
        "MPS",
        "Metropolitan Police Service, Haringey",
        AgencyKind.POLICE,
        "met.police.uk",
        ProtectiveMarking.OFFICIAL_SENSITIVE,
        10,
    ),
    (
        "LFB",
        "London Fire Brigade",
        AgencyKind.FIRE,
        "london-fire.gov.uk",
        ProtectiveMarking.OFFICIAL,
        10,
    ),
    (
        "HCCG",
        "Haringey Clinical Commissioning Group",
        AgencyKind.HEALTH,
        "nhs.net",
        ProtectiveMarking.OFFICIAL_SENSITIVE,
        15,
    ),
    (
        "NPS",
        "National Probation Service",
        AgencyKind.PROBATION,
        "justice.gov.uk",
        ProtectiveMarking.OFFICIAL_SENSITIVE,
        10,
    ),
    (
        "BEH",
        "Barnet, Enfield and Haringey Mental Health Trust",
        AgencyKind.HEALTH,
        "nhs.net",
        ProtectiveMarking.OFFICIAL_SENSITIVE,
        15,
    ),
    (
        "HFH",
        "Homes for Haringey",
        AgencyKind.HOUSING,
        "homesforharingey.org",
        ProtectiveMarking.OFFICIAL,
        10,
    ),
    (
        "BRT",
        "Bridge Renewal Trust",
        AgencyKind.VOLUNTARY,
        "bridgerenewaltrust.org.uk",
        ProtectiveMarking.OFFICIAL,
        10,
    ),
]

# username, agency, first, last, position, department, roles
ACCOUNTS = [
    (
        "council.requester",
        "LBH",
        "Priya",
        "Shah",
        "Community Safety Officer",
        "Community Safety",
        [Role.REQUESTING_OFFICER],
    ),
    (
        "council.spoc",
        "LBH",
        "Daniel",
        "Okafor",
        "Community Safety Manager",
        "Community Safety",
        [Role.SPOC, Role.REQUESTING_OFFICER],
    ),
    (
        "council.dlo",
        "LBH",
        "Grace",
        "Adeyemi",
        "Information Governance Officer",
        "Information Governance",
        [Role.DLO],
    ),
    (
        "council.discloser",
        "LBH",
        "Tom",
        "Reilly",
        "ASB Case Officer",
        "Community Safety",
        [Role.DISCLOSING_OFFICER],
    ),
    (
        "council.signatory",
        "LBH",
        "Zina",
        "Etheridge",
        "Chief Executive",
        "Chief Executive's Office",
        [Role.SIGNATORY],
    ),
    (
        "police.discloser",
        "MPS",
        "Helen",
        "Carter",
        "Detective Sergeant",
        "Public Protection Desk",
        [Role.DISCLOSING_OFFICER],
    ),
    ("police.spoc", "MPS", "Marcus", "Bell", "Inspector", "Partnership Team", [Role.SPOC]),
    (
        "police.dlo",
        "MPS",
        "Aisha",
        "Khan",
        "Data Protection Officer",
        "Information Rights",
        [Role.DLO],
    ),
    (
        "police.requester",
        "MPS",
        "Sam",
        "Ellis",
        "Police Constable",
        "Safer Neighbourhoods",
        [Role.REQUESTING_OFFICER],
    ),
    (
        "police.signatory",
        "MPS",
        "Helen",
        "Millichap",
        "Borough Commander",
        "Command",
        [Role.SIGNATORY],
    ),
    (
        "health.discloser",
        "BEH",
        "Ruth",
        "Morgan",
        "Safeguarding Lead",
        "Safeguarding",
        [Role.DISCLOSING_OFFICER],
    ),
    (
        "health.caldicott",
        "BEH",
        "Mark",
        "Lester",
        "Caldicott Guardian",
        "Trust Board",
        [Role.DESIGNATED_MANAGER, Role.SIGNATORY],
    ),
    (
        "health.spoc",
        "BEH",
        "Nadia",
        "Hussain",
        "Information Governance Manager",
        "Information Governance",
        [Role.SPOC],
    ),
    (
        "csp.lead",
        "LBH",
        "Claire",
        "Kowalska",
        "Community Safety Partnership Lead",
        "Community Safety",
        [Role.CSP_LEAD],
    ),
    (
        "fire.officer",
        "LFB",
        "Leah",
        "Grant",
        "Fire Safety Officer",
        "Fire Safety",
        [Role.REQUESTING_OFFICER],
    ),
    # ISP Appendix A: the Fire Brigade's principal signatory.
    (
        "fire.signatory",
        "LFB",
        "Simon",
        "Amos",
        "Borough Fire Commander, Haringey Borough",
        "Command",
        [Role.SIGNATORY],
    ),
    # The police's designated manager, to whom requests that may breach confidentiality
    # are referred (ISP 4.5).
    (
        "police.manager",
        "MPS",
        "Ruth",
        "Okonjo",
        "Detective Chief Inspector",
        "Public Protection",
        [Role.DESIGNATED_MANAGER],
    ),
    (
        "admin",
        "LBH",
        "Portal",
        "Administrator",
        "Systems Administrator",
        "Digital Services",
        [Role.ADMINISTRATOR],
    ),
]


# Every party has a SPOC and a deputy (ISP 8.1). Appendix A names signatories only, so
# these officers are invented; the ones above keep their accounts.
# code: ((SPOC username, first, last) or None where one exists above, (deputy ...)).
_SPOCS: dict[str, tuple[tuple[str, str, str] | None, tuple[str, str, str]]] = {
    "LBH": (None, ("council.deputy", "Maria", "Santos")),
    "MPS": (None, ("police.deputy", "Owen", "Price")),
    "LFB": (("fire.spoc", "Kemi", "Balogun"), ("fire.deputy", "Josh", "Webb")),
    "HCCG": (("hccg.spoc", "Anita", "Desai"), ("hccg.deputy", "Paul", "Green")),
    "NPS": (("nps.spoc", "Fiona", "Walsh"), ("nps.deputy", "Kwame", "Mensah")),
    "BEH": (None, ("health.deputy", "Irene", "Costa")),
    "HFH": (("hfh.spoc", "Leon", "Hart"), ("hfh.deputy", "Sara", "Ali")),
    "BRT": (("brt.spoc", "Joy", "Nwosu"), ("brt.deputy", "Ben", "Cole")),
}
for _code, (_spoc, _deputy) in _SPOCS.items():
    for _who, _role, _position in (
        (_spoc, Role.SPOC, "Single Point of Contact"),
        (_deputy, Role.DEPUTY_SPOC, "Deputy Single Point of Contact"),
    ):
        if _who is not None:
            ACCOUNTS.append((*_who[:1], _code, *_who[1:], _position, "Partnerships", [_role]))


# Urgent requests: the police answer within 24 hours; the others within a working day.
_URGENT = {"MPS": (24, TimescaleUnit.HOURS)}


def seed_agencies() -> dict[str, Agency]:
    agencies = {}
    for code, name, kind, domain, marking, days in AGENCIES:
        agencies[code], _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "secure_email_domain": domain,
                "default_marking": marking,
                "response_working_days": days,
                "urgent_response_time": _URGENT.get(code, (1, TimescaleUnit.WORKING_DAYS))[0],
                "urgent_response_unit": _URGENT.get(code, (1, TimescaleUnit.WORKING_DAYS))[1],
                "joined_on": datetime.date(2017, 1, 1),
                "address": f"{name}, Haringey, London",
                "phone": "020 8489 0000",
            },
        )
    return agencies


def seed_accounts(agencies: dict[str, Agency]) -> dict[str, User]:
    users = {}
    password = make_password(DEMO_PASSWORD)
    for username, code, first, last, position, department, roles in ACCOUNTS:
        agency = agencies[code]
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{agency.secure_email_domain}",
                "agency": agency,
                "position": position,
                "department": department,
                "phone": "020 8489 1000",
                "password": password,
                "is_active": True,
                "is_staff": username == "admin",
                "is_superuser": username == "admin",
            },
        )
        user.roles.exclude(role__in=roles).delete()
        for role in roles:
            OfficerRole.objects.get_or_create(user=user, role=role, defaults={"agency": agency})
        user._role_set = frozenset(roles)
        _sync_groups(user)
        users[username] = user
    terms_accept_for_demo(users.values())
    return users
