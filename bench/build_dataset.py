"""Build the pan-London benchmark data set in PostgreSQL, once.

    bash bench/run   (or DATABASE_URL=... .venv/bin/python bench/build_dataset.py)

Sizes come from the environment: ``BENCH_REQUESTS`` (100,000), ``BENCH_EVENTS`` (5,000,000),
``BENCH_AGENCIES`` (40), ``BENCH_OFFICERS`` (2,000). The set is built once; a row in the
``bench_dataset`` table records its sizes and later runs reuse it.

Agencies, officers, roles and guardian groups go through the project's own code
(``accounts.services.role_group`` and ``_sync_groups``). Requests, people, consents,
decisions, history, need-to-know permission rows and audit events are written with
``COPY``, row for row what the services write: the same statuses, the same permission rows
(``access.grant_on_*``), gap-free references per year, and audit events whose HMAC chain
is computed by ``audit.chain.compute_hash``, so ``verify_audit_chain`` checks it for real
(chained as they were written, as events recorded before the sequencer were).
"""

import bisect
import datetime
import io
import json
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Agency, AgencyKind, OfficerRole, Role, User  # noqa: E402
from accounts.services import _sync_groups, role_group  # noqa: E402
from agreements.forms import CHECKLIST  # noqa: E402
from agreements.models import (  # noqa: E402
    Agreement,
    AgreementParty,
    AgreementStatus,
    AgreementVersion,
    Legislation,
    Signature,
)
from audit.chain import GENESIS, compute_hash, signing_key  # noqa: E402
from audit.models import AuditEvent, EventType  # noqa: E402
from oversight.dashboard.tallies import rebuild as rebuild_tallies  # noqa: E402
from requests_app.models import (  # noqa: E402
    Decision,
    InformationRequest,
    Message,
    MessageKind,
    NamedPerson,
    ReferenceCounter,
    Referral,
    RequestGroupPermission,
    RequestUserPermission,
    Side,
    Status,
    decision_timing,
)

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "100000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "5000000"))
AGENCIES = int(os.environ.get("BENCH_AGENCIES", "40"))
OFFICERS = int(os.environ.get("BENCH_OFFICERS", "2000"))
PASSWORD = "bench-password-not-secret"
BUSIEST = "MPS"
AGREEMENT_REF = "LDN-ISP-01"
YEARS = 3

BOROUGHS = [
    ("BAR", "Barking and Dagenham"), ("BRN", "Barnet"), ("BEX", "Bexley"), ("BRE", "Brent"),
    ("BRO", "Bromley"), ("CAM", "Camden"), ("CRO", "Croydon"), ("EAL", "Ealing"),
    ("ENF", "Enfield"), ("GRE", "Greenwich"), ("HAC", "Hackney"), ("HAF", "Hammersmith and Fulham"),
    ("LBH", "Haringey"), ("HRW", "Harrow"), ("HAV", "Havering"), ("HIL", "Hillingdon"),
    ("HOU", "Hounslow"), ("ISL", "Islington"), ("KEN", "Kensington and Chelsea"),
    ("KIN", "Kingston upon Thames"), ("LAM", "Lambeth"), ("LEW", "Lewisham"), ("MRT", "Merton"),
    ("NWM", "Newham"), ("RDB", "Redbridge"), ("RIC", "Richmond upon Thames"), ("SWK", "Southwark"),
    ("STN", "Sutton"), ("TOW", "Tower Hamlets"), ("WFT", "Waltham Forest"), ("WND", "Wandsworth"),
    ("WSM", "Westminster"),
]  # fmt: skip
OTHERS = [
    ("MPS", "Metropolitan Police Service", AgencyKind.POLICE),
    ("LFB", "London Fire Brigade", AgencyKind.FIRE),
    ("BTP", "British Transport Police", AgencyKind.POLICE),
    ("PRO", "Probation Service London", AgencyKind.PROBATION),
    ("BEH", "Barnet, Enfield and Haringey Mental Health Trust", AgencyKind.HEALTH),
    ("SLM", "South London and Maudsley NHS Trust", AgencyKind.HEALTH),
    ("ELF", "East London NHS Foundation Trust", AgencyKind.HEALTH),
    ("CNW", "Central and North West London NHS Trust", AgencyKind.HEALTH),
]

