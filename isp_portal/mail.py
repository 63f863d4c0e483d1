"""The portal's one way to send email: an outbox of tasks (``django.tasks``, stored in the
database by ``django_tasks_db``), sent by the worker (``manage.py db_worker``).

Notifications are enqueued inside the transaction that makes the change they report, so a
rolled-back change enqueues nothing and a committed one is sent at least once, however long
the relay is down; and no page waits for the relay. Each message is its own task, so a retry
never sends again what already went. A task's arguments are stored in the database: they
hold the one recipient's address and a subject and body that carry a reference and a link,
never personal information.
"""

import datetime
from collections.abc import Iterable
from typing import Any, Protocol

from django.core.mail import send_mail
from django.db.models import QuerySet
from django.dispatch import receiver
from django.tasks import TaskResult, TaskResultStatus, task
from django.tasks.signals import task_finished
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

# Twelve attempts, waiting 1, 2, 4 ... minutes and then an hour between them: about six hours
# of relay outage before a message stops and waits, failed, for an administrator.
MAX_ATTEMPTS = 12
_LONGEST_WAIT = datetime.timedelta(hours=1)


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the given number of failed attempts."""
    return min(datetime.timedelta(minutes=2 ** (attempts - 1)), _LONGEST_WAIT)


@task
def send_email(*, to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])


def enqueue_email(*, recipients: Iterable[str], subject: str, body: str) -> None:
    """Queue one message per address. Call it inside the change's transaction."""
    for address in sorted(set(recipients)):
        send_email.enqueue(to=address, subject=subject, body=body)


NO_PERSONAL_DATA = "This email deliberately holds no personal information. Do not reply with any."


class Recipient(Protocol):
    email: str
    is_active: bool


def notify(*, recipients: Iterable[Recipient], subject: str, message: str, link: str) -> None:
    """The one shape of a notification: a subject and a sentence that name only a reference,
    and a link to sign in and see it; sent to the active officers among ``recipients``."""
    enqueue_email(
        recipients=[u.email for u in recipients if u.email and u.is_active],
        subject=f"ISP Portal: {subject}",
        body=f"{message}\n\nSign in to the ISP Portal to see it:\n{link}\n\n{NO_PERSONAL_DATA}",
    )


@receiver(task_finished)
def _retry_later(sender: type, task_result: TaskResult, **kwargs: Any) -> None:
    """django_tasks_db has no retries of its own: a failed email goes back into the queue,
    not before its back-off, until it has had MAX_ATTEMPTS; then it stays failed, visible
    (with its error) in the admin's task results, for an administrator to send again."""
    db_result = getattr(task_result, "db_result", None)
    if (
        db_result is None
        or task_result.task.module_path != send_email.module_path
        or task_result.status != TaskResultStatus.FAILED
        or task_result.attempts >= MAX_ATTEMPTS
    ):
        return
    DBTaskResult.objects.filter(pk=db_result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now() + retry_delay(task_result.attempts),
        finished_at=None,
    )


def email_retry(results: QuerySet[DBTaskResult]) -> int:
    """Put failed emails back into the queue, now, with a fresh set of attempts. The last
    error stays on the row until the message goes. Returns how many were requeued."""
    return results.filter(task_path=send_email.module_path, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        run_after=timezone.now(),
        finished_at=None,
        worker_ids=[],
    )
