"""Demo threads (``seed_demo``): a conversation on a request under review, and thanks after
a disclosure, so "What changed" has something to show both sides."""

from accounts.models import User
from requests_app.models import InformationRequest
from requests_app.thread.services import message_send


def seed_threads(
    *,
    under_review: InformationRequest,
    disclosed: InformationRequest,
    requester: User,
    discloser: User,
) -> None:
    conversation = [
        (discloser, under_review, "I have started on this. Do you need the incident logs too, "
         "or only the summary of call-outs?"),
        (requester, under_review, "The summary is enough for the panel on the 14th, thank you."),
        (discloser, under_review, "Understood. I expect to decide by the end of the week."),
        (requester, disclosed, "Received, thank you. It will go to the ASB panel only."),
    ]  # fmt: skip
    for author, request, body in conversation:
        message_send(actor=author, request=request, body=body)