# What an agency's 50 officers do (scaled to BENCH_OFFICERS / BENCH_AGENCIES).
SINGLE_ROLES = [Role.SPOC, Role.DEPUTY_SPOC, Role.DLO, Role.DESIGNATED_MANAGER, Role.SIGNATORY]
# The share of requests in each state, oldest states for the oldest requests.
STATES = [
    (Status.DRAFT, 3), (Status.SUBMITTED, 2), (Status.UNDER_REVIEW, 3),
    (Status.AWAITING_CLARIFICATION, 1), (Status.REFERRED, 1), (Status.DISCLOSED, 42),
    (Status.PARTIALLY_DISCLOSED, 10), (Status.DECLINED, 15), (Status.WITHDRAWN, 5),
    (Status.RETURNED, 6), (Status.CLOSED, 12),
]  # fmt: skip
OPEN = {Status.SUBMITTED, Status.UNDER_REVIEW, Status.AWAITING_CLARIFICATION, Status.REFERRED}
DECIDED = {
    Status.DISCLOSED,
    Status.PARTIALLY_DISCLOSED,
    Status.DECLINED,
    Status.RETURNED,
    Status.CLOSED,
}
# The status path each final state went through, for the history rows.
PATHS = {
    Status.DRAFT: [Status.DRAFT],
    Status.SUBMITTED: [Status.DRAFT, Status.SUBMITTED],
    Status.UNDER_REVIEW: [Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW],
    Status.AWAITING_CLARIFICATION: [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.AWAITING_CLARIFICATION,
    ],
    Status.REFERRED: [Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.REFERRED],
    Status.DISCLOSED: [Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.DISCLOSED],
    Status.PARTIALLY_DISCLOSED: [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.PARTIALLY_DISCLOSED,
    ],
    Status.DECLINED: [Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.DECLINED],
    Status.WITHDRAWN: [Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN],
    Status.RETURNED: [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.DISCLOSED,
        Status.RETURNED,
    ],
    Status.CLOSED: [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.DISCLOSED,
        Status.RETURNED,
        Status.CLOSED,
    ],
}
ROLES_OF_PERSON = ["suspect", "suspect", "victim", "witness", "convicted_offender", "informant"]
VIW_CO = {"victim", "witness", "convicted_offender", "informant"}
INFO_TYPES = ["offending_history", "living_arrangements", "demographics", "family", "mental_health"]
BORN = datetime.date(1985, 5, 5)
# People named: realistic names, streets and dates of birth, so the search box meets the
# spread of names it would in London (several hundred people share each surname).
FIRST_NAMES = [
    "James",
    "John",
    "Robert",
    "Michael",
    "David",
    "William",
    "Richard",
    "Joseph",
    "Thomas",
    "Daniel",
    "Mohammed",
    "Ali",
    "Adam",
    "Ryan",
    "Jordan",
    "Kieran",
    "Tyrone",
    "Connor",
    "Liam",
    "Oliver",
    "Harry",
    "Jack",
    "George",
    "Noah",
    "Leo",
    "Oscar",
    "Mary",
    "Patricia",
    "Jennifer",
    "Linda",
    "Elizabeth",
    "Susan",
    "Jessica",
    "Sarah",
    "Karen",
    "Nancy",
    "Aisha",
    "Fatima",
    "Amira",
    "Chloe",
    "Emily",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Grace",
    "Sophie",
    "Zoë",
    "Siobhán",
    "Chidi",
    "Kwame",
    "Ama",
    "Tariq",
    "Priya",
    "Anjali",
    "Wei",
    "Li",
    "Mei",
    "Tomasz",
    "Agnieszka",
    "Piotr",
    "Ioana",
    "Andrei",
    "Mehmet",
    "Ayşe",
    "Carlos",
    "Maria",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Ahmed",
    "Hussain",
    "Begum",
    "Ali",
    "Singh",
    "Shah",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Boateng",
    "Campbell",
    "Stewart",
    "O'Brien",
    "Murphy",
    "Kelly",
    "Byrne",
    "Ryan",
    "Walsh",
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Popescu",
    "Ionescu",
    "Yilmaz",
    "Demir",
    "Kaya",
    "Silva",
    "Santos",
    "Rossi",
    "Russo",
    "Chen",
    "Wang",
    "Zhang",
    "Liu",
    "Nguyen",
    "Tran",
    "Kim",
    "Lee",
    "Park",
    "Hughes",
    "Edwards",
    "Green",
    "Lewis",
    "Harris",
    "Martin",
    "Cooper",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Baker",
    "Turner",
    "Hill",
    "Scott",
    "Mitchell",
]
STREETS = [
    "High Road",
    "West Green Road",
    "Lordship Lane",
    "Tottenham Lane",
    "Philip Lane",
    "Park Lane",
    "Church Road",
    "Station Road",
    "Green Lanes",
    "Seven Sisters Road",
    "Holloway Road",
    "Mare Street",
]
POSTCODE_AREAS = ["N15", "N17", "N22", "N8", "N4", "N16", "E5", "E8", "E17", "NW10", "SE15"]


