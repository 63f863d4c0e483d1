"""The email outbox in Django admin: django_tasks_db's read-only list of tasks, with each
one's status and last error, and a way to send again a message that used up its attempts.
Registered by PortalAdminConfig.ready(), once the admin site exists and django_tasks_db's
own admin has registered."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from isp_portal.mail import email_retry


class TaskResultAdmin(DBTaskResultAdmin):
    actions = ["send_again"]

    @admin.action(description="Send the selected failed emails again", permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        count = email_retry(queryset)
        self.message_user(request, f"{count} failed email(s) queued to be sent again.")


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
