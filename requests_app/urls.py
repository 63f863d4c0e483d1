from django.urls import path

from requests_app import pdf_views, rights_views, views

app_name = "requests"

urlpatterns = [
    path("", views.my_requests, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("referred/", views.referred, name="referred"),
    path("search/", views.search_start, name="search"),
    path("search/<slug:sid>/", views.search_results, name="search_results"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/clarify/", views.ask_clarification, name="clarify"),
    path("<int:pk>/answer/", views.answer_clarification, name="answer"),
    path("<int:pk>/refer/", views.refer, name="refer"),
    path("<int:pk>/advise/", views.give_advice, name="advise"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/do/<slug:name>/", views.simple_action, name="action"),
    path("<int:pk>/upload/<slug:kind>/", views.upload, name="upload"),
    path("<int:pk>/files/<int:attachment_id>/", views.download, name="download"),
    path("<int:pk>/files/<int:attachment_id>/remove/", views.remove_file, name="remove_file"),
    path("<int:pk>/onward/", views.onward_ask, name="onward_ask"),
    path("<int:pk>/onward/<int:onward_id>/", views.onward_answer, name="onward_answer"),
    path("<int:pk>/pdf/", pdf_views.request_pdf, name="pdf"),
    path("forms/", pdf_views.blank_forms, name="blank_forms"),
    path("forms/request.pdf", pdf_views.blank_request_form, name="blank_request"),
    path("forms/consent.pdf", pdf_views.blank_consent_form, name="blank_consent"),
    *rights_views.RIGHTS_URLS,
]
