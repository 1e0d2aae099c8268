"""The portal's form renderer writes selects exactly as Django's own templates do, only faster."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from portal.forms_renderer import PortalFormRenderer

pytestmark = pytest.mark.django_db


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("a", "A & B"), (1, "<one>")], required=False)
    grouped = forms.ChoiceField(choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("x", 'Say "x"')])
    several = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")])
    styled = forms.ChoiceField(
        choices=[("y", "Yes"), ("n", "No")],
        widget=forms.Select(attrs={"class": "form-select", "aria-describedby": "help \"x\"", "disabled": True,
                                   "data-off": False}),
    )  # fmt: skip


@pytest.mark.parametrize(
    "data",
    [None, {"plain": "a", "grouped": "pear", "several": ["1", "3"], "styled": "n"}, {"plain": "1", "grouped": "x"}],
)
def test_selects_are_written_exactly_as_djangos_templates_write_them(data):
    ours, django = Everything(data, renderer=PortalFormRenderer()), Everything(data, renderer=DjangoTemplates())
    for name in ours.fields:
        assert str(ours[name]) == str(django[name])
    assert "<option" in str(ours["grouped"]) and "<optgroup" in str(ours["grouped"])


def test_it_is_the_renderer_the_portal_uses():
    assert isinstance(forms.Form().renderer, PortalFormRenderer)
