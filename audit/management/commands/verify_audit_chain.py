from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.verify import verify_chain


class Command(BaseCommand):
    help = "Check every audit event's HMAC and its link to the one before."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes checking id ranges at once on PostgreSQL (default: one per core)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain(workers=options["workers"])
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at event {result.broken_id}: {result.problem}. "
                f"{result.checked} events before it verify."
            )
        self.stdout.write(f"All {result.checked} audit events verify.")
        self.stdout.write(f"Newest hash: {result.last_hash}")