def person_details(request_id: int, n: int) -> tuple[str, str, datetime.date]:
    """A name, an address and a date of birth for person ``n`` of a request, the same on
    every build."""
    seed = request_id * 7 + n
    first = FIRST_NAMES[seed * 31 % len(FIRST_NAMES)]
    last = SURNAMES[seed * 17 % len(SURNAMES)]
    name = f"{last.upper()}, {first}" if seed % 3 == 0 else f"{first} {last}"
    area = POSTCODE_AREAS[seed % len(POSTCODE_AREAS)]
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    inward = f"{seed % 9 + 1}{letters[seed % 20]}{letters[seed // 20 % 20]}"
    address = f"{seed % 240 + 1} {STREETS[seed % len(STREETS)]}, London {area} {inward}"
    born = BORN + datetime.timedelta(days=seed * 37 % 20_000 - 10_000)
    return name, address, born


USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/130.0"

rng = random.Random(20260101)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# COPY ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def _columns(model: type[models.Model], given: Sequence[str]) -> tuple[list[str], list[Any]]:
    """The model's columns: those given, then every other one with its default."""
    columns, defaults = list(given), [None] * len(given)
    for f in model._meta.concrete_fields:
        if f.attname in given or (f.primary_key and f.attname not in given):
            continue
        if f.has_default():
            default = f.get_default()
        elif f.null:
            default = None
        elif isinstance(f, models.CharField | models.TextField | models.FileField):
            default = ""
        else:
            raise ValueError(f"{model.__name__}.{f.attname} needs a value")
        columns.append(f.attname)
        defaults.append(default)
    return columns, defaults[len(given) :]


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise LookupError(f"{name} is not a column of {model.__name__}")
    return field.column


def copy(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch: int = 50_000,
) -> int:
    """COPY rows (tuples in the order of ``fields``) into the model's table; other columns
    get the model's defaults."""
    columns, defaults = _columns(model, fields)
    tail = "\t".join(_text(v) for v in defaults)
    db_columns = [_column(model, c) for c in columns]
    sql = f"COPY {model._meta.db_table} ({', '.join(db_columns)}) FROM STDIN"
    written = 0
    buffer = io.StringIO()
    raw = connection.cursor().cursor

    def flush() -> None:
        buffer.seek(0)
        raw.copy_expert(sql, buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        line = "\t".join(_text(v) for v in row)
        buffer.write(f"{line}\t{tail}\n" if tail else f"{line}\n")
        written += 1
        if written % batch == 0:
            flush()
    flush()
    return written


def reset_sequence(model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )


# The marker ---------------------------------------------------------------------------


def built_sizes() -> tuple[int, int] | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset "
            "(requests integer, events integer, built_at timestamptz)"
        )
        cursor.execute("SELECT requests, events FROM bench_dataset")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


# Agencies, officers, the agreement --------------------------------------------------------


def build_agencies() -> list[Agency]:
    specs = [(code, f"London Borough of {name}", AgencyKind.COUNCIL) for code, name in BOROUGHS]
    specs += OTHERS
    specs = specs[:AGENCIES] if BUSIEST in {s[0] for s in specs[:AGENCIES]} else specs[-AGENCIES:]
    joined = datetime.date(2020, 4, 1)
    return Agency.objects.bulk_create(
        Agency(
            code=code,
            name=name,
            kind=kind,
            address=f"{code} Civic Centre, London",
            phone="020 7946 0000",
            secure_email_domain=f"{code.lower()}.gov.uk",
            response_working_days=10 if kind != AgencyKind.POLICE else 15,
            joined_on=joined,
        )
        for code, name, kind in specs
    )


