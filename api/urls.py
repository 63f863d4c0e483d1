"""/api/v1/: the operations, the OAuth 2.0 token endpoint, the schema and its docs."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from oauth2_provider import views as oauth_views
from rest_framework.permissions import AllowAny

from api import errors, token, views

app_name = "api"

_PUBLIC = {"authentication_classes": [], "permission_classes": [AllowAny], "throttle_classes": []}

urlpatterns = [
    # Client credentials only (api.oauth.ClientValidator refuses every other grant).
    path("oauth/token/", token.ThrottledTokenView.as_view(), name="token"),
    path("oauth/revoke/", oauth_views.RevokeTokenView.as_view(), name="revoke"),
    path("schema/", SpectacularAPIView.as_view(**_PUBLIC), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", **_PUBLIC),
        name="docs",
    ),
    path("requests/", views.RequestList.as_view(), name="requests"),
    path("requests/search/", views.RequestSearch.as_view(), name="search"),
    path("requests/<int:pk>/", views.RequestDetail.as_view(), name="request"),
    path("requests/<int:pk>/submit/", views.RequestSubmit.as_view(), name="submit"),
    path(
        "requests/<int:pk>/start-review/", views.RequestStartReview.as_view(), name="start_review"
    ),
    path("requests/<int:pk>/timeline/", views.RequestTimeline.as_view(), name="timeline"),
    path("requests/<int:pk>/messages/", views.RequestMessages.as_view(), name="messages"),
    path("requests/<int:pk>/decision/", views.RequestDecision.as_view(), name="decision"),
    path(
        "requests/<int:pk>/files/<int:attachment_id>/",
        views.RequestFile.as_view(),
        name="file",
    ),
    path("changes/", views.ChangeFeed.as_view(), name="changes"),
    re_path(r"^.*$", errors.not_found, name="not_found"),
]
