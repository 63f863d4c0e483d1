"""The messages on a request, for the API.

For now these are the clarification questions and their answers, as the request page
shows them. Message threads are being built separately; when they land, only this
function changes, and the API's answer keeps its shape (``kind`` says which sort).
"""

from typing import Any

from requests_app.models import InformationRequest


def messages_for(request: InformationRequest, context: dict[str, Any]) -> list[dict[str, Any]]:
    """The messages this officer sees on the request: ``context`` is the request page's
    (``selectors.request_page_context``), which holds them only if the officer sees the
    messages part at this stage."""
    return [
        {
            "kind": "clarification",
            "question": item.question,
            "asked_at": item.asked_at,
            "asked_by": str(item.asked_by),
            "answer": item.answer,
            "answered_at": item.answered_at,
        }
        for item in context["clarifications"]
    ]