def build_officers(agencies: list[Agency]) -> dict[int, dict[str, list[User]]]:
    """Every agency gets one SPOC, deputy, DLO, designated manager and signatory; the rest
    are disclosing and requesting officers. Five borough officers are CSP leads."""
    per_agency = max(OFFICERS // len(agencies), len(SINGLE_ROLES) + 2)
    password = make_password(PASSWORD)
    plan: list[tuple[Agency, str, list[str]]] = []
    csp_leads = 0
    for agency in agencies:
        for n in range(per_agency):
            if n < len(SINGLE_ROLES):
                role: str = SINGLE_ROLES[n]
                roles: list[str] = [role]
                if role == Role.SPOC:
                    roles.append(Role.REQUESTING_OFFICER)
            elif n % 2 == 0:
                role, roles = Role.DISCLOSING_OFFICER, [Role.DISCLOSING_OFFICER]
            else:
                role, roles = Role.REQUESTING_OFFICER, [Role.REQUESTING_OFFICER]
            if n == per_agency - 1 and agency.kind == AgencyKind.COUNCIL and csp_leads < 5:
                role, roles = Role.CSP_LEAD, [Role.CSP_LEAD]
                csp_leads += 1
            plan.append((agency, f"{agency.code.lower()}.{role}.{n}", roles))
    users = User.objects.bulk_create(
        User(
            username=username,
            first_name=username.split(".")[1].replace("_", " ").title(),
            last_name=f"Officer {username.rsplit('.', 1)[1]}",
            email=f"{username}@{agency.secure_email_domain}",
            agency=agency,
            position=roles[0].replace("_", " ").title(),
            department="Community Safety",
            password=password,
        )
        for agency, username, roles in plan
    )
    OfficerRole.objects.bulk_create(
        OfficerRole(user=user, agency=agency, role=role)
        for user, (agency, _, roles) in zip(users, plan, strict=True)
        for role in roles
    )
    by_agency: dict[int, dict[str, list[User]]] = defaultdict(lambda: defaultdict(list))
    for user, (agency, _, roles) in zip(users, plan, strict=True):
        user._role_set = frozenset(roles)
        _sync_groups(user)
        for role in roles:
            by_agency[agency.pk][role].append(user)
    return by_agency


def build_agreement(agencies: list[Agency], officers: dict) -> Agreement:
    now = timezone.now()
    agreement = Agreement.objects.create(
        title="Pan-London information sharing protocol",
        reference=AGREEMENT_REF,
        tier="protocol",
        status=AgreementStatus.ACTIVE,
        lead_agency=next(a for a in agencies if a.code == BUSIEST),
        purposes="Crime and disorder reduction across London.",
        next_review_on=timezone.localdate() + datetime.timedelta(days=300),
        activated_at=now - datetime.timedelta(days=365 * YEARS),
    )
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, agency=a, duties="As the protocol") for a in agencies
    )
    version = AgreementVersion.objects.create(
        agreement=agreement, minor_version=0, content={"bench": True}, content_hash="0" * 64,
        created_at=now,
    )  # fmt: skip
    Signature.objects.bulk_create(
        Signature(
            agreement=agreement,
            signed_version=version,
            agency=a,
            signed_by=officers[a.pk][Role.SIGNATORY][0],
            name="Signatory",
            role="Chief Executive",
            organisation=a.name,
            signed_at=now - datetime.timedelta(days=365 * YEARS),
            statement="Bench",
            content_hash="0" * 64,
        )
        for a in agencies
    )
    return agreement


# Requests and everything that hangs off them -------------------------------------------------


def _state_for(age_days: float) -> Status:
    """Recent requests are still open; old ones are decided."""
    if age_days < 45:
        return rng.choices(
            [Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW, Status.AWAITING_CLARIFICATION,
             Status.REFERRED, Status.DISCLOSED, Status.DECLINED, Status.WITHDRAWN],
            [20, 15, 20, 7, 6, 20, 8, 4],
        )[0]  # fmt: skip
    states, weights = zip(*((s, w) for s, w in STATES if s not in OPEN), strict=True)
    return rng.choices(states, weights)[0]


def build_requests(agencies: list[Agency], officers: dict, agreement: Agreement) -> list[dict]:
    now = timezone.now()
    busiest = next(a for a in agencies if a.code == BUSIEST)
    others = [a for a in agencies if a.pk != busiest.pk]
    span = datetime.timedelta(days=365 * YEARS)
    legislation = list(
        Legislation.objects.filter(on_request_form=True).values_list("pk", flat=True)
    )
    # Recent weeks get their share of open work; the rest spreads over the years.
    reqs = []
    for i in range(REQUESTS):
        target = busiest if rng.random() < 0.25 else rng.choice(others)
        source = rng.choice([a for a in (busiest, *rng.sample(others, 2)) if a.pk != target.pk])
        requester = rng.choice(officers[source.pk][Role.REQUESTING_OFFICER])
        created = now - span * (rng.random() ** 1.3)
        age = (now - created).days
        status = _state_for(age)
        reqs.append(
            {
                "id": i + 1,
                "status": status,
                "source": source,
                "target": target,
                "requester": requester,
                "created": created,
                "urgent": rng.random() < 0.1,
                "legislation": rng.sample(legislation, rng.choice([1, 1, 2])),
                "people": rng.choice([1, 1, 1, 2, 2, 3]),
            }
        )
    # References: per year, in order of submission, with no gaps.
    submitted = sorted((r for r in reqs if r["status"] != Status.DRAFT), key=lambda r: r["created"])
    counters: dict[int, int] = defaultdict(int)
    for r in submitted:
        r["submitted_at"] = r["created"] + datetime.timedelta(hours=rng.uniform(0.2, 30))
        r["submitted_at"] = min(r["submitted_at"], now - datetime.timedelta(minutes=5))
        year = timezone.localtime(r["submitted_at"]).year
        counters[year] += 1
        r["reference"] = f"ISP-{year}-{counters[year]:05d}"
    ReferenceCounter.objects.bulk_create(
        ReferenceCounter(year=y, last_number=n) for y, n in counters.items()
    )
    for r in reqs:
        _fill_clock(r, now)
    return reqs


