from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Partner agencies and officers"

    def ready(self) -> None:
        # Sign-in events are written to the audit log by receivers that only record.
        from accounts import receivers  # noqa: F401
