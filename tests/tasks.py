"""The task backend most tests run with."""

from functools import partial

from django.db import transaction
from django.tasks.backends.immediate import ImmediateBackend


class OnCommitImmediateBackend(ImmediateBackend):
    """Runs a task when the transaction that enqueued it commits, as the worker would soon
    after, and never if it rolls back, as with the database backend: tests read mail.outbox
    after a commit without running a worker. tests/requests_app/test_email_outbox.py runs the
    real backend and worker."""

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        transaction.on_commit(partial(super().enqueue, task, args, kwargs))