def _fill_clock(r: dict, now: datetime.datetime) -> None:
    status = r["status"]
    r.setdefault("submitted_at", None)
    r.setdefault("reference", None)
    r["received_on"] = r["due_on"] = r["decided_at"] = r["withdrawn_at"] = None
    r["returned_at"] = r["destroyed_at"] = r["paused_at"] = None
    r["required_by"] = (r["created"] + datetime.timedelta(days=rng.randint(10, 40))).date()
    if r["submitted_at"] is None:
        r["updated"] = r["created"]
        return
    sub = r["submitted_at"]
    r["due_on"] = min(r["required_by"], (sub + datetime.timedelta(days=14)).date())
    path = PATHS[status]
    if Status.UNDER_REVIEW in path:
        r["received_on"] = (sub + datetime.timedelta(days=rng.uniform(0, 2))).date()
    last = sub
    if status in DECIDED:
        last = r["decided_at"] = min(sub + datetime.timedelta(days=rng.uniform(1, 25)), now)
    if status == Status.AWAITING_CLARIFICATION:
        last = r["paused_at"] = min(sub + datetime.timedelta(days=rng.uniform(0.5, 5)), now)
    if status == Status.WITHDRAWN:
        last = r["withdrawn_at"] = min(sub + datetime.timedelta(days=rng.uniform(0.5, 10)), now)
    if status in {Status.RETURNED, Status.CLOSED}:
        last = r["returned_at"] = min(last + datetime.timedelta(days=rng.uniform(30, 200)), now)
    if status == Status.CLOSED:
        last = r["destroyed_at"] = min(last + datetime.timedelta(days=rng.uniform(1, 10)), now)
    r["updated"] = last


REQUEST_FIELDS = (
    "id", "reference", "status", "requester_id", "requesting_agency_id", "target_agency_id",
    "agreement_id", "requester_name", "requester_position", "requester_organisation",
    "requester_address", "requester_phone", "requester_email", "description", "required_by",
    "is_urgent", "urgency_reason", "consent_obtained", "public_interest",
    "public_interest_reason", "declaration_name", "submitted_at", "received_on", "due_on",
    "clock_paused_at", "decided_at", "withdrawn_at", "returned_at", "destroyed_at",
    "destroyed_by_id", "created_at", "updated_at",
)  # fmt: skip


def _request_row(r: dict, agreement: Agreement, officers: dict, status: str) -> tuple:
    u, source = r["requester"], r["source"]
    signed = r["submitted_at"] is not None
    destroyer = officers[r["target"].pk][Role.DLO][0].pk if r["destroyed_at"] else None
    return (
        r["id"], r["reference"], status, u.pk, source.pk, r["target"].pk, agreement.pk,
        u.get_full_name() if signed else "", u.position if signed else "",
        f"{source.name}, Community Safety" if signed else "", source.address if signed else "",
        source.phone if signed else "", u.email if signed else "",
        "Recorded anti-social behaviour at the address over the past 12 months, to support "
        "a community protection notice.",
        r["required_by"], r["urgent"], "Home visit booked this week" if r["urgent"] else "",
        r["consent"], True, "Preventing crime and disorder affecting neighbours.",
        u.get_full_name() if signed else "", r["submitted_at"], r["received_on"], r["due_on"],
        r["paused_at"], r["decided_at"], r["withdrawn_at"], r["returned_at"], r["destroyed_at"],
        destroyer, r["created"], r["updated"],
    )  # fmt: skip


