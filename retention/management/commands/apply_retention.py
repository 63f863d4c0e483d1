from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from retention.services import apply_retention, retention_ends_on


class Command(BaseCommand):
    help = (
        "Destroy disclosed information and what identifies people (Part A, the people "
        "named, clarifications), and reduce consent records no longer needed, once the "
        "agreement's retention period has ended; and the details of disclosures recorded "
        "without a request after theirs. Run once a day, from cron or a systemd "
        "timer. Safe to run again: what is already gone is not touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be destroyed; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        run = apply_retention(dry_run=dry_run)
        verb = "Would destroy" if dry_run else "Destroyed"
        # References and record numbers only: this output can reach logs.
        for request in run.requests:
            self.stdout.write(
                f"{verb} disclosed information on {request.reference} "
                "(and what identifies people) "
                f"(retention ended {retention_ends_on(request):%d %B %Y})"
            )
        for consent in run.consents:
            self.stdout.write(f"{verb} the scan and personal details of {consent.reference}")
        for decision in run.recorded:
            self.stdout.write(f"{verb} the evidence and third parties of {decision.reference}")
        summary = (
            f"{len(run.requests)} request(s), {len(run.consents)} consent record(s) and "
            f"{len(run.recorded)} recorded disclosure(s) "
            f"{'would be destroyed' if dry_run else 'destroyed'}."
        )
        self.stdout.write(self.style.SUCCESS(summary))
        if run.failed:
            # After the others were done, so a scheduler sees the failure and nothing waits.
            raise CommandError(
                f"Could not process {len(run.failed)}: {', '.join(run.failed)}. See the log."
            )
