"""The administrator's pages for API clients, under /api-clients/."""

from django.urls import path

from api import client_views

app_name = "api_clients"

urlpatterns = [
    path("", client_views.client_list, name="list"),
    path("new/", client_views.client_add, name="add"),
    path("<int:pk>/revoke/", client_views.client_revoke, name="revoke"),
]