def write_requests(reqs: list[dict], officers: dict, agreement: Agreement) -> None:
    from consent.models import ConsentRecord as Consent

    people, consents = [], []
    consent_id = 0
    for r in reqs:
        r["consent"] = "not_applicable"
        for n in range(r["people"]):
            role = rng.choice(ROLES_OF_PERSON)
            consent = None
            if role in VIW_CO:
                r["consent"] = "yes" if rng.random() < 0.4 else "no"
                if r["consent"] == "yes":
                    consent_id += 1
                    consent = consent_id
                    consents.append((consent_id, r, n))
            people.append((r["id"], person_details(r["id"], n)[0], role, consent, n))
    copy(
        Consent,
        ("id", "status", "subject_name", "subject_address", "subject_date_of_birth",
         "given_to_agency_id", "disclose_to_agency_id", "purposes", "signer_name", "signed_on",
         "witness_name", "witnessed_on", "obtained_by", "recorded_by_id", "recorded_at",
         "reasons_explained"),
        (
            (cid, "given", f"Person {r['id']}-{n}", "1 Example Road, London", BORN,
             r["target"].pk, r["requester"].agency_id, "Crime and disorder reduction",
             f"Person {r['id']}-{n}",
             r["created"].date(), r["requester"].get_full_name(), r["created"].date(),
             "in_person", r["requester"].pk, r["created"], True)
            for cid, r, n in consents
        ),
    )  # fmt: skip
    reset_sequence(Consent)
    through = Consent.agreements.through
    copy(through, ("consentrecord_id", "agreement_id"), ((c[0], agreement.pk) for c in consents))
    log(f"  {len(consents)} consent records")
    copy(
        InformationRequest,
        REQUEST_FIELDS,
        (_request_row(r, agreement, officers, r["status"]) for r in reqs),
    )
    reset_sequence(InformationRequest)
    copy(
        NamedPerson,
        ("request_id", "full_name", "role", "consent_id", "position", "address", "date_of_birth"),
        ((*p, *person_details(p[0], p[4])[1:]) for p in people),
    )
    log(f"  {len(reqs)} requests, {len(people)} people")
    leg = InformationRequest.legislation.through
    copy(
        leg,
        ("informationrequest_id", "legislation_id"),
        ((r["id"], lid) for r in reqs for lid in r["legislation"]),
    )
    write_history(reqs, officers, agreement)
    write_decisions(reqs, officers)
    write_permissions(reqs, officers)


def write_history(reqs: list[dict], officers: dict, agreement: Agreement) -> None:
    """One history row per change of state, as simple-history writes them (the request
    page's timeline reads these)."""
    history = InformationRequest.history.model
    fields = (*REQUEST_FIELDS, "history_date", "history_type", "history_user_id")

    def rows() -> Iterable[tuple]:
        for r in reqs:
            path = PATHS[r["status"]]
            times = [r["created"], r["submitted_at"]] + [r["updated"]] * (len(path) - 2)
            for step, status in enumerate(path):
                actor = r["requester"] if step < 2 else officers[r["target"].pk][Role.SPOC][0]
                when = times[min(step, len(times) - 1)] or r["created"]
                when = when + datetime.timedelta(microseconds=step)
                yield (
                    *_request_row(r, agreement, officers, status),
                    when,
                    "+" if step == 0 else "~",
                    actor.pk,
                )

    n = copy(history, fields, rows())
    log(f"  {n} history rows")


def write_decisions(reqs: list[dict], officers: dict) -> None:
    checklist = {key: True for key, _ in CHECKLIST}

    def rows() -> Iterable[tuple]:
        for r in reqs:
            if r["decided_at"] is None:
                continue
            target = r["target"]
            discloser = rng.choice(officers[target.pk][Role.DISCLOSING_OFFICER])
            outcome = {
                Status.DECLINED: "declined",
                Status.PARTIALLY_DISCLOSED: "partially_disclosed",
            }.get(r["status"], "disclosed")
            declined = outcome == "declined"
            basis = "consent" if r["consent"] == "yes" else rng.choice(
                ["public_interest", "legitimate_purpose", "legal_duty"]
            )  # fmt: skip
            days, on_time = decision_timing(
                r["decided_at"], r["received_on"], r["submitted_at"], r["due_on"]
            )
            yield (
                r["id"], target.pk, r["source"].pk, days, on_time, outcome,
                f"{r['source'].code} asked {target.code} for recorded incidents at an address",
                "Not necessary for the stated purpose." if declined else "",
                "Necessary and proportionate for the stated purpose under the protocol.",
                not declined,
                "" if declined or r["destroyed_at"] else "Two recorded incidents at the address.",
                discloser.pk, discloser.get_full_name(), discloser.position, target.name,
                r["requester"].get_full_name(), r["source"].name, "portal",
                "OFFICIAL-SENSITIVE" if target.kind == "police" else "OFFICIAL", basis,
                "not_applicable" if basis == "consent" else "no",
                "" if basis == "consent" else "Informing them would prejudice crime prevention.",
                f"{discloser.get_full_name()}, {discloser.position}",
                [] if declined else rng.sample(INFO_TYPES, 2),
                "Case records checked on the day.", checklist, discloser.get_full_name(),
                r["decided_at"], None if declined else r["decided_at"].date(),
                r["destroyed_at"],
            )  # fmt: skip

    n = copy(
        Decision,
        ("request_id", "disclosing_agency_id", "requesting_agency_id", "days_to_decision",
         "on_time", "outcome", "summary",
         "decline_reason", "reasons", "information_attached",
         "information_disclosed", "discloser_id", "disclosed_by_name", "disclosed_by_position",
         "disclosed_by_organisation", "disclosed_to_name", "disclosed_to_organisation",
         "delivery_method", "marking", "consent_basis", "subject_informed",
         "not_informed_reason", "authorised_by", "information_types", "evidence", "checklist",
         "signature_name", "signed_at", "supplied_on", "content_destroyed_at"),
        rows(),
    )  # fmt: skip
    log(f"  {n} decisions")
    copy(
        Message,
        ("request_id", "author_id", "side", "kind", "body", "sent_at"),
        (
            (r["id"], officers[r["target"].pk][Role.DISCLOSING_OFFICER][0].pk, Side.DISCLOSING,
             MessageKind.CLARIFICATION_ASKED, "Which address?", r["paused_at"])
            for r in reqs if r["paused_at"]
        ),
    )  # fmt: skip


