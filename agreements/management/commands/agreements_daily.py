from typing import Any

from django.core.management.base import BaseCommand, CommandError

from agreements import services


class Command(BaseCommand):
    help = (
        "Flag agreements past their review date to their lead officer and the CSP lead, and "
        "remind the parties' SPOCs of reviews that are due. Run once a day, from cron or a "
        "systemd timer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        failed: list[str] = []
        overdue = services.agreements_flag_overdue_reviews(failed=failed)
        reminded = services.agreements_remind_review(failed=failed)
        for agreement in overdue:
            self.stdout.write(
                f"Past its review date: {agreement.reference} version {agreement.version_label}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(overdue)} agreement(s) past review flagged; "
                f"{len(reminded)} review reminder(s) sent."
            )
        )
        if failed:
            # After the others were done, so a scheduler sees the failure and nothing waits.
            raise CommandError(f"Could not process {', '.join(failed)}. See the log.")
