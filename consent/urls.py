from django.urls import path

from consent import pdf_views, views

app_name = "consent"

urlpatterns = [
    path("", views.consent_list, name="list"),
    path("new/", views.consent_create, name="create"),
    path("<int:pk>/", views.consent_detail, name="detail"),
    path("<int:pk>/signed-form/", views.consent_scan, name="scan"),
    path("<int:pk>/withdraw/", views.consent_withdraw, name="withdraw"),
    path("<int:pk>/pdf/", pdf_views.consent_pdf, name="pdf"),
    path("withdrawals/", views.withdrawal_list, name="withdrawals"),
    path("withdrawals/<int:pk>/reviewed/", views.withdrawal_review, name="withdrawal_review"),
]
