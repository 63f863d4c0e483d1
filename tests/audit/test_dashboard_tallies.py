"""The dashboard's monthly tallies give the figures the raw rows give.

An oracle counts every figure in Python from the rows themselves; random sequences of
changes (submissions, moves, legislation added and removed, decisions
taken, revised and removed, referrals, consent withdrawals moved and deleted, changes rolled
back) must leave the stored tallies equal to a rebuild from scratch, and the board equal to
the oracle for whole and partial months.
"""

import datetime
import random
from collections import Counter, defaultdict
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from agreements.models import Legislation
from consent.models import ConsentRecord, ConsentStatus
from oversight.dashboard import Period, dashboard
from oversight.dashboard.period import month_of
from oversight.models import MonthlyTally
from requests_app.models import (
    ConsentBasis,
    Decision,
    InformationRequest,
    Outcome,
    Referral,
    Status,
)
from tests.audit.conftest import DecisionFactory, InformationRequestFactory
from tests.world import World

pytestmark = pytest.mark.django_db

MEASURES = [
    "made",
    "received",
    "decided",
    "disclosed",
    "partially_disclosed",
    "declined",
    "with_due_date",
    "on_time",
    "with_consent",
    "without_consent",
    "referrals",
    "consent_withdrawals",
]


def percentile_cont(values: list[int], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont, written out on the sorted list."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def oracle(period: Period) -> dict[str, Any]:
    """Every tallied figure of the board, counted row by row in Python."""

    def within(moment: datetime.datetime | None) -> bool:
        return moment is not None and period.start_at <= moment < period.end_before

    counts: dict[int, Counter[str]] = defaultdict(Counter)
    days: dict[int, list[int]] = defaultdict(list)
    months: dict[str, Counter[datetime.date]] = defaultdict(Counter)
    laws: dict[str, Counter[str]] = defaultdict(Counter)
    for request in InformationRequest.objects.prefetch_related("legislation").select_related(
        "target_agency"
    ):
        if request.submitted_at is not None and within(request.submitted_at):
            counts[request.requesting_agency_id]["made"] += 1
            counts[request.target_agency_id]["received"] += 1
            months["made"][month_of(request.submitted_at)] += 1
            for law in request.legislation.all():
                name = f"{law.act} – {law.provision}" if law.provision else law.act
                laws[name][request.target_agency.code] += 1
    for decision in Decision.objects.all():
        if not within(decision.signed_at):
            continue
        agency = counts[decision.disclosing_agency_id]
        agency["decided"] += 1
        agency[decision.outcome] += 1
        agency["with_due_date"] += decision.on_time is not None
        agency["on_time"] += decision.on_time is True
        consent = decision.consent_basis == ConsentBasis.CONSENT
        agency["with_consent" if consent else "without_consent"] += 1
        if decision.days_to_decision is not None:
            days[decision.disclosing_agency_id].append(decision.days_to_decision)
        months["decided"][month_of(decision.signed_at)] += 1
    for referral in Referral.objects.select_related("request"):
        if within(referral.referred_at):
            counts[referral.request.target_agency_id]["referrals"] += 1
    for consent_record in ConsentRecord.objects.all():
        if consent_record.status == ConsentStatus.WITHDRAWN and within(consent_record.withdrawn_at):
            counts[consent_record.given_to_agency_id]["consent_withdrawals"] += 1
    everything = [d for values in days.values() for d in values]
    return {
        "counts": {a: {m: c[m] for m in MEASURES} for a, c in counts.items() if any(c.values())},
        "percentiles": {
            a: (percentile_cont(v, 0.5), percentile_cont(v, 0.9)) for a, v in days.items()
        }
        | {"ALL": (percentile_cont(everything, 0.5), percentile_cont(everything, 0.9))},
        "months": {k: {m: n for m, n in c.items() if n} for k, c in months.items()},
        "laws": {name: dict(per) for name, per in laws.items()},
    }


def board_figures(period: Period) -> dict[str, Any]:
    """The same figures as the board gives them."""
    board = dashboard(period)
    ids = {a.code: pk for pk, a in _agencies().items()}
    counts = {
        ids[a.code]: {m: a.count(m) for m in MEASURES}
        for a in board.agencies
        if any(a.count(m) for m in MEASURES)
    }
    percentiles = {
        ids[a.code]: (a.median_days, a.p90_days)
        for a in board.agencies
        if a.median_days is not None
    } | {"ALL": (board.total.median_days, board.total.p90_days)}
    months = {
        key: {month: bar.value for month, bar in zip(period.months(), chart.bars, strict=True)}
        for key, chart in (("made", board.requests_by_month), ("decided", board.decisions_by_month))
    }
    months = {key: {m: n for m, n in values.items() if n} for key, values in months.items()}
    return {
        "counts": counts,
        "percentiles": percentiles,
        "months": {k: v for k, v in months.items() if v},
        "laws": {
            name: {c: n for c, n in per.items() if n} for name, n, per in board.legislation_counts
        },
        "totals": {m: board.total.count(m) for m in MEASURES},
    }


def _agencies() -> dict[int, Any]:
    from accounts.models import Agency

    return {a.pk: a for a in Agency.objects.all()}


def assert_board_is_the_oracle(period: Period) -> None:
    expected, shown = oracle(period), board_figures(period)
    assert shown["counts"] == expected["counts"]
    assert shown["totals"] == {m: sum(c[m] for c in expected["counts"].values()) for m in MEASURES}
    assert _rounded(shown["percentiles"]) == _rounded(expected["percentiles"])
    expected_months = {k: v for k, v in expected["months"].items() if v}
    assert shown["months"] == expected_months
    assert shown["laws"] == expected["laws"]


def _rounded(percentiles: dict[Any, tuple]) -> dict[Any, tuple]:
    return {
        k: tuple(None if v is None else round(v, 9) for v in pair)
        for k, pair in percentiles.items()
    }


def stored() -> dict[tuple, int]:
    return {
        (t.kind, t.month, t.agency_id, t.key): t.n
        for t in MonthlyTally.objects.exclude(key="").exclude(n=0)
    }


def assert_tallies_equal_a_rebuild() -> None:
    kept = stored()
    call_command("rebuild_dashboard_tallies", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert kept == stored()


def moment(rng: random.Random) -> datetime.datetime:
    """Any moment from 14 months ago to a month ahead, often near a month's edge."""
    now = timezone.now()
    if rng.random() < 0.3:
        month = month_of(now - datetime.timedelta(days=rng.randrange(-30, 420)))
        edge = timezone.make_aware(datetime.datetime.combine(month, datetime.time.min))
        return edge + datetime.timedelta(seconds=rng.choice([-1, 0, 1, 3600]))
    return now - datetime.timedelta(seconds=rng.randrange(-30 * 86400, 420 * 86400))


class Changes:
    """Random changes to the rows the dashboard counts, each through save() or delete()."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world, self.rng = world, rng
        self.agencies = [world.council, world.police, world.fire, world.health]
        self.laws = list(Legislation.objects.order_by("pk")[:6])

    def _request(self, submitted: bool = True) -> InformationRequest | None:
        rows = InformationRequest.objects.filter(submitted_at__isnull=not submitted)
        pks = list(rows.values_list("pk", flat=True))
        return InformationRequest.objects.get(pk=self.rng.choice(pks)) if pks else None

    def submit(self) -> None:
        requesting, target = self.rng.sample(self.agencies, 2)
        draft = self.rng.random() < 0.2
        request = InformationRequestFactory.create(
            requester=self.world.requester,
            requesting_agency=requesting,
            target_agency=target,
            status=Status.DRAFT if draft else Status.SUBMITTED,
            submitted_at=None if draft else moment(self.rng),
            received_on=timezone.localdate(),
        )
        request.legislation.set(self.rng.sample(self.laws, self.rng.randrange(3)))

    def send_draft(self) -> None:
        if request := self._request(submitted=False):
            request.submitted_at, request.status = moment(self.rng), Status.SUBMITTED
            request.save()

    def move(self) -> None:
        if request := self._request():
            request.submitted_at = moment(self.rng)
            request.target_agency = self.rng.choice(
                [a for a in self.agencies if a != request.requesting_agency]
            )
            request.save()

    def laws_from_the_request(self) -> None:
        if request := self._request():
            action = self.rng.choice(["add", "remove", "clear"])
            law = self.rng.choice(self.laws)
            {
                "add": lambda: request.legislation.add(law),
                "remove": lambda: request.legislation.remove(law),
                "clear": request.legislation.clear,
            }[action]()

    def decide(self) -> None:
        request = (
            InformationRequest.objects.filter(submitted_at__isnull=False, decision__isnull=True)
            .order_by("?")
            .first()
        )
        if request:
            DecisionFactory.create(
                request=request,
                discloser=self.world.discloser,
                outcome=self.rng.choice(Outcome.values),
                decline_reason="Not necessary",
                consent_basis=self.rng.choice(ConsentBasis.values),
                signed_at=(request.submitted_at or timezone.now())
                + datetime.timedelta(hours=self.rng.randrange(900)),
            )

    def revise(self) -> None:
        decision = Decision.objects.order_by("?").first()
        if decision:
            decision.outcome = self.rng.choice(Outcome.values)
            decision.decline_reason = "Not necessary"
            decision.consent_basis = self.rng.choice(ConsentBasis.values)
            decision.signed_at = moment(self.rng)
            decision.take_request_facts()
            decision.save()

    def undecide(self) -> None:
        decision = Decision.objects.order_by("?").first()
        if decision:
            decision.delete()

    def refer(self) -> None:
        if request := self._request():
            Referral.objects.create(
                request=request,
                referred_to=self.world.police_manager,
                referred_by=self.world.discloser,
                reason="Health information",
                referred_at=moment(self.rng),
            )

    def unrefer(self) -> None:
        referral = Referral.objects.order_by("?").first()
        if referral:
            Referral.objects.get(pk=referral.pk).delete()

    def withdraw(self) -> None:
        ConsentRecord.objects.create(
            status=ConsentStatus.WITHDRAWN,
            withdrawn_at=moment(self.rng),
            subject_name="A Person",
            given_to_agency=self.rng.choice(self.agencies),
            disclose_to_agency=self.world.police,
            purposes="ASB case",
            recorded_by=self.world.requester,
        )

    def move_withdrawal(self) -> None:
        consent = ConsentRecord.objects.filter(status=ConsentStatus.WITHDRAWN).first()
        if consent and self.rng.random() < 0.3:
            consent.delete()
        elif consent:
            consent.withdrawn_at = moment(self.rng)
            consent.given_to_agency = self.rng.choice(self.agencies)
            consent.save()

    def rolled_back(self) -> None:
        try:
            with transaction.atomic():
                self.rng.choice([self.submit, self.decide, self.undecide, self.withdraw])()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    def any(self) -> None:
        step = self.rng.choices(
            [
                self.submit,
                self.send_draft,
                self.move,
                self.laws_from_the_request,
                self.decide,
                self.revise,
                self.undecide,
                self.refer,
                self.unrefer,
                self.withdraw,
                self.move_withdrawal,
                self.rolled_back,
            ],
            weights=[6, 1, 2, 3, 5, 2, 1, 1, 1, 2, 1, 1],
        )[0]
        step()


def periods() -> list[Period]:
    today = timezone.localdate()
    return [
        Period.last_twelve_months(),
        Period(today - datetime.timedelta(days=400), today + datetime.timedelta(days=40)),
        Period(today - datetime.timedelta(days=200), today - datetime.timedelta(days=47)),
        Period(today.replace(day=1), today.replace(day=1) + datetime.timedelta(days=9)),
    ]


@pytest.mark.parametrize("seed", range(12))
def test_random_changes_keep_the_tallies_equal_to_the_rows(world: World, seed: int) -> None:
    rng = random.Random(seed)
    changes = Changes(world, rng)
    for _ in range(50):
        changes.any()
    assert_tallies_equal_a_rebuild()
    for period in periods():
        assert_board_is_the_oracle(period)


def test_a_decision_updates_its_tally_in_its_own_transaction(world: World) -> None:
    changes = Changes(world, random.Random(1))
    changes.submit()
    request = InformationRequest.objects.filter(submitted_at__isnull=False).earliest("pk")
    assert request.submitted_at is not None
    before = stored()
    try:
        with transaction.atomic():
            DecisionFactory.create(
                request=request, discloser=world.discloser, signed_at=request.submitted_at
            )
            during = stored()
            raise RuntimeError
    except RuntimeError:
        pass
    key = ("decisions", month_of(request.submitted_at), request.target_agency_id, "decided")
    assert during[key] == before.get(key, 0) + 1
    assert stored() == before


def test_the_rebuild_command_restores_tallies_a_bulk_load_missed(world: World) -> None:
    changes = Changes(world, random.Random(2))
    for _ in range(10):
        changes.submit()
    InformationRequest.objects.filter(submitted_at__isnull=False).update(
        submitted_at=timezone.now() - datetime.timedelta(days=100)
    )
    call_command("rebuild_dashboard_tallies", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for period in periods():
        assert_board_is_the_oracle(period)


def test_a_site_upgraded_from_before_the_tallies_has_them_counted_after_migrate(
    world: World,
) -> None:
    changes = Changes(world, random.Random(7))
    for _ in range(20):
        changes.any()
    assert stored()
    MonthlyTally.objects.all().delete()  # as on a site whose rows predate the tallies

    call_command("migrate", verbosity=0)

    assert stored()
    assert_tallies_equal_a_rebuild()
    for period in periods():
        assert_board_is_the_oracle(period)


def test_migrate_leaves_tallies_that_are_already_kept_alone(world: World) -> None:
    changes = Changes(world, random.Random(8))
    for _ in range(5):
        changes.any()
    MonthlyTally.objects.update(n=999)  # not what the rows say: a fill would correct it

    call_command("migrate", verbosity=0)

    assert set(MonthlyTally.objects.values_list("n", flat=True)) == {999}
