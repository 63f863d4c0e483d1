"""Every URL of the portal's own apps, how to reach it, and who reaches it.

The fuzz, CSRF and no-store tests walk the URL resolver and look each URL up here, so a new
URL fails ``test_every_url_is_catalogued`` until it has a row. Builders create only the
objects their URL needs, through the real services where there are any.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import AgreementStatus
from api.services import api_client_create
from consent.models import NoticeKind, WithdrawalNotice
from oversight.services import breach_report
from requests_app.models import (
    AttachmentKind,
    InformationRequest,
    OnwardSharing,
    Status,
)
from requests_app.recorded.models import Occasion
from rights import services as rights
from rights.models import RightsKind
from tests.agreements.conftest import make_agreement  # noqa: F401  (fixture)
from tests.consent.conftest import ConsentFactory, private_storage  # noqa: F401
from tests.requests_app.conftest import (  # noqa: F401
    SUSPECT,
    SUSPECT_DOB,
    agreement,
    make_request,
    stored_attachment,
)
from tests.requests_app.recorded import make_recorded
from tests.world import World

URLCONF = "isp_portal.urls"
# The portal's own apps; allauth and the Django admin are third-party and tested upstream.
NAMESPACES = ("requests", "rights", "consent", "agreements", "audit", "accounts", "api_clients")


def project_url_names() -> set[str]:
    names = set()
    for pattern in get_resolver(URLCONF).url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace in NAMESPACES:
            for inner in pattern.url_patterns:
                if isinstance(inner, URLPattern):
                    names.add(f"{pattern.namespace}:{inner.name}")
    return names


Builder = Callable[["Scene"], dict[str, Any]]


@dataclass
class Scene:
    world: World
    make_request: Callable[..., InformationRequest]
    make_agreement: Callable[..., Any]

    def request(self, state: str) -> dict[str, Any]:
        return {"pk": self.make_request(state).pk}


def _attachment(scene: Scene) -> dict[str, Any]:
    req = scene.make_request(Status.DISCLOSED)
    attachment = stored_attachment(
        req,
        kind=AttachmentKind.DISCLOSURE,
        name="record.txt",
        uploaded_by=scene.world.discloser,
        content=b"notes",
    )
    return {"pk": req.pk, "attachment_id": attachment.pk}


def _prepared_file(scene: Scene) -> dict[str, Any]:
    """A file the disclosing officer attached while deciding, not yet disclosed."""
    req = scene.make_request(Status.UNDER_REVIEW)
    attachment = stored_attachment(
        req,
        kind=AttachmentKind.DISCLOSURE,
        name="draft.txt",
        uploaded_by=scene.world.discloser,
        content=b"draft",
    )
    return {"pk": req.pk, "attachment_id": attachment.pk}


def _onward(scene: Scene) -> dict[str, Any]:
    req = scene.make_request(Status.DISCLOSED)
    onward = OnwardSharing.objects.create(
        request=req,
        third_party="Youth offending service",
        purpose="Plan",
        asked_by=scene.world.requester,
        asked_at=timezone.now(),
    )
    return {"pk": req.pk, "onward_id": onward.pk}


def _consent(scene: Scene) -> dict[str, Any]:
    consent = ConsentFactory.create(
        recorded_by=scene.world.requester, given_to_agency=scene.world.police
    )
    consent.scan.save("scan", ContentFile(b"%PDF-1.4 scan"), save=True)
    return {"pk": consent.pk}


def _notice(scene: Scene) -> dict[str, Any]:
    consent = ConsentFactory.create(
        recorded_by=scene.world.requester, given_to_agency=scene.world.police
    )
    req = scene.make_request(Status.UNDER_REVIEW)
    notice = WithdrawalNotice.objects.create(
        request=req,
        consent=consent,
        kind=NoticeKind.OPEN,
        person_label="Person 1 (suspect)",
        created_at=timezone.now(),
    )
    return {"pk": notice.pk}


def _agreement(state: str) -> Builder:
    return lambda scene: {"pk": scene.make_agreement(state).pk}


def _party(scene: Scene) -> dict[str, Any]:
    agreement = scene.make_agreement(AgreementStatus.DRAFT)
    return {"pk": agreement.pk, "party_pk": agreement.party_rows.first().pk}


def _application(scene: Scene) -> dict[str, Any]:
    agreement = scene.make_agreement(parties=("council", "health"))
    application = agreement_services.join_apply(
        actor=scene.world.police_signatory,
        agreement=agreement,
        duties="Share what MPS holds",
        reason="We hold the data",
        breach_contact="ig@mps.example",
    )
    return {"pk": application.pk}


def _breach(scene: Scene) -> dict[str, Any]:
    breach = breach_report(
        reporter=scene.world.requester,
        owning_agency=scene.world.council,
        what_happened="Email sent to the wrong address",
        discovered_at=timezone.now() - datetime.timedelta(hours=1),
        data_affected="Offending history",
        agreement=scene.make_agreement(),
    )
    return {"pk": breach.pk}


def _case(scene: Scene) -> rights.RightsCase:
    scene.make_request(Status.DISCLOSED)
    return rights.rights_case_create(
        actor=scene.world.police_spoc,
        kind=RightsKind.RECTIFY,
        person_name=SUSPECT.full_name,
        person_date_of_birth=SUSPECT_DOB,
        instructions="Correct the address",
    )


def _confirmed_case(scene: Scene) -> rights.RightsCase:
    case = _case(scene)
    people = [p.pk for p in rights.candidates(case)]
    return rights.rights_case_confirm(actor=scene.world.police_spoc, case=case, person_ids=people)


def _task(scene: Scene) -> dict[str, Any]:
    return {"pk": _confirmed_case(scene).tasks.get().pk}


def _officer(scene: Scene) -> dict[str, Any]:
    return {"pk": scene.world.council_colleague.pk}


def _recorded(scene: Scene) -> dict[str, Any]:
    return {"pk": make_recorded(scene.world, None, occasion=Occasion.OUTSIDE_AGREEMENT).pk}


def _api_client(scene: Scene) -> dict[str, Any]:
    client, _secret = api_client_create(
        actor=scene.world.administrator,
        name="Case system",
        officer=scene.world.requester,
        scopes=["requests:read"],
    )
    return {"pk": client.pk}


def _nothing(scene: Scene) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Row:
    user: str
    build: Builder = _nothing
    # POST handled (a form or an action), and whether a GET shows personal data.
    post: bool = False
    personal: bool = False
    query: str = ""


def _state(state: str) -> Builder:
    return lambda scene: scene.request(state)


def _action(state: str, name: str) -> Builder:
    return lambda scene: {**scene.request(state), "name": name}


def _section(state: str, section: str) -> Builder:
    return lambda scene: {**scene.request(state), "section": section}


def _upload(state: str, kind: str) -> Builder:
    return lambda scene: {**scene.request(state), "kind": kind}


CATALOGUE: dict[str, Row] = {
    # Requests
    "requests:mine": Row("requester", personal=True),
    "requests:inbox": Row("discloser", personal=True),
    "requests:referred": Row("police_manager", personal=True),
    # The search words are posted, never in the address; results live under an id that
    # means something only in the searching officer's own session.
    "requests:search": Row("requester", post=True),
    "requests:search_results": Row("requester", lambda scene: {"sid": "no-such-search"}),
    "requests:create": Row("requester", post=True),
    "requests:recorded": Row("discloser", personal=True),
    "requests:recorded_new": Row("discloser", post=True),
    "requests:recorded_detail": Row("discloser", _recorded, personal=True),
    "requests:recorded_done": Row("discloser", _recorded, personal=True),
    "requests:recorded_pdf": Row("discloser", _recorded, personal=True),
    "requests:detail": Row("requester", _state(Status.DISCLOSED), personal=True),
    "requests:edit": Row("requester", _state(Status.DRAFT), post=True, personal=True),
    "requests:edit_task": Row(
        "requester",
        lambda scene: {**scene.request(Status.DRAFT), "task": "about"},
        post=True,
        personal=True,
    ),
    "requests:check": Row("requester", _state(Status.DRAFT), post=True, personal=True),
    "requests:sent": Row("requester", _state(Status.SUBMITTED), personal=True),
    "requests:clarify": Row("discloser", _state(Status.UNDER_REVIEW), post=True, personal=True),
    "requests:answer": Row(
        "requester", _state(Status.AWAITING_CLARIFICATION), post=True, personal=True
    ),
    "requests:message_send": Row(
        "discloser", _state(Status.UNDER_REVIEW), post=True, personal=True
    ),
    "requests:changes": Row("requester", personal=True),
    "requests:refer": Row("discloser", _state(Status.UNDER_REVIEW), post=True, personal=True),
    "requests:advise": Row("police_manager", _state(Status.REFERRED), post=True, personal=True),
    "requests:assign": Row("discloser", _state(Status.SUBMITTED), post=True),
    "requests:withdraw": Row("requester", _state(Status.SUBMITTED), post=True, personal=True),
    "requests:copy": Row("requester", _state(Status.SUBMITTED), post=True),
    "requests:decide": Row("discloser", _state(Status.UNDER_REVIEW), personal=True),
    "requests:decide_section": Row(
        "discloser", _section(Status.UNDER_REVIEW, "part-b"), post=True, personal=True
    ),
    "requests:decide_files": Row(
        "discloser", _state(Status.UNDER_REVIEW), post=True, personal=True
    ),
    "requests:decide_check": Row(
        "discloser", _state(Status.UNDER_REVIEW), post=True, personal=True
    ),
    "requests:decided": Row("discloser", _state(Status.DISCLOSED), personal=True),
    "requests:action": Row("discloser", _action(Status.SUBMITTED, "start_review"), post=True),
    "requests:upload": Row("requester", _upload(Status.DRAFT, "request"), post=True),
    "requests:download": Row("requester", _attachment, personal=True),
    "requests:remove_file": Row("discloser", _prepared_file, post=True),
    "requests:onward_ask": Row("requester", _state(Status.DISCLOSED), post=True, personal=True),
    "requests:onward_answer": Row("police_dlo", _onward, post=True, personal=True),
    "requests:pdf": Row("requester", _state(Status.DISCLOSED), personal=True),
    "requests:blank_forms": Row("requester"),
    "requests:blank_request": Row("requester"),
    "requests:blank_consent": Row("requester"),
    "rights:list": Row("police_spoc", personal=True),
    "rights:create": Row("police_spoc", post=True),
    "rights:detail": Row("police_spoc", lambda s: {"pk": _case(s).pk}, personal=True),
    "rights:confirm": Row("police_spoc", lambda s: {"pk": _case(s).pk}, post=True),
    "rights:subject_access": Row(
        "police_spoc", lambda s: {"pk": _confirmed_case(s).pk}, personal=True
    ),
    "rights:subject_access_csv": Row(
        "police_spoc", lambda s: {"pk": _confirmed_case(s).pk}, personal=True
    ),
    "rights:tasks": Row("council_spoc", personal=True),
    "rights:task_done": Row("council_spoc", _task, post=True),
    # Consent
    "consent:list": Row("requester", personal=True),
    "consent:create": Row("requester", post=True),
    "consent:detail": Row("requester", _consent, personal=True),
    "consent:scan": Row("requester", _consent, personal=True),
    "consent:withdraw": Row("requester", _consent, post=True, personal=True),
    "consent:pdf": Row("requester", _consent, personal=True),
    "consent:withdrawals": Row("police_spoc", personal=True),
    "consent:withdrawal_review": Row("police_spoc", _notice, post=True),
    # Agreements
    "agreements:list": Row("council_spoc"),
    "agreements:create": Row("council_spoc", post=True),
    "agreements:join": Row("police_signatory", post=True),
    "agreements:applications": Row("administrator", personal=True),
    "agreements:application": Row("administrator", _application, post=True, personal=True),
    "agreements:detail": Row("council_spoc", _agreement(AgreementStatus.ACTIVE)),
    "agreements:edit": Row("administrator", _agreement(AgreementStatus.DRAFT), post=True),
    "agreements:party": Row("administrator", _party, post=True),
    "agreements:send": Row("administrator", _agreement(AgreementStatus.DRAFT), post=True),
    "agreements:sign": Row(
        "police_signatory", _agreement(AgreementStatus.AWAITING_SIGNATURES), post=True
    ),
    "agreements:amend_minor": Row("administrator", _agreement(AgreementStatus.ACTIVE), post=True),
    "agreements:amend": Row("administrator", _agreement(AgreementStatus.ACTIVE), post=True),
    "agreements:renew": Row("administrator", _agreement(AgreementStatus.ACTIVE), post=True),
    "agreements:pdf": Row("council_spoc", _agreement(AgreementStatus.ACTIVE)),
    "agreements:terminate": Row("administrator", _agreement(AgreementStatus.ACTIVE), post=True),
    # Audit and oversight
    "audit:home": Row("council_spoc"),
    "audit:register": Row("council_spoc", personal=True),
    "audit:register_csv": Row("council_spoc", personal=True),
    "audit:register_pdf": Row("council_spoc", personal=True),
    "audit:dashboard": Row("csp_lead"),
    "audit:dashboard_csv": Row("csp_lead"),
    "audit:dashboard_pdf": Row("csp_lead"),
    "audit:access_log": Row("council_spoc", personal=True),
    "audit:access_log_csv": Row("council_spoc", personal=True),
    "audit:breaches": Row("council_spoc", personal=True),
    "audit:breach_report": Row("requester", post=True),
    "audit:breach_detail": Row("council_spoc", _breach, post=True, personal=True),
    # Officers
    "accounts:officers": Row("council_spoc", personal=True),
    "accounts:officer_add": Row("council_spoc", post=True),
    "accounts:officer_import": Row("council_spoc", post=True),
    "accounts:officer_import_apply": Row("council_spoc", post=True),
    "accounts:officer_import_template": Row("council_spoc"),
    "accounts:officer_edit": Row("council_spoc", _officer, post=True, personal=True),
    "accounts:officer_deactivate": Row("council_spoc", _officer, post=True, personal=True),
    "accounts:officer_end_sessions": Row("council_spoc", _officer, post=True),
    "accounts:terms": Row("requester", post=True),
    "accounts:session": Row("requester", post=True),
    "api_clients:list": Row("administrator", personal=True),
    "api_clients:add": Row("administrator", post=True),
    "api_clients:revoke": Row("administrator", _api_client, post=True, personal=True),
}


def url_for(name: str, scene: Scene) -> str:
    row = CATALOGUE[name]
    return reverse(name, kwargs=row.build(scene), urlconf=URLCONF) + row.query


_COUNTED = [
    apps.get_model(label)
    for label in (
        "requests_app.InformationRequest",
        "requests_app.NamedPerson",
        "requests_app.Decision",
        "requests_app.DecisionDraft",
        "requests_app.Attachment",
        "requests_app.Message",
        "requests_app.Referral",
        "requests_app.OnwardSharing",
        "requests_app.RecordedDisclosure",
        "rights.RightsCase",
        "rights.RightsMatch",
        "rights.RightsTask",
        "retention.DisposalRecord",
        "consent.ConsentRecord",
        "consent.WithdrawalNotice",
        "agreements.Agreement",
        "agreements.AgreementParty",
        "agreements.Signature",
        "agreements.JoinApplication",
        "oversight.Breach",
        "accounts.User",
        "accounts.OfficerRole",
        "api.ApiClient",
    )
]

POST_URLS = sorted(name for name, row in CATALOGUE.items() if row.post)
PERSONAL_URLS = sorted(name for name, row in CATALOGUE.items() if row.personal)


@pytest.fixture
def scene(world: World, make_request, make_agreement, private_storage) -> Scene:
    return Scene(world=world, make_request=make_request, make_agreement=make_agreement)


def row_counts() -> dict[str, int]:
    """Rows in the tables a form could write to, in one query; audit events are left out
    (a refusal is itself recorded)."""
    tables = [model._meta.db_table for model in _COUNTED]
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def client_for(user: Any, **kwargs: Any) -> Client:
    client = Client(raise_request_exception=True, **kwargs)
    client.force_login(user)
    return client
