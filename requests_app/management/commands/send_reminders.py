from typing import Any

from django.core.management.base import BaseCommand, CommandError

from requests_app.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Remind officers of requests due soon, due today or overdue, and requesters of "
        "unanswered clarification questions. Run once a day, from cron or a systemd timer. "
        "Safe to run again: a reminder already sent is not sent twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_reminders()
        # References and kinds only: this output can reach logs.
        for reminder in run.sent:
            self.stdout.write(
                f"Reminded {reminder.recipients} officer(s): {reminder.request.reference} "
                f"{reminder.get_kind_display().lower()}"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(run.sent)} reminder(s) sent."))
        if run.failed:
            # After the others were done, so a scheduler sees the failure and nothing waits.
            raise CommandError(f"Could not remind of {', '.join(run.failed)}. See the log.")
