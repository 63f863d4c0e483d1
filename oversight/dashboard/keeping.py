"""Keeping the monthly tallies equal to the rows they count, in the same transaction.

Every save or delete of a row a tally counts (a request's submission, a decision, a
referral, a consent withdrawal, the legislation a request relies on) recomputes the tallies
of the month and agency it was counted under before and after the change
(``tallies.recompute``), in the transaction that made the change: through the services, the
admin, the demo or a test factory alike, because they all go through ``Model.save()``,
``delete()`` or the many-to-many manager, which send Django's model signals.

A row's counted fields are noted when it is loaded (``post_init``) and compared when it is
saved, so the many saves of a request during its review (status, dates) cost nothing here:
only a change that moves a count recomputes. What bypasses ``save()`` (``QuerySet.update``,
``bulk_create``, ``COPY``, raw SQL) is not seen: run ``manage.py rebuild_dashboard_tallies``
after it (``seed_demo`` and the bench data set do).

The lower floors (requests, consent) do not know about this: the dashboard, the top floor,
listens to their signals (connected in ``OversightConfig.ready``).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from consent.models import ConsentRecord, ConsentStatus
from oversight.dashboard.period import month_of
from oversight.dashboard.tallies import Key, rebuild, recompute
from oversight.models import MonthlyTally
from requests_app.models import Decision, InformationRequest, Referral

Values = dict[str, Any]
KeyOf = Callable[[models.Model, Values], tuple[datetime.date, int] | None]
SNAPSHOT = "_tally_snapshot"


def _dated(when: str, agency: str) -> KeyOf:
    def key(_instance: models.Model, values: Values) -> tuple[datetime.date, int] | None:
        if values.get(when) is None or values.get(agency) is None:
            return None
        return month_of(values[when]), values[agency]

    return key


def _referral_key(instance: models.Model, values: Values) -> tuple[datetime.date, int] | None:
    if values.get("referred_at") is None or values.get("request_id") is None:
        return None
    cached = Referral.request.is_cached(instance)
    if cached and instance.request.pk == values["request_id"]:  # type: ignore[attr-defined]
        target = instance.request.target_agency_id  # type: ignore[attr-defined]
    else:
        target = (
            InformationRequest.objects.filter(pk=values["request_id"])
            .values_list("target_agency_id", flat=True)
            .first()
        )
    return (month_of(values["referred_at"]), target) if target else None


def _withdrawal_key(instance: models.Model, values: Values) -> tuple[datetime.date, int] | None:
    if values.get("status") != ConsentStatus.WITHDRAWN:
        return None
    return _dated("withdrawn_at", "given_to_agency_id")(instance, values)


@dataclass(frozen=True)
class Watch:
    """A model whose rows a kind of tally counts: the fields that move a count, and the
    month and agency a row is counted under (None: not counted)."""

    model: type[models.Model]
    fields: tuple[str, ...]  # attribute names (``…_id`` for foreign keys)
    kinds: dict[str, KeyOf]
    # Tallies of other rows counted under this row's values (before, after the change).
    also: Callable[[models.Model, Values | None, Values | None], set[Key]] | None = None


def _referrals_moved(
    instance: models.Model, before: Values | None, after: Values | None
) -> set[Key]:
    """A request's referrals are counted under its agency asked: when that changes, the
    referrals' tallies under the old agency and the new one change too."""
    if before is None or after is None:
        return set()
    agencies = {before.get("target_agency_id"), after.get("target_agency_id")} - {None}
    if len(agencies) < 2:
        return set()
    dates = Referral.objects.filter(request_id=instance.pk).values_list("referred_at", flat=True)
    months = {month_of(at) for at in dates if at is not None}
    return {("referrals", month, agency) for month in months for agency in agencies if agency}


