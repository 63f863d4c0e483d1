"""The email outbox with the real database backend, the real worker and a real SMTP relay on
127.0.0.1: officers' actions never wait for the relay, and every committed notification goes
out once the relay answers, once. Time is moved by hand: a retry becomes due when a test
says so, never by sleeping."""

import email
import socket
import socketserver
import threading
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from agreements.models import Agreement
from isp_portal.mail import MAX_ATTEMPTS, retry_delay
from requests_app import services
from requests_app.models import InformationRequest
from tests.factories import UserFactory
from tests.requests_app.conftest import SUSPECT, build_request, decision_fields
from tests.security.conftest import sign_in
from tests.world import World

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class _SMTPSession(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's SMTP backend: greet, take every message, say goodbye."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 relay.test ready")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in {b"EHLO", b"HELO"}:
                self.reply("250 relay.test")
            elif verb in {b"MAIL", b"RCPT", b"RSET", b"NOOP"}:
                self.reply("250 OK")
            elif verb == b"DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b"".join(iter(self.rfile.readline, b".\r\n"))
                self.server.received.append(email.message_from_bytes(data))  # type: ignore[attr-defined]
                self.reply("250 OK queued")
            elif verb == b"QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")


class Relay:
    """An SMTP relay on a fixed local port that can be down (refusing connections), hanging
    (accepting connections and never answering) or up (taking every message)."""

    def __init__(self) -> None:
        probe = socket.create_server(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()  # nothing listens: connections are refused
        self.received: list[email.message.Message] = []
        self._hanging: socket.socket | None = None
        self._server: socketserver.ThreadingTCPServer | None = None

    def hang(self) -> None:
        # Listening but never accepting: the kernel completes the connection and the client
        # waits for a greeting that never comes.
        self._hanging = socket.create_server(("127.0.0.1", self.port))

    def start(self) -> None:
        self.stop()
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), _SMTPSession)
        self._server.received = self.received  # type: ignore[attr-defined]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._hanging is not None:
            self._hanging.close()
            self._hanging = None
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def recipients(self) -> list[str]:
        return sorted(message["To"] for message in self.received)


@pytest.fixture
def relay(settings) -> Iterator[Relay]:
    relay = Relay()
    settings.TASKS = DATABASE_BACKEND
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": relay.port, "timeout": 0.5},
        }
    }
    yield relay
    relay.stop()


def run_worker() -> None:
    """The real worker, in this process, until nothing is due."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def back_off_elapsed() -> None:
    """Make every waiting retry due now, as the passing of its back-off would."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def emails() -> QuerySet[DBTaskResult]:
    """The outbox's messages: the worker also runs the audit sequencer's tasks."""
    return DBTaskResult.objects.filter(task_path="isp_portal.mail.send_email")


def queued_recipients() -> list[str]:
    return sorted(r.args_kwargs["kwargs"]["to"] for r in emails())


def submit_and_decide(client: Client, world: World, agreement: Agreement) -> InformationRequest:
    """The requester submits through the page; the disclosing officer decides."""
    req = build_request(world, agreement)
    client.force_login(world.requester)
    response = client.post(
        reverse("requests:check", args=[req.pk]),
        {"declaration_name": world.requester.get_full_name()},
    )
    assert response.status_code == 302
    req = services.request_start_review(actor=world.discloser, request=req)
    services.request_decide(
        actor=world.discloser, request=req, fields=decision_fields(world.discloser)
    )
    return InformationRequest.objects.get(pk=req.pk)


def test_rolled_back_change_enqueues_nothing_and_committed_one_enqueues_no_personal_data(
    world: World, agreement: Agreement, settings
) -> None:
    settings.TASKS = DATABASE_BACKEND
    req = build_request(world, agreement)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.request_submit(
            actor=world.requester, request=req, declaration_name=world.requester.get_full_name()
        )
        raise RuntimeError
    assert not emails().exists()

    req = services.request_submit(
        actor=world.requester, request=req, declaration_name=world.requester.get_full_name()
    )

    assert world.discloser.email in queued_recipients()
    for result in emails():
        kwargs = result.args_kwargs["kwargs"]
        assert set(kwargs) == {"to", "subject", "body"}
        assert req.reference in kwargs["subject"]
        stored = str(result.args_kwargs)
        for personal in (SUSPECT.full_name, "Example Road", "1990", world.requester.last_name):
            assert personal not in stored


@pytest.mark.django_db(transaction=True)
def test_officers_act_while_the_relay_refuses_and_the_mail_goes_once_it_is_back(
    world: World, agreement: Agreement, client: Client, relay: Relay
) -> None:
    req = submit_and_decide(client, world, agreement)
    expected = queued_recipients()
    assert {world.discloser.email, world.requester.email} <= set(expected)

    run_worker()
    assert relay.received == []
    waiting = emails()
    assert {r.status for r in waiting} == {"READY"}
    assert all(r.run_after >= timezone.now() + retry_delay(1) / 2 for r in waiting)
    assert all("ConnectionRefusedError" in r.traceback for r in waiting)

    relay.start()
    run_worker()  # back-off not over: nothing is tried yet
    assert relay.received == []
    back_off_elapsed()
    run_worker()
    back_off_elapsed()
    run_worker()

    assert relay.recipients() == expected
    assert all(req.reference in message["Subject"] for message in relay.received)
    assert set(emails().values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_officers_act_while_the_relay_hangs_and_the_mail_goes_once_it_answers(
    world: World, agreement: Agreement, client: Client, relay: Relay
) -> None:
    relay.hang()
    submit_and_decide(client, world, agreement)
    expected = queued_recipients()

    run_worker()
    assert relay.received == []
    assert all("TimeoutError" in r.traceback for r in emails())

    relay.start()
    back_off_elapsed()
    run_worker()
    back_off_elapsed()
    run_worker()

    assert relay.recipients() == expected
    assert set(emails().values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db(transaction=True)
def test_email_that_keeps_failing_ends_failed_and_an_administrator_sends_it_again(
    world: World, agreement: Agreement, client: Client, relay: Relay
) -> None:
    services.request_submit(
        actor=world.requester,
        request=build_request(world, agreement),
        declaration_name=world.requester.get_full_name(),
    )
    expected = queued_recipients()
    for _ in range(MAX_ATTEMPTS):
        back_off_elapsed()
        run_worker()
    failed = emails()
    assert {r.status for r in failed} == {"FAILED"}
    assert {len(r.worker_ids) for r in failed} == {MAX_ATTEMPTS}
    back_off_elapsed()
    run_worker()
    assert {len(r.worker_ids) for r in emails()} == {MAX_ATTEMPTS}

    UserFactory.create(username="root", agency=world.council, is_superuser=True, is_staff=True)
    sign_in(client, "root")
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = client.get(changelist, {"status__exact": "FAILED"})
    assert page.status_code == 200
    assert "Failed" in page.content.decode()
    response = client.post(
        changelist,
        {"action": "send_again", "_selected_action": [str(r.pk) for r in failed]},
    )
    assert response.status_code == 302
    relay.start()
    run_worker()

    assert relay.recipients() == expected
    assert set(emails().values_list("status", flat=True)) == {"SUCCESSFUL"}
