"""The CSP lead dashboard: aggregate figures, small-number suppression, exports."""

import datetime
from collections import Counter
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from agreements.models import Agreement, AgreementStatus, AgreementTier
from audit.models import AuditEvent, EventType
from consent.models import ConsentRecord, ConsentStatus
from oversight.dashboard import (
    MEDIAN_LABEL,
    Period,
    dashboard,
    figures_table,
    percentile_of_counts,
    protected_cells,
    share,
)
from oversight.models import Breach
from requests_app.models import ConsentBasis, Decision, Outcome, Referral, Status
from tests.audit.conftest import InformationRequestFactory, count_queries
from tests.http import body_of
from tests.world import World

pytestmark = pytest.mark.django_db


def noon(days_ago: int) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def ten_to_police(world: World, make_decision: Callable[..., Decision]) -> list[Decision]:
    """Ten decisions by the police taking 1 to 10 days; the due date is 7 days after receipt."""
    received = timezone.localdate() - datetime.timedelta(days=30)
    return [
        make_decision(
            request_kwargs={
                "submitted_at": noon(31),
                "received_on": received,
                "due_on": received + datetime.timedelta(days=7),
            },
            signed_at=noon(30 - days),
            outcome=Outcome.DISCLOSED if days <= 8 else Outcome.PARTIALLY_DISCLOSED,
            consent_basis=ConsentBasis.CONSENT if days <= 6 else ConsentBasis.PUBLIC_INTEREST,
        )
        for days in range(1, 11)
    ]


def figures_of(board, code: str):
    return next(a for a in [*board.agencies, board.total] if a.code == code)


def test_percentile_matches_percentile_cont() -> None:
    one_to_ten = Counter(range(1, 11))
    assert percentile_of_counts(one_to_ten, 0.5) == 5.5
    assert percentile_of_counts(one_to_ten, 0.9) == pytest.approx(9.1)
    assert percentile_of_counts(Counter(), 0.5) is None
    assert percentile_of_counts(Counter([7]), 0.9) == 7


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.25, 0.5, 0.9, 1.0])
@pytest.mark.parametrize(
    "values", [[3, 3, 3, 9], [1, 2, 2, 2, 2, 40], [5, 1, 4, 1, 5, 9, 2, 6, 5, 3], [0, 12]]
)
def test_percentile_of_a_histogram_is_that_of_the_values_it_counts(
    values: list[int], fraction: float
) -> None:
    """The dashboard reads days taken as counts per value; the percentile must be the one
    of the list written out in full (interpolated between neighbours, as percentile_cont)."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    expected = ordered[low] + (ordered[high] - ordered[low]) * (position - low)
    assert percentile_of_counts(Counter(values), fraction) == pytest.approx(expected)


def test_dashboard_counts_per_agency_and_in_total(
    world: World, ten_to_police: list[Decision]
) -> None:
    board = dashboard(Period.last_twelve_months())
    police, council, total = (figures_of(board, c) for c in ("MPS", "LBH", "ALL"))
    assert police.count("received") == 10
    assert council.count("made") == 10
    assert police.count("decided") == 10
    assert police.count("disclosed") == 8
    assert police.count("partially_disclosed") == 2
    assert police.count("declined") == 0
    assert police.count("with_consent") == 6
    assert police.count("without_consent") == 4
    assert police.count("on_time") == 7
    assert police.on_time_share == "–"  # 7 of 10 would reveal the 3 late ones
    assert total.count("received") == 10


def test_median_and_90th_percentile_days_to_decision(
    world: World, ten_to_police: list[Decision]
) -> None:
    board = dashboard(Period.last_twelve_months())
    police = figures_of(board, "MPS")
    assert police.median_days == pytest.approx(5.5)
    assert police.p90_days == pytest.approx(9.1)
    assert board.total.median_days == pytest.approx(5.5)
    assert police.median_shown == "5.5"


def test_total_percentiles_are_over_every_agency_decision(
    world: World, ten_to_police: list[Decision], make_decision: Callable[..., Decision]
) -> None:
    """Three council decisions taking 20 days each: the total is of all thirteen values,
    not an average of the agencies' medians."""
    received = timezone.localdate() - datetime.timedelta(days=40)
    for _ in range(3):
        make_decision(
            requesting=world.police,
            target=world.council,
            request_kwargs={"submitted_at": noon(41), "received_on": received},
            signed_at=noon(20),
        )
    board = dashboard(Period.last_twelve_months())
    council, police = figures_of(board, "LBH"), figures_of(board, "MPS")
    assert council.median_days == 20
    assert police.median_days == pytest.approx(5.5)
    assert council.count("decided") == 3 and police.count("decided") == 10
    assert board.total.count("decided") == 13
    # 1..10 and 20, 20, 20: the 7th of 13 is 7; the 90th percentile lies at rank 10.8.
    assert board.total.median_days == 7
    assert board.total.p90_days == pytest.approx(20)