def write_permissions(reqs: list[dict], officers: dict) -> None:
    """The rows ``access.grant_on_create / on_submit / on_referral / on_decision`` write."""
    perm = Permission.objects.get(codename="see_request", content_type__app_label="requests_app")
    groups = {}
    for agency_id, roles in officers.items():
        agency = roles[Role.SPOC][0].agency
        for role in (Role.SPOC, Role.DEPUTY_SPOC, Role.DISCLOSING_OFFICER, Role.DLO):
            groups[agency_id, role] = role_group(agency=agency, role=role).pk
    referred = [r for r in reqs if r["status"] == Status.REFERRED]
    copy(
        Referral,
        ("request_id", "referred_to_id", "referred_by_id", "reason", "referred_at"),
        (
            (r["id"], officers[r["target"].pk][Role.DESIGNATED_MANAGER][0].pk,
             officers[r["target"].pk][Role.DISCLOSING_OFFICER][0].pk,
             "Disclosure may breach confidentiality.", r["updated"])
            for r in referred
        ),
    )  # fmt: skip
    users = [(r["requester"].pk, perm.pk, r["id"]) for r in reqs] + [
        (officers[r["target"].pk][Role.DESIGNATED_MANAGER][0].pk, perm.pk, r["id"])
        for r in referred
    ]
    copy(RequestUserPermission, ("user_id", "permission_id", "content_object_id"), users)

    def group_rows() -> Iterable[tuple]:
        for r in reqs:
            source, target = r["source"].pk, r["target"].pk
            granted = [(source, Role.SPOC), (source, Role.DEPUTY_SPOC)]
            if r["submitted_at"] is not None:
                granted += [(target, Role.DISCLOSING_OFFICER), (target, Role.SPOC),
                            (target, Role.DEPUTY_SPOC)]  # fmt: skip
            if r["decided_at"] is not None:
                granted.append((target, Role.DLO))
            for key in granted:
                yield (groups[key], perm.pk, r["id"])

    n = copy(
        RequestGroupPermission, ("group_id", "permission_id", "content_object_id"), group_rows()
    )
    log(f"  {len(users)} user and {n} group permission rows")


# Audit events -----------------------------------------------------------------------------


EVENT_MIX = [
    (EventType.REQUEST_VIEWED, 40),
    (EventType.SIGN_IN, 14),
    (EventType.REQUEST_TRANSITION, 12),
    (EventType.PDF_DOWNLOADED, 8),
    (EventType.SIGN_OUT, 8),
    (EventType.REQUEST_UPDATED, 5),
    (EventType.REQUEST_CREATED, 4),
    (EventType.REQUEST_DECIDED, 4),
    (EventType.CONSENT_VIEWED, 2),
    (EventType.SIGN_IN_FAILED, 1),
    (EventType.ACCESS_DENIED, 1),
    (EventType.EXPORT, 1),
]
REQUEST_EVENTS = {
    EventType.REQUEST_VIEWED,
    EventType.REQUEST_TRANSITION,
    EventType.PDF_DOWNLOADED,
    EventType.REQUEST_UPDATED,
    EventType.REQUEST_CREATED,
    EventType.REQUEST_DECIDED,
}


