from django.apps import AppConfig

# Loaded with the app, not on a worker's first request: the bank holiday calendar takes
# most of a second to import (#19). It needs nothing from Django.
from requests_app import workdays  # noqa: F401


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = "Requests and disclosures"

    def ready(self) -> None:
        # Imported once the models are loaded, as Django requires of ready().
        from consent import uses
        from requests_app.consent import live_uses
        from requests_app.selectors import requests_visible_to

        # Consent sits a floor below requests: this is how it reaches them (consent/uses.py).
        uses.register(visible_to=requests_visible_to, live_uses=live_uses)
