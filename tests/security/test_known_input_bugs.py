"""Bugs the fuzz tests found (now fixed), kept as regression tests."""

import pytest
from django.urls import reverse

from tests.agreements.conftest import make_agreement  # noqa: F401  (fixture)
from tests.requests_app.conftest import agreement, make_request  # noqa: F401  (fixtures)
from tests.security.catalogue import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", ["31", "on", "home.page"])
def test_a_next_that_is_not_a_path_redirects_safely(world, target: str) -> None:
    """``url_has_allowed_host_and_scheme("31")`` is true (a relative URL), and
    ``redirect("31")`` then tries it as a URL name: NoReverseMatch, a 500. Fix: accept only
    targets starting with "/" (not "//"), or use ``HttpResponseRedirect``."""
    response = client_for(world.requester).post(reverse("accounts:session"), {"next": target})
    assert response.status_code == 302
    assert response["Location"].startswith("/")


@pytest.mark.parametrize("value", ["9223372036854775808", "9" * 40])
def test_an_out_of_range_id_in_a_multiple_choice_is_a_field_error(
    world, make_request, value: str
) -> None:
    """Django's ModelMultipleChoiceField runs ``pk__in=[huge]``: OverflowError on SQLite, a
    DataError on PostgreSQL. Fix: a field in isp_portal/forms.py that refuses ids outside
    1..2**63-1 with its "invalid_pk_value" error, used for every multiple choice of rows
    (requests and agreements: legislation; agreements: parties; consent: agreements)."""
    draft = make_request()
    response = client_for(world.requester).post(
        reverse("requests:edit_task", args=[draft.pk, "legislation"]), {"legislation": value}
    )
    assert response.status_code == 200
    # The message names the field and says what to do (isp_portal.forms.govuk_messages).
    assert "select only the options shown" in response.content.decode()
