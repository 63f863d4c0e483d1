from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "Oversight"

    def ready(self) -> None:
        # The dashboard's monthly tallies follow the rows they count (docs/performance.md).
        from django.db.models.signals import post_migrate

        from oversight.dashboard import keeping

        keeping.connect()
        post_migrate.connect(keeping.fill_after_migrate, sender=self, dispatch_uid="tally-fill")
