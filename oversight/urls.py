from django.urls import path

from oversight import views

app_name = "audit"

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("register.csv", views.register_csv, name="register_csv"),
    path("register.pdf", views.register_pdf, name="register_pdf"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard_csv"),
    path("dashboard.pdf", views.dashboard_pdf, name="dashboard_pdf"),
    path("access-log/", views.access_log, name="access_log"),
    path("access-log.csv", views.access_log_csv, name="access_log_csv"),
    path("breaches/", views.breach_list, name="breaches"),
    path("breaches/report/", views.breach_report, name="breach_report"),
    path("breaches/<int:pk>/", views.breach_detail, name="breach_detail"),
]
