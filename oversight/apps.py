from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "Oversight"

    def ready(self) -> None:
        # The dashboard's monthly tallies follow the rows they count (docs/performance.md).
        from oversight.dashboard import keeping

        keeping.connect()
