from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from audit.models import AuditEvent
from audit.verify import id_gaps, verify_chain


class Command(BaseCommand):
    help = (
        "Check every audit event's HMAC and its link to the one before, list gaps in the "
        "ids, and compare the newest event with the anchor kept outside the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes checking id ranges at once on PostgreSQL (default: one per core)",
        )
        parser.add_argument(
            "--anchor-file",
            type=Path,
            default=None,
            help="a file outside the database: the event last written there must still be "
            "in the chain, unchanged; when the chain verifies, its newest event is appended",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(workers=options["workers"])
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at event {result.broken_id}: {result.problem}. "
                f"{result.checked} events before it verify."
            )
        anchor_file: Path | None = options["anchor_file"]
        if anchor_file is not None:
            _check_anchor(anchor_file)
        self.stdout.write(f"All {result.checked} audit events verify.")
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


def _check_anchor(anchor_file: Path) -> None:
    """The newest anchored event must still be there with the hash it had then."""
    if not anchor_file.exists():
        return
    lines = anchor_file.read_text().split("\n")
    last = next((line for line in reversed(lines) if line.strip()), None)
    if last is None:
        return
    fields = dict(part.split("=", 1) for part in last.split()[1:])
    event_id, anchored_hash = int(fields["event"]), fields["hash"]
    stored = AuditEvent.objects.filter(id=event_id).values_list("hash", flat=True).first()
    if stored is None:
        raise CommandError(
            f"Audit event {event_id}, anchored in {anchor_file}, is gone: events were removed."
        )
    if stored != anchored_hash:
        raise CommandError(
            f"Audit event {event_id}, anchored in {anchor_file}, has changed since: "
            "the chain was rewritten."
        )
