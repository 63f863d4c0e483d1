from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("join/", views.join_apply, name="join"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:pk>/", views.application_decide, name="application"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/parties/<int:party_pk>/", views.party_edit, name="party"),
    path("<int:pk>/send/", views.agreement_send, name="send"),
    path("<int:pk>/sign/", views.agreement_sign, name="sign"),
    path("<int:pk>/amend/minor/", views.agreement_amend_minor, name="amend_minor"),
    path("<int:pk>/amend/substantial/", views.agreement_amend_substantial, name="amend"),
    path("<int:pk>/review/", views.agreement_renew, name="renew"),
    path("<int:pk>/terminate/", views.agreement_terminate, name="terminate"),
    path("<int:pk>/pdf/", views.agreement_pdf, name="pdf"),
]
