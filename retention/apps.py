from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Retention and disposal"

    def ready(self) -> None:
        # Connects the receivers; imported once the models are loaded, as ready() requires.
        from retention import receivers  # noqa: F401
