import pytest
from django import forms

from mirpal.widgets import FastSelect, FastSelectMultiple

CHOICES = [
    ("", "Any"),
    ("KG", "Kyrgyz Republic"),
    ("ru-x", 'Quotes " & <tags>'),
    ("Group <b>", [("a", "A & a"), ("b", "B")]),
]


@pytest.mark.parametrize(
    ("fast", "plain", "value"),
    [
        (FastSelect, forms.Select, "KG"),
        (FastSelect, forms.Select, "b"),
        (FastSelect, forms.Select, None),
        (FastSelectMultiple, forms.SelectMultiple, ["KG", "a"]),
    ],
)
def test_same_markup_as_django_templates(fast, plain, value):
    attrs = {"id": "id_country", "class": "wide", "required": True, "data-x": '"q"'}
    assert fast(choices=CHOICES).render("country", value, attrs=attrs) == plain(
        choices=CHOICES
    ).render("country", value, attrs=attrs)
