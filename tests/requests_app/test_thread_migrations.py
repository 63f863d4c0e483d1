"""Clarifications asked and answered before the thread existed keep their meaning: each
becomes the question and the answer on the request's thread, by the same people, at the
same times."""

import datetime

import pytest

from tests.migrating import migrating

# The model the migration removes, named as a plain string: the type checker knows only
# the models of today.
CLARIFICATION: str = "Clarification"

pytestmark = pytest.mark.django_db(transaction=True)

ASKED = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def _request(old, code: str):
    Agency = old.get_model("accounts", "Agency")
    User = old.get_model("accounts", "User")
    Request = old.get_model("requests_app", "InformationRequest")
    joined = datetime.date(2020, 1, 1)
    council = Agency.objects.create(
        code=f"C{code}", name="Council", kind="council", joined_on=joined
    )
    police = Agency.objects.create(code=f"P{code}", name="Police", kind="police", joined_on=joined)
    requester = User.objects.create(username=f"requester{code}", agency=council)
    discloser = User.objects.create(username=f"discloser{code}", agency=police)
    req = Request.objects.create(
        reference=f"ISP-2026-{code}",
        status="under_review",
        requester=requester,
        requesting_agency=council,
        target_agency=police,
        description="ASB",
        required_by=joined,
        declaration_name="Requester",
    )
    return req, requester, discloser


def test_each_clarification_becomes_a_question_and_an_answer_on_the_thread() -> None:
    with migrating("requests_app", "0022_messages", "0023_clarifications_become_messages") as (
        old,
        forward,
    ):
        Clarification = old.get_model("requests_app", CLARIFICATION)
        req, requester, discloser = _request(old, "00001")
        Clarification.objects.create(
            request=req,
            question="Which flat?",
            asked_by=discloser,
            asked_at=ASKED,
            answer="Flat 2",
            answered_at=ASKED + datetime.timedelta(days=3),
        )
        Clarification.objects.create(
            request=req,
            question="And the date of birth?",
            asked_by=discloser,
            asked_at=ASKED + datetime.timedelta(days=4),
        )

        new = forward()
        Message = new.get_model("requests_app", "Message")
        thread = list(
            Message.objects.filter(request_id=req.pk)
            .order_by("sent_at")
            .values_list("kind", "side", "author_id", "body", "sent_at")
        )
        assert thread == [
            ("clarification_asked", "disclosing", discloser.pk, "Which flat?", ASKED),
            (
                "clarification_given",
                "requesting",
                requester.pk,
                "Flat 2",
                ASKED + datetime.timedelta(days=3),
            ),
            (
                "clarification_asked",
                "disclosing",
                discloser.pk,
                "And the date of birth?",
                ASKED + datetime.timedelta(days=4),
            ),
        ]


def test_going_back_turns_the_thread_s_clarifications_into_clarifications_again() -> None:
    with migrating("requests_app", "0023_clarifications_become_messages", "0022_messages") as (
        old,
        back,
    ):
        Message = old.get_model("requests_app", "Message")
        req, requester, discloser = _request(old, "00002")
        common = {"request_id": req.pk}
        Message.objects.create(
            **common, author=discloser, side="disclosing", kind="clarification_asked",
            body="Which flat?", sent_at=ASKED,
        )  # fmt: skip
        Message.objects.create(
            **common, author=requester, side="requesting", kind="message",
            body="Hello", sent_at=ASKED + datetime.timedelta(days=1),
        )  # fmt: skip
        Message.objects.create(
            **common, author=requester, side="requesting", kind="clarification_given",
            body="Flat 2", sent_at=ASKED + datetime.timedelta(days=2),
        )  # fmt: skip

        older = back()
        Clarification = older.get_model("requests_app", CLARIFICATION)
        assert list(
            Clarification.objects.values_list("question", "asked_by_id", "answer", "asked_at")
        ) == [("Which flat?", discloser.pk, "Flat 2", ASKED)]
        assert list(older.get_model("requests_app", "Message").objects.values_list("body")) == [
            ("Hello",)
        ]
