"""Every error of the API in one JSON shape (docs/api.md, "Errors"):

    {"status": 400, "code": "invalid", "message": "…", "fields": {"description": ["…"]}}

``fields`` names each input with a problem (``people[0].full_name``, ``checklist.lawful``)
and says how to fix it, in the words the pages use; it is empty when no field is at fault.
"""

import re
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from requests_app.services import TransitionRefused

Fields = dict[str, list[str]]


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error, for the schema."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each input with a problem (people[0].full_name), and how to fix it",
    )


class Invalid(exceptions.APIException):
    """Problems with what was sent, by field."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"
    default_detail = "There is a problem with what was sent: see fields"

    def __init__(self, fields: Fields, message: str | None = None) -> None:
        super().__init__(message or self.default_detail)
        self.fields = fields


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = "The body is larger than the portal takes"


class Conflict(exceptions.APIException):
    """The request is not in a state that allows this now."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request is not in a state that allows this"


_PERSON_KEY = re.compile(r"^people-(\d+)-(\w+)$")
_CHECKLIST_KEY = re.compile(r"^checklist-(\w+)$")


def api_key(key: str) -> str:
    """A service's problem key (``people-0-consent``) as the API names the field."""
    if found := _PERSON_KEY.match(key):
        return f"people[{found[1]}].{found[2]}"
    if found := _CHECKLIST_KEY.match(key):
        return f"checklist.{found[1]}"
    return "non_field" if key in {"__all__", ""} else key


def body(status_code: int, code: str, message: str, fields: Fields | None = None) -> dict:
    return {"status": status_code, "code": code, "message": message, "fields": fields or {}}


def _drf_fields(detail: Any, prefix: str = "") -> Fields:
    """A serializer's nested errors as flat ``a[0].b`` field names."""
    found: Fields = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            path = f"{prefix}.{name}" if prefix and name else (prefix or name or "non_field")
            found.update(_drf_fields(value, path))
    elif isinstance(detail, list) and any(isinstance(v, dict | list) for v in detail):
        for index, value in enumerate(detail):
            if value:
                found.update(_drf_fields(value, f"{prefix}[{index}]"))
    elif isinstance(detail, list):
        found[prefix or "non_field"] = [str(v) for v in detail]
    else:
        found[prefix or "non_field"] = [str(detail)]
    return found


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        fields = (
            {api_key(k): list(v) for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field": list(exc.messages)}
        )
        exc = Invalid(fields)
    elif isinstance(exc, RequestDataTooBig):
        exc = TooLarge()
    elif isinstance(exc, TransitionRefused):
        exc = Conflict(str(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("This officer may not do this")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Invalid):
        fields = exc.fields
    elif isinstance(exc, exceptions.ValidationError):
        fields = _drf_fields(exc.detail)
    else:
        fields = {}
    detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
    message = (
        str(detail)
        if isinstance(detail, str)
        else "There is a problem with what was sent: see fields"
    )
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "invalid"
    response.data = body(response.status_code, code, message, fields)
    return response


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/ that is not an operation: the same 404 shape, whatever the
    method (the API takes no cookies, so there is no CSRF token to refuse first)."""
    return JsonResponse(body(404, "not_found", "Not found"), status=404)
