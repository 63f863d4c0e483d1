import uuid
from typing import Any

from django import forms

from accounts.models import User
from isp_portal.limits import MESSAGE_LENGTH
from requests_app import permissions
from requests_app.models import InformationRequest
from requests_app.workflow import Action


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MESSAGE_LENGTH,
        error_messages={
            "required": "Enter your message",
            "max_length": f"Your message must be {MESSAGE_LENGTH:,} characters or fewer",
        },
    )
    file = forms.FileField(
        label="Attach a file",
        help_text="PDF, Word, PNG, JPEG or plain text, up to 10 MB",
        required=False,
    )
    ask_clarification = forms.BooleanField(
        label="This asks the requester for clarification: pause the clock until they answer",
        required=False,
    )
    # A fresh token each time the form is shown; posting it twice sends the message once.
    post_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, may_ask_clarification: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("post_token", uuid.uuid4())
        if not may_ask_clarification:
            del self.fields["ask_clarification"]


def message_form_for(
    user: User, request: InformationRequest, data: Any = None, files: Any = None
) -> MessageForm:
    """The thread's form, offering to ask for clarification to whoever may ask now."""
    return MessageForm(
        data,
        files,
        may_ask_clarification=permissions.can(user, Action.ASK_CLARIFICATION, request),
    )
