from django.urls import path

from rights import views

app_name = "rights"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/confirm/", views.case_confirm, name="confirm"),
    path("<int:pk>/subject-access/", views.subject_access, name="subject_access"),
    path("<int:pk>/subject-access.csv", views.subject_access_csv, name="subject_access_csv"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
]
