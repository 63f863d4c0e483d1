import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from audit.models import AuditEvent, ChainLink
from audit.verify import PENDING_LIMIT, id_gaps, verify_chain


class Command(BaseCommand):
    help = (
        "Check every audit event's HMAC and its link to the one before, list gaps in the "
        "ids and events not chained yet, and compare the newest event with the anchor kept "
        "outside the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes checking ranges of the chain at once on PostgreSQL (default: one "
            "per core)",
        )
        parser.add_argument(
            "--anchor-file",
            type=Path,
            default=None,
            help="a file outside the database: the event last written there must still be "
            "in the chain, unchanged; when the chain verifies, its newest event is appended",
        )
        parser.add_argument(
            "--pending-minutes",
            type=int,
            default=int(PENDING_LIMIT.total_seconds() // 60),
            help="fail if an event recorded this many minutes ago is still not chained "
            "(the sequencer is not running); default %(default)s",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        limit = datetime.timedelta(minutes=options["pending_minutes"])
        result = verify_chain(workers=options["workers"], pending_limit=limit)
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at event {result.broken_id}: {result.problem}. "
                f"{result.checked} events before it verify."
            )
        anchor_file: Path | None = options["anchor_file"]
        if anchor_file is not None:
            _check_anchor(anchor_file)
        self.stdout.write(f"All {result.checked} audit events verify.")
        if result.pending:
            self.stdout.write(
                f"Pending: {result.pending} events not chained yet, the oldest recorded at "
                f"{result.oldest_pending_at:%Y-%m-%d %H:%M:%S %Z} (their seals verify; the "
                "sequencer links them shortly after they commit)."
            )
        for first, last in id_gaps():
            ids = f"{first}" if first == last else f"{first}-{last}"
            self.stdout.write(
                f"Missing ids: {ids} (a transaction that rolled back after recording an "
                "event, or removed events: see the anchor)."
            )
        self.stdout.write(f"Newest event: {result.last_id} hash: {result.last_hash}")
        if anchor_file is not None and result.last_id is not None:
            with anchor_file.open("a") as anchors:
                anchors.write(
                    f"{timezone.now().isoformat(timespec='seconds')} "
                    f"event={result.last_id} hash={result.last_hash}\n"
                )
        if result.overdue:
            raise CommandError(
                f"{result.overdue} audit events have waited more than "
                f"{options['pending_minutes']} minutes to be chained: is the task worker "
                "running? `manage.py sequence_audit_events` chains them now."
            )


def _check_anchor(anchor_file: Path) -> None:
    """The newest anchored event must still be there, chained with the hash it had then."""
    if not anchor_file.exists():
        return
    lines = anchor_file.read_text().split("\n")
    last = next((line for line in reversed(lines) if line.strip()), None)
    if last is None:
        return
    fields = dict(part.split("=", 1) for part in last.split()[1:])
    event_id, anchored_hash = int(fields["event"]), fields["hash"]
    if not AuditEvent.objects.filter(id=event_id).exists():
        raise CommandError(
            f"Audit event {event_id}, anchored in {anchor_file}, is gone: events were removed."
        )
    stored = ChainLink.objects.filter(event_id=event_id).values_list("hash", flat=True).first()
    if stored != anchored_hash:
        raise CommandError(
            f"Audit event {event_id}, anchored in {anchor_file}, has changed since: "
            "the chain was rewritten."
        )
