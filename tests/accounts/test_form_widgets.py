"""The shared form widgets write the markup Django's own would."""

import pytest
from django import forms
from django.test.html import parse_html

from isp_portal.forms import ListSelect

CHOICES = [("", "Any"), ("A&B", 'Agency <A> & "B"'), ("C", "Café"), ("D", "D")]


@pytest.mark.parametrize("value", ["", "A&B", "D", "not offered"])
def test_list_select_is_djangos_select(value: str) -> None:
    attrs = {"id": "id_agency", "class": "govuk-select", "aria-describedby": "agency-hint"}
    ours = ListSelect(choices=CHOICES).render("agency", value, attrs)
    djangos = forms.Select(choices=CHOICES).render("agency", value, attrs)
    assert parse_html(ours) == parse_html(djangos)
    assert ours.count(" selected") == (value in dict(CHOICES))
