from typing import Any

from django.core.management.base import BaseCommand, CommandError

from agreements import services


class Command(BaseCommand):
    help = (
        "Expire agreements whose review date has passed and remind the parties' SPOCs of "
        "reviews that are due. Run once a day, from cron or a systemd timer."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        failed: list[str] = []
        expired = services.agreements_expire(failed=failed)
        reminded = services.agreements_remind_review(failed=failed)
        for agreement in expired:
            self.stdout.write(f"Expired {agreement.reference} version {agreement.version_label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(expired)} agreement(s) expired; {len(reminded)} review reminder(s) sent."
            )
        )
        if failed:
            # After the others were done, so a scheduler sees the failure and nothing waits.
            raise CommandError(f"Could not process {', '.join(failed)}. See the log.")