def write_audit_events(reqs: list[dict], officers: dict) -> None:
    """EVENTS events over the data set's years, in order, each hashed onto the last."""
    key_id, key = signing_key()
    now = timezone.now()
    start = now - datetime.timedelta(days=365 * YEARS)
    span = (now - start).total_seconds()
    # Requests by submission time, so an event is about a request that existed then.
    dated = sorted((r for r in reqs if r["submitted_at"]), key=lambda r: r["submitted_at"])
    times = [r["submitted_at"].timestamp() for r in dated]
    people = [
        (u.pk, u.username, u.agency.code, sorted(u.role_set))
        for roles in officers.values()
        for users in roles.values()
        for u in users
    ]
    kinds, weights = zip(*EVENT_MIX, strict=True)
    cumulative = []
    total = 0
    for w in weights:
        total += w
        cumulative.append(total)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0), (SELECT hash FROM audit_chainlink "
                       "ORDER BY seq DESC LIMIT 1) FROM audit_auditevent")  # fmt: skip
        last_id, last_hash = cursor.fetchone()
    prev = last_hash or GENESIS
    step = span / max(EVENTS, 1)

    def rows() -> Iterable[tuple]:
        nonlocal prev
        base = start.timestamp()
        for i in range(EVENTS):
            event_id = last_id + i + 1
            ts = base + i * step
            occurred = datetime.datetime.fromtimestamp(ts, datetime.UTC)
            kind = kinds[bisect.bisect_right(cumulative, rng.random() * total)]
            details: dict[str, Any] = {}
            reference, obj_type, obj_id = "", "", ""
            actor = rng.choice(people)
            if kind in REQUEST_EVENTS:
                upto = bisect.bisect_right(times, ts)
                if upto:
                    r = dated[rng.randrange(max(0, upto - 3000), upto)]
                    reference, obj_type, obj_id = r["reference"], "informationrequest", str(r["id"])
                    if kind == EventType.REQUEST_TRANSITION:
                        details = {
                            "action": "start_review",
                            "from": "submitted",
                            "to": "under_review",
                        }
                    elif kind == EventType.REQUEST_DECIDED:
                        details = {"outcome": "disclosed", "consent_basis": "public_interest",
                                   "information_types": ["offending_history"],
                                   "delivery_method": "portal"}  # fmt: skip
            elif kind == EventType.EXPORT:
                details = {"export": "register.csv", "filters": {}}
            row = {
                "id": event_id,
                "occurred_at": occurred,
                "actor_id": None if kind == EventType.SIGN_IN_FAILED else actor[0],
                "actor_username": actor[1],
                "actor_agency": "" if kind == EventType.SIGN_IN_FAILED else actor[2],
                "actor_roles": [] if kind == EventType.SIGN_IN_FAILED else actor[3],
                "event_type": str(kind),
                "object_type": obj_type,
                "object_id": obj_id,
                "request_reference": reference,
                "outcome": "denied" if kind in {EventType.ACCESS_DENIED, EventType.SIGN_IN_FAILED}
                else "allowed",
                "ip_address": f"10.{i % 200}.{(i >> 8) % 250}.{i % 251}",
                "user_agent": USER_AGENT,
                "details": details,
            }  # fmt: skip
            digest = compute_hash(row, prev, key)
            yield (*row.values(), key_id, prev, digest)
            prev = digest
            if (i + 1) % 500_000 == 0:
                log(f"  {i + 1} audit events")

    fields = (
        "id", "occurred_at", "actor_id", "actor_username", "actor_agency", "actor_roles",
        "event_type", "object_type", "object_id", "request_reference", "outcome", "ip_address",
        "user_agent", "details", "key_id", "prev_hash", "hash",
    )  # fmt: skip
    n = copy(AuditEvent, fields, rows(), batch=100_000)
    reset_sequence(AuditEvent)
    # Chained as they were written, as events were before the sequencer: each one's link
    # repeats its own hash (as migration audit 0011 links them).
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_chainlink (seq, event_id, key_id, prev_hash, hash) "
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM audit_chainlink) "
            "+ ROW_NUMBER() OVER (ORDER BY id), id, key_id, prev_hash, hash "
            "FROM audit_auditevent WHERE id > %s ORDER BY id",
            [last_id],
        )
    log(f"  {n} audit events")


def main() -> int:
    sizes = built_sizes()
    if sizes == (REQUESTS, EVENTS):
        log(f"Data set already built ({REQUESTS} requests, {EVENTS} audit events): reused.")
        return 0
    if sizes is not None or InformationRequest.objects.exists():
        log("The database holds another data set. Run with BENCH_REBUILD=1 to start afresh.")
        return 1
    started = time.perf_counter()
    log(f"Building {REQUESTS} requests, {OFFICERS} officers, {AGENCIES} agencies, {EVENTS} events")
    with transaction.atomic():
        agencies = build_agencies()
        officers = build_officers(agencies)
        log(
            f"  {len(agencies)} agencies, "
            f"{sum(len(u) for r in officers.values() for u in r.values())} role holders"
        )
        agreement = build_agreement(agencies, officers)
        reqs = build_requests(agencies, officers, agreement)
        write_requests(reqs, officers, agreement)
        # COPY bypasses save(): the dashboard's monthly tallies are counted afresh.
        log(f"  {rebuild_tallies()} dashboard tallies")
    with transaction.atomic():
        write_audit_events(reqs, officers)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_dataset VALUES (%s, %s, now())", [REQUESTS, EVENTS])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"Built in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