WATCHED = [
    Watch(
        InformationRequest,
        ("submitted_at", "requesting_agency_id", "target_agency_id"),
        {
            "made": _dated("submitted_at", "requesting_agency_id"),
            "received": _dated("submitted_at", "target_agency_id"),
            "legislation": _dated("submitted_at", "target_agency_id"),
        },
        also=_referrals_moved,
    ),
    Watch(
        Decision,
        (
            "signed_at",
            "disclosing_agency_id",
            "outcome",
            "consent_basis",
            "on_time",
            "days_to_decision",
        ),
        {"decisions": _dated("signed_at", "disclosing_agency_id")},
    ),
    Watch(Referral, ("referred_at", "request_id"), {"referrals": _referral_key}),
    Watch(
        ConsentRecord,
        ("status", "withdrawn_at", "given_to_agency_id"),
        {"consent_withdrawals": _withdrawal_key},
    ),
]


def _values(instance: models.Model, fields: tuple[str, ...]) -> Values | None:
    """The counted fields as they are now; None if one was deferred (not loaded)."""
    if any(f not in instance.__dict__ for f in fields):
        return None
    return {f: instance.__dict__[f] for f in fields}


def _keys(watch: Watch, instance: models.Model, *versions: Values | None) -> set[Key]:
    keys = set()
    for values in versions:
        if values is None:
            continue
        for kind, key_of in watch.kinds.items():
            key = key_of(instance, values)
            if key is not None:
                keys.add((kind, *key))
    return keys


def _recompute(keys: set[Key]) -> None:
    if keys:
        with transaction.atomic(savepoint=False):
            recompute(keys)


def _watch(watch: Watch) -> None:
    names = {f.removesuffix("_id") for f in watch.fields} | set(watch.fields)

    def noted(sender: type, instance: models.Model, **kwargs: Any) -> None:
        instance.__dict__[SNAPSHOT] = _values(instance, watch.fields)

    def saved(sender: type, instance: models.Model, created: bool, raw: bool, **kwargs: Any):
        update_fields = kwargs.get("update_fields")
        if raw or (update_fields is not None and not names & set(update_fields)):
            return
        before = None if created else instance.__dict__.get(SNAPSHOT)
        after = _values(instance, watch.fields)
        if before != after or created:
            moved = watch.also(instance, before, after) if watch.also else set()
            _recompute(_keys(watch, instance, before, after) | moved)
        instance.__dict__[SNAPSHOT] = after

    def deleted(sender: type, instance: models.Model, **kwargs: Any) -> None:
        before = instance.__dict__.get(SNAPSHOT)
        _recompute(_keys(watch, instance, before, _values(instance, watch.fields)))

    uid = f"tally-{watch.model._meta.label}"
    post_init.connect(noted, sender=watch.model, weak=False, dispatch_uid=uid)
    post_save.connect(saved, sender=watch.model, weak=False, dispatch_uid=uid)
    post_delete.connect(deleted, sender=watch.model, weak=False, dispatch_uid=uid)


def _legislation_changed(
    sender: type, instance: models.Model, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """The laws a submitted request relies on changed. (Only from the request's side:
    simple-history cannot record a change made from the law's side, so none is made.)"""
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    values = _values(instance, ("submitted_at", "target_agency_id"))
    key = _dated("submitted_at", "target_agency_id")(instance, values or {})
    if key is not None:
        _recompute({("legislation", *key)})


def connect() -> None:
    for watch in WATCHED:
        _watch(watch)
    m2m_changed.connect(
        _legislation_changed,
        sender=InformationRequest.legislation.through,
        weak=False,
        dispatch_uid="tally-legislation",
    )


def fill_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """After ``migrate`` (once every app's migrations have run, so with today's schema): a
    database that has rows but no tallies yet, such as a site upgraded from before the
    tallies, gets them counted from the rows. Otherwise nothing happens."""
    if getattr(sender, "name", None) != "oversight":
        return
    if MonthlyTally.objects.using(using).exists():
        return
    if not any(w.model._default_manager.using(using).exists() for w in WATCHED):
        return
    with transaction.atomic(using=using):
        rebuild()
