"""Every sharing decision is recorded, not only answers to requests (ISP 1.4; Appendix D rule
7; Appendix G 9 "all decisions"): a disclosure recorded without a request has the decision's
Appendix G record and appears, marked, in the register, its CSV and the dashboard, under
the same need to know and audit."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.forms import CHECKLIST
from audit.models import AuditEvent, EventType
from oversight.dashboard import Period, dashboard, figures_table
from oversight.selectors import RECORDED_MARK, register_for
from requests_app.models import Decision
from requests_app.recorded.models import Occasion, RecordedDisclosure
from tests.http import body_of
from tests.requests_app.conftest import agreement  # noqa: F401  (fixture)
from tests.requests_app.recorded import SUMMARY, make_recorded
from tests.world import OFFICERS, World

pytestmark = pytest.mark.django_db

# Who may record and list their agency's (the role table: disclosing officers, SPOC, deputy).
RECORDERS = {"discloser", "discloser2", "police_spoc", "police_deputy", "council_spoc",
             "council_deputy"}  # fmt: skip
# Who may read a police record: the police's recorders.
POLICE_READERS = {"discloser", "discloser2", "police_spoc", "police_deputy"}


def _client(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _form(world: World, chosen, **overrides: object) -> dict[str, object]:
    data = {
        "occasion": Occasion.MEETING,
        "recipient_agency": world.council.pk,
        "disclosed_to_organisation": "",
        "disclosed_to_name": "Sam Officer, ASB team leader",
        "supplied_on_day": "3",
        "supplied_on_month": "3",
        "supplied_on_year": "2026",
        "agreement": chosen.pk,
        "legislation": [],
        "legislation_other": "Crime and Disorder Act 1998 s115",
        "outcome": "disclosed",
        "summary": SUMMARY,
        "subject_names": "Jordan Example",
        "reasons": "Necessary for the ASB case conference.",
        "information_types": ["offending_history"],
        "delivery_method": "in_person",
        "marking": "OFFICIAL-SENSITIVE",
        "consent_basis": "public_interest",
        "subject_informed": "no",
        "not_informed_reason": "It would prejudice the investigation.",
        "authorised_by": "Inspector Stone",
        "evidence": "CAD 4411",
        "third_parties": "",
        "signature_name": world.discloser.get_full_name(),
        **{f"checklist-{key}": "on" for key, _ in CHECKLIST},
    }
    data.update(overrides)
    return data


def test_an_officer_records_a_disclosure_with_the_whole_record(world: World, agreement) -> None:
    client = _client(world, "discloser")
    response = client.post(reverse("requests:recorded_new"), _form(world, agreement))
    assert response.status_code == 302, response.context and response.context["errors"]
    recorded = RecordedDisclosure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:recorded_done", args=[recorded.pk])
    decision = Decision.objects.get(recorded=recorded)
    assert decision.request is None
    assert decision.disclosing_agency == world.police
    assert decision.requesting_agency == world.council
    assert decision.summary == SUMMARY and decision.outcome == "disclosed"
    assert decision.checklist == {key: True for key, _ in CHECKLIST}
    assert decision.days_to_decision is None and decision.on_time is None
    assert recorded.occasion == Occasion.MEETING and recorded.agreement == agreement
    assert recorded.legislation_other == "Crime and Disorder Act 1998 s115"
    event = AuditEvent.objects.get(event_type=EventType.REQUEST_DECIDED)
    assert event.request_reference == recorded.reference
    assert event.details["recorded_without_request"] is True
    # The subject's name is not kept anywhere.
    assert "Jordan" not in str(Decision.objects.filter(pk=decision.pk).values().get())
    done = client.get(response["Location"])
    assert recorded.reference in done.content.decode()
    detail = client.get(reverse("requests:recorded_detail", args=[recorded.pk]))
    page = detail.content.decode()
    assert "Inspector Stone" in page and "Considered" in page and "(c) Shared with" in page
    assert "03/03/2026 (recorded " in page  # (a): the day decided, then when recorded
    assert ">Change<" not in page
    assert AuditEvent.objects.filter(
        event_type=EventType.RECORD_VIEWED, details__recorded=recorded.reference
    ).exists()


def test_the_error_summary_lists_every_problem(world: World) -> None:
    response = _client(world, "discloser").post(reverse("requests:recorded_new"), {})
    page = response.content.decode()
    assert response.status_code == 200 and not RecordedDisclosure.objects.exists()
    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    for message in (
        "Select how the decision was made",
        "Enter the date of the decision or of the sharing",
        "Select whether the information was shared",
        "Enter a summary of the information for the register",
        "Select the legislation the sharing relies on, or name it",
        "Enter your full name to sign the record",
        "Select to confirm you have considered: Whose information is this?",
    ):
        assert message in summary, message
    assert "Error: " in page.split("</title>")[0]


def test_a_summary_naming_the_person_is_refused(world: World, agreement) -> None:
    data = _form(world, agreement, summary="Jordan's fire-setting at the flats")
    response = _client(world, "discloser").post(reverse("requests:recorded_new"), data)
    assert "Take the names of the people out of the summary" in response.content.decode()
    assert not RecordedDisclosure.objects.exists()


def test_the_occasion_decides_recipient_and_agreement(world: World, agreement) -> None:
    client = _client(world, "discloser")
    non_party = _form(world, agreement, occasion=Occasion.NON_PARTY)
    page = client.post(reverse("requests:recorded_new"), non_party).content.decode()
    assert "Leave the party agency blank" in page
    assert "Enter the organisation it was shared with" in page
    assert "Leave the agreement blank when sharing outside any agreement" in page
    ok = _form(
        world,
        agreement,
        occasion=Occasion.NON_PARTY,
        recipient_agency="",
        agreement="",
        disclosed_to_organisation="Haringey Housing Association",
    )
    assert client.post(reverse("requests:recorded_new"), ok).status_code == 302
    decision = Decision.objects.get()
    assert decision.requesting_agency is None
    assert decision.disclosed_to_organisation == "Haringey Housing Association"


def test_need_to_know_for_every_role(world: World, agreement) -> None:
    recorded = make_recorded(world, agreement)
    detail_urls = [
        reverse("requests:recorded_detail", args=[recorded.pk]),
        reverse("requests:recorded_done", args=[recorded.pk]),
        reverse("requests:recorded_pdf", args=[recorded.pk]),
    ]
    list_urls = [reverse("requests:recorded"), reverse("requests:recorded_new")]
    failures = []
    for name in OFFICERS:
        client = _client(world, name)
        for url in list_urls:
            status = client.get(url).status_code
            if (status == 200) != (name in RECORDERS):
                failures.append(f"{name} got {status} on {url}")
        for url in detail_urls:
            status = client.get(url).status_code
            if (status == 200) != (name in POLICE_READERS):
                failures.append(f"{name} got {status} on {url}")
        listed = client.get(reverse("requests:recorded")).content.decode()
        if recorded.reference in listed and name not in POLICE_READERS:
            failures.append(f"{name} sees the police record in their list")
        if name not in RECORDERS:
            client.post(reverse("requests:recorded_new"), _form(world, agreement))
    assert failures == []
    assert RecordedDisclosure.objects.count() == 1
    refused = AuditEvent.objects.filter(
        event_type=EventType.ACCESS_DENIED, object_id=str(recorded.pk)
    )
    assert refused.exists()


def test_in_the_register_marked_and_depersonalised_for_csp_leads(world: World, agreement) -> None:
    recorded = make_recorded(world, agreement)
    assert list(register_for(world.council_spoc)) == []
    spoc = _client(world, "police_spoc").get(reverse("audit:register")).content.decode()
    assert recorded.reference in spoc and RECORDED_MARK in spoc
    assert "Sam Officer, watch manager" in spoc and "Risk to neighbours" in spoc
    lead = _client(world, "csp_lead").get(reverse("audit:register")).content.decode()
    assert recorded.reference in lead and RECORDED_MARK in lead and SUMMARY in lead
    assert "Sam Officer" not in lead and "Risk to neighbours" not in lead
    only = _client(world, "csp_lead").get(reverse("audit:register") + "?recorded=on")
    assert len(only.context["rows"]) == 1
    by_law = _client(world, "csp_lead").get(reverse("audit:register") + "?legislation=cda-s115")
    assert [row.reference for row in by_law.context["rows"]] == [recorded.reference]


def test_in_the_csv_marked(world: World, agreement, make_request) -> None:
    make_request("disclosed")
    recorded = make_recorded(world, agreement)
    for name, personal in (("police_spoc", True), ("csp_lead", False)):
        response = _client(world, name).get(reverse("audit:register_csv"))
        rows = list(csv.reader(io.StringIO(body_of(response).decode())))
        header, body = rows[0], rows[1:]
        assert header[-1] == RECORDED_MARK
        row = next(r for r in body if r[header.index("Reference")] == recorded.reference)
        other = next(r for r in body if r[header.index("Reference")] != recorded.reference)
        assert row[-1] == "Yes" and other[-1] == ""
        assert row[header.index("Requesting agency")] == "LBH"
        assert row[header.index("Agreement")] == agreement.reference
        assert "Crime and Disorder Act 1998" in row[header.index("Legislation")]
        assert row[header.index("Summary of information requested")] == SUMMARY
        name_cell = row[header.index("Requester name")]
        assert name_cell == ("Sam Officer, watch manager" if personal else "")


def test_on_the_dashboard(world: World, agreement, make_request) -> None:
    make_request("disclosed")
    make_recorded(world, agreement)
    board = dashboard(Period.last_twelve_months())
    police = next(a for a in board.agencies if a.code == "MPS")
    assert police.count("recorded") == 1 and police.count("decided") == 2
    assert police.count("disclosed") == 2 and police.count("without_consent") == 2
    assert board.total.count("recorded") == 1
    assert ["MPS", "Decisions recorded without a request", "<5"] in figures_table(board)
    page = _client(world, "csp_lead").get(reverse("audit:dashboard")).content.decode()
    assert "Recorded without a request" in page


def test_pages_read_a_fixed_number_of_queries(world: World, agreement) -> None:
    def count(name: str, url: str) -> int:
        client = _client(world, name)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    make_recorded(world, agreement)
    urls = [("police_spoc", reverse("audit:register")), ("discloser", reverse("requests:recorded"))]
    before = [count(name, url) for name, url in urls]
    for _ in range(3):
        make_recorded(world, agreement)
    assert [count(name, url) for name, url in urls] == before
