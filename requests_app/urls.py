from django.urls import path

from requests_app import decision_views, group_views, part_a_views, pdf_views, views
from requests_app.recorded import views as recorded_views
from requests_app.thread import views as thread_views

app_name = "requests"

urlpatterns = [
    path("", views.my_requests, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("referred/", views.referred, name="referred"),
    path("search/", views.search_start, name="search"),
    path("search/<slug:sid>/", views.search_results, name="search_results"),
    path("changes/", thread_views.changes, name="changes"),
    path("new/", part_a_views.create, name="create"),
    path("recorded/", recorded_views.recorded_list, name="recorded"),
    path("recorded/new/", recorded_views.recorded_new, name="recorded_new"),
    path("recorded/<int:pk>/", recorded_views.recorded_detail, name="recorded_detail"),
    path("recorded/<int:pk>/done/", recorded_views.recorded_done, name="recorded_done"),
    path("recorded/<int:pk>/pdf/", recorded_views.recorded_pdf, name="recorded_pdf"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", part_a_views.task_list, name="edit"),
    path("<int:pk>/edit/<slug:task>/", part_a_views.edit_task, name="edit_task"),
    path("<int:pk>/check/", part_a_views.check, name="check"),
    path("<int:pk>/sent/", part_a_views.sent, name="sent"),
    path("<int:pk>/clarify/", views.ask_clarification, name="clarify"),
    path("<int:pk>/answer/", views.answer_clarification, name="answer"),
    path("<int:pk>/messages/", thread_views.send, name="message_send"),
    path("<int:pk>/refer/", views.refer, name="refer"),
    path("<int:pk>/advise/", views.give_advice, name="advise"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/withdraw/", part_a_views.withdraw, name="withdraw"),
    path("<int:pk>/copy/", group_views.copy, name="copy"),
    path("<int:pk>/decide/", decision_views.task_list, name="decide"),
    path("<int:pk>/decide/files/", decision_views.files_page, name="decide_files"),
    path("<int:pk>/decide/check/", decision_views.check_page, name="decide_check"),
    path("<int:pk>/decide/<slug:section>/", decision_views.section_page, name="decide_section"),
    path("<int:pk>/decided/", decision_views.decided, name="decided"),
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
]
