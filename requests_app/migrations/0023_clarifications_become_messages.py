"""Each clarification (one question, at most one answer) becomes messages on the request's
thread: the question, from the disclosing officer who asked it, flagged as asking for
clarification; the answer, from the requester, flagged as giving it. Times are kept, so the
clock's pauses read the same."""

from django.db import migrations

REQUESTING, DISCLOSING = "requesting", "disclosing"
ASKED, GIVEN = "clarification_asked", "clarification_given"


def clarifications_to_messages(apps, schema_editor):
    Clarification = apps.get_model("requests_app", "Clarification")
    Message = apps.get_model("requests_app", "Message")
    messages = []
    for c in Clarification.objects.select_related("request").order_by("asked_at", "pk"):
        messages.append(
            Message(
                request_id=c.request_id,
                author_id=c.asked_by_id,
                side=DISCLOSING,
                kind=ASKED,
                body=c.question,
                sent_at=c.asked_at,
            )
        )
        if c.answered_at is not None:
            messages.append(
                Message(
                    request_id=c.request_id,
                    author_id=c.request.requester_id,
                    side=REQUESTING,
                    kind=GIVEN,
                    body=c.answer,
                    sent_at=c.answered_at,
                )
            )
    Message.objects.bulk_create(messages, batch_size=1000)


def messages_to_clarifications(apps, schema_editor):
    """Back: each question with the first answer after it, before the next question."""
    Clarification = apps.get_model("requests_app", "Clarification")
    Message = apps.get_model("requests_app", "Message")
    asked = None
    rows = []
    for m in Message.objects.filter(kind__in=[ASKED, GIVEN]).order_by(
        "request_id", "sent_at", "pk"
    ):
        if m.kind == ASKED:
            asked = Clarification(
                request_id=m.request_id,
                question=m.body,
                asked_by_id=m.author_id,
                asked_at=m.sent_at,
            )
            rows.append(asked)
        elif asked is not None and asked.request_id == m.request_id and asked.answered_at is None:
            asked.answer, asked.answered_at = m.body, m.sent_at
    Clarification.objects.bulk_create(rows, batch_size=1000)
    Message.objects.filter(kind__in=[ASKED, GIVEN]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0022_messages"),
    ]

    operations = [
        migrations.RunPython(clarifications_to_messages, messages_to_clarifications),
    ]
