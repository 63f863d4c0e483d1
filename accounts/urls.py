from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.officer_list, name="officers"),
    path("add/", views.officer_add, name="officer_add"),
    path("import/", views.officer_import, name="officer_import"),
    path("import/apply/", views.officer_import_apply, name="officer_import_apply"),
    path("import/officers.csv", views.officer_import_template, name="officer_import_template"),
    path("<int:pk>/", views.officer_edit, name="officer_edit"),
    path("<int:pk>/deactivate/", views.officer_deactivate, name="officer_deactivate"),
    path("<int:pk>/sessions/end/", views.officer_end_sessions, name="officer_end_sessions"),
    path("terms/", views.terms, name="terms"),
    path("session/", views.session_status, name="session"),
]