def test_period_leaves_out_older_decisions(world: World, ten_to_police: list[Decision]) -> None:
    today = timezone.localdate()
    board = dashboard(Period(today - datetime.timedelta(days=24), today))
    # Decisions after 6 or more days were signed 24 or fewer days ago.
    assert figures_of(board, "MPS").count("decided") == 5


def test_overdue_referrals_withdrawals_agreements_and_breaches(world: World) -> None:
    overdue = InformationRequestFactory.create(
        requester=world.requester,
        requesting_agency=world.council,
        target_agency=world.police,
        status=Status.UNDER_REVIEW,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    Referral.objects.create(
        request=overdue,
        referred_to=world.police_manager,
        referred_by=world.discloser,
        reason="Confidential health information",
        referred_at=timezone.now(),
    )
    ConsentRecord.objects.create(
        status=ConsentStatus.WITHDRAWN,
        withdrawn_at=timezone.now() - datetime.timedelta(days=3),
        subject_name="A Person",
        given_to_agency=world.council,
        disclose_to_agency=world.police,
        purposes="ASB case",
        recorded_by=world.requester,
    )
    for status, review in [
        (AgreementStatus.ACTIVE, timezone.localdate() + datetime.timedelta(days=300)),
        (AgreementStatus.UNDER_REVIEW, timezone.localdate() + datetime.timedelta(days=10)),
        (AgreementStatus.EXPIRED, timezone.localdate() - datetime.timedelta(days=10)),
    ]:
        agreement = Agreement.objects.create(
            reference=f"DSA-{status}-{review}",
            title="x",
            tier=AgreementTier.AGREEMENT,
            status=status,
            next_review_on=review,
        )
        agreement.parties.add(world.police, world.council)
    Breach.objects.create(
        agreement=agreement,
        owning_agency=world.police,
        what_happened="x",
        discovered_at=timezone.now() - datetime.timedelta(hours=80),
        data_affected="x",
        reported_by=world.requester,
        reported_at=timezone.now(),
    )
    board = dashboard(Period.last_twelve_months())
    police, council, total = (figures_of(board, c) for c in ("MPS", "LBH", "ALL"))
    assert police.count("overdue_now") == 1
    assert police.count("referrals") == 1
    assert council.count("consent_withdrawals") == 1
    assert police.count("agreements_active") == 2
    assert police.count("agreements_due_review") == 1
    assert police.count("agreements_expired") == 1
    assert total.count("agreements_active") == 2  # each agreement once, not once per party
    assert police.count("open_breaches") == 1
    assert board.open_breaches == 1
    assert board.breaches_past_deadline == 1


def test_small_numbers_are_shown_as_less_than_five(
    client: Client, world: World, make_decision: Callable[..., Decision]
) -> None:
    for _ in range(3):
        make_decision(outcome=Outcome.DECLINED, decline_reason="Not necessary")
    client.force_login(world.csp_lead)
    html = client.get(reverse("audit:dashboard")).content.decode()
    assert "&lt;5" in html
    assert ">3<" not in html

    table = figures_table(dashboard(Period.last_twelve_months()))
    assert ["MPS", "Declined", "<5"] in table
    assert ["MPS", MEDIAN_LABEL, "–"] in table  # a percentile of three
    assert not any(row[2] == "3" for row in table)
    assert ["LBH", "Declined", "0"] in table  # zero is not suppressed


def test_threshold_is_configurable(
    settings, world: World, make_decision: Callable[..., Decision]
) -> None:
    settings.SMALL_NUMBER_THRESHOLD = 2
    for _ in range(3):
        make_decision()
    assert ["MPS", "Decisions", "3"] in figures_table(dashboard(Period.last_twelve_months()))


def test_share_is_shown_only_when_neither_part_is_small() -> None:
    assert share(5, 10) == "50%"
    assert share(0, 10) == "0%"
    assert share(10, 10) == "100%"
    assert share(7, 10) == "–"
    assert share(3, 10) == "–"
    assert share(0, 0) == "–"


def test_share_is_hidden_when_it_would_reveal_a_small_number(
    world: World, make_decision: Callable[..., Decision]
) -> None:
    for days_late in [0, 0, 0, 0, 0, 0, 9]:
        make_decision(
            request_kwargs={"due_on": timezone.localdate() - datetime.timedelta(days=days_late)}
        )
    police = figures_of(dashboard(Period.last_twelve_months()), "MPS")
    assert police.count("on_time") == 6
    assert police.on_time_share == "–"  # 6 of 7 would reveal the one late decision


def test_charts_are_svg_with_a_data_table_and_no_script(
    client: Client, world: World, ten_to_police: list[Decision]
) -> None:
    client.force_login(world.csp_lead)
    html = client.get(reverse("audit:dashboard")).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count("<svg") == 2
    assert "Requests made each month: data" in main
    assert "Decisions each month: data" in main
    assert "<script" not in main


def test_dashboard_csv_is_suppressed_and_audited(
    client: Client, world: World, make_decision: Callable[..., Decision]
) -> None:
    make_decision()
    client.force_login(world.csp_lead)
    response = client.get(reverse("audit:dashboard_csv"))
    body = body_of(response).decode("utf-8-sig")
    assert "MPS,Decisions,<5" in body
    event = AuditEvent.objects.get(event_type=EventType.EXPORT)
    assert event.details["export"] == "dashboard.csv"


def test_dashboard_query_count_does_not_grow(
    client: Client, world: World, make_decision: Callable[..., Decision]
) -> None:
    """One grouped query per measure (made, received, decisions, percentiles, overdue,
    referrals, withdrawals, agreements, breaches, legislation, two monthly trends), the
    agencies, and the totals that cannot be summed (agreements, breaches past deadline)."""
    client.force_login(world.csp_lead)
    url = reverse("audit:dashboard")
    client.get(url)
    for _ in range(10):
        make_decision()
    with_ten = count_queries(client, url)
    for _ in range(90):
        make_decision(requesting=world.police, target=world.council)
    assert count_queries(client, url) == with_ten


# Complementary suppression (issue #14, finding 7) -------------------------------------------


def _differences(
    values: dict[tuple[str, str], int], hidden: set, relations: list
) -> list[tuple[tuple[str, str], int]]:
    """Every count an attacker gets by subtracting shown counts from a shown total (or a
    shown part from a total), for each relation: the cell worked out, and its value."""
    found = []
    for total, parts in relations:
        cells = [*parts, total]
        unknown = [c for c in cells if c in hidden]
        if len(unknown) == 1:
            cell = unknown[0]
            shown_parts = sum(values[c] for c in parts if c not in hidden)
            found.append((cell, values[total] - shown_parts if cell != total else shown_parts))
        elif unknown and total not in hidden:
            hidden_sum = values[total] - sum(values[c] for c in parts if c not in hidden)
            found.append((("sum", str(unknown)), hidden_sum))
    return found


def _table_relations(rows: list[str], columns: list[str]) -> list:
    """A table with a total row and a total column: every row and every column adds up."""
    relations = [((r, "ALL"), [(r, c) for c in columns]) for r in [*rows, "ALL"]]
    relations += [(("ALL", c), [(r, c) for r in rows]) for c in [*columns, "ALL"]]
    return relations


def test_the_findings_hidden_number_can_no_longer_be_worked_out() -> None:
    """Requests received "<5" for BEH, but 258 − 120 − 137 = 1."""
    values = {("LBH", "received"): 120, ("MPS", "received"): 137, ("BEH", "received"): 1}
    values[("ALL", "received")] = 258
    relations = [(("ALL", "received"), [(a, "received") for a in ("LBH", "MPS", "BEH")])]
    hidden = protected_cells(values, relations)
    assert ("BEH", "received") in hidden and len(hidden) >= 2
    assert all(v >= 5 for _cell, v in _differences(values, hidden, relations))


@given(
    counts=st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=3, max_size=3),
        min_size=2,
        max_size=5,
    )
)
def test_no_hidden_count_can_be_recomputed_from_the_shown_ones(counts: list[list[int]]) -> None:
    rows = [f"R{i}" for i in range(len(counts))]
    columns = ["a", "b", "c"]
    values = {(r, c): counts[i][j] for i, r in enumerate(rows) for j, c in enumerate(columns)}
    for r in rows:
        values[(r, "ALL")] = sum(values[(r, c)] for c in columns)
    for c in [*columns, "ALL"]:
        values[("ALL", c)] = sum(values[(r, c)] for r in rows)
    relations = _table_relations(rows, columns)
    hidden = protected_cells(values, relations)
    assert {cell for cell, v in values.items() if 0 < v < 5} <= hidden
    for cell, value in _differences(values, hidden, relations):
        assert not 0 < value < 5, f"{cell} = {value} from the shown counts"


def test_the_dashboard_hides_enough_and_shows_agreements_in_full(
    world: World, make_decision: Callable[..., Decision]
) -> None:
    make_decision()
    board = dashboard(Period.last_twelve_months())
    police = next(a for a in board.agencies if a.code == "MPS")
    assert police.shown["decided"] == "<5"
    assert police.shown["agreements_active"] == str(police.count("agreements_active"))
    table = figures_table(board)
    assert ["ALL", "Decisions", "<5"] in table
