from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API for case-management systems"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from api import receivers  # noqa: F401  (token issuance is audited)
