"""The officer a request is made by: the one way a view gets its signed-in user."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in officer. Every portal view is behind sign-in (the middleware sends
    everyone else to the sign-in page), so an anonymous visitor here is refused."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
