"""Recording a decision through the API: checked by the decision form and the
Information Sharing Checklist of the browser's check-and-sign page, and by the protocol's
rules (``requests_app.rules.decision_problems``), then signed by the same service."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from rest_framework import serializers

from accounts.models import ProtectiveMarking, User
from agreements.forms import CHECKLIST, SharingChecklistForm
from api.drafts import form_fields
from api.errors import Conflict, Fields, Invalid, api_key
from isp_portal.limits import TEXT_LENGTH
from requests_app import permissions, rules, services
from requests_app.forms import DecisionForm
from requests_app.models import (
    AttachmentKind,
    ConsentBasis,
    Decision,
    DeliveryMethod,
    InformationRequest,
    InformationType,
    Outcome,
    SubjectInformed,
)
from requests_app.workflow import Action


def _text(length: int = TEXT_LENGTH, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(max_length=length, allow_blank=True, **kwargs)


class DecisionInSerializer(serializers.Serializer):
    """Part B and the Appendix G record, the checklist points considered, and the
    signature: everything the check-and-sign page signs."""

    outcome = serializers.ChoiceField(choices=Outcome.choices)
    summary = _text(300, help_text="A line or two for the register; names nobody")
    decline_reason = _text(required=False, default="")
    reasons = _text()
    information_disclosed = _text(required=False, default="")
    information_types = serializers.ListField(
        child=serializers.ChoiceField(choices=InformationType.choices),
        required=False,
        default=list,
        max_length=len(InformationType.choices),
    )
    information_types_other = _text(250, required=False, default="")
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    delivery_other = _text(120, required=False, default="")
    marking = serializers.ChoiceField(choices=ProtectiveMarking.choices)
    consent_basis = serializers.ChoiceField(choices=ConsentBasis.choices)
    subject_informed = serializers.ChoiceField(choices=SubjectInformed.choices)
    not_informed_reason = _text(required=False, default="")
    authorised_by = _text(250)
    evidence = _text()
    third_parties = _text(required=False, default="")
    supplied_on = serializers.DateField(required=False, allow_null=True)
    checklist = serializers.ListField(
        child=serializers.ChoiceField(choices=[key for key, _question in CHECKLIST]),
        help_text="The checklist points considered: every one is needed",
        max_length=len(CHECKLIST),
    )
    signature_name = serializers.CharField(max_length=200)


def _form_data(data: dict[str, Any]) -> MultiValueDict:
    form_data: MultiValueDict = MultiValueDict()
    for name, value in data.items():
        if name in {"checklist", "supplied_on"}:
            continue
        if isinstance(value, list):
            form_data.setlist(name, [str(v) for v in value])
        else:
            form_data[name] = "" if value is None else str(value)
    supplied: datetime.date | None = data.get("supplied_on")
    for key, part in zip(
        ("day", "month", "year"),
        (supplied.day, supplied.month, supplied.year) if supplied else ("", "", ""),
        strict=True,
    ):
        form_data[f"supplied_on_{key}"] = str(part)
    return form_data


def decide(
    *, user: User, request: InformationRequest, data: dict[str, Any], http_request: HttpRequest
) -> Decision:
    """Sign the decision, or say every problem with it at once, as the page does."""
    if not permissions.can(user, Action.DECIDE, request):
        raise Conflict(services.refusal_message(request, Action.DECIDE))
    files = request.attachments.filter(kind=AttachmentKind.DISCLOSURE).exists()
    form = DecisionForm(_form_data(data), files_attached=files)
    checklist_form = SharingChecklistForm(
        {f"checklist-{key}": "on" for key in data.get("checklist", [])}, prefix="checklist"
    )
    checklist = checklist_form.cleaned_data if checklist_form.is_valid() else {}
    if not form.is_valid():
        problems: Fields = form_fields(form)
        ruled = rules.decision_problems(
            request,
            actor=user,
            consent_basis=data.get("consent_basis", ""),
            summary=data.get("summary", ""),
            checklist=checklist,
            signature_name=data.get("signature_name", ""),
            today=timezone.localdate(),
        )
        for key, messages in ruled.items():
            problems.setdefault(api_key(key), list(messages))
        raise Invalid(problems)
    return services.request_decide(
        actor=user,
        request=request,
        fields={**form.cleaned_data, "checklist": checklist},
        http_request=http_request,
    )
