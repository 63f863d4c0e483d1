"""What a call may do: the officer's roles decide, through the same services and need to
know as the pages; the client's scopes narrow it further."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class ClientScope(BasePermission):
    """The view's ``required_scope`` (one scope, or one for each method) must be among
    the token's scopes. A view or method without one is refused: nothing is reachable by
    accident."""

    message = "This client's token does not have the scope this call needs"

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if request.user is None or token is None:
            return False
        needed = getattr(view, "required_scope", None)
        if isinstance(needed, dict):
            needed = needed.get(request.method or "")
        if needed is None:
            return False
        return bool(token.allow_scopes([needed]))
