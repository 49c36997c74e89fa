"""Cheap display helpers for pages that show many posts or threads."""

from django import template
from django.utils.translation import get_language

from mirpal.countries import Country

register = template.Library()

_labels: dict[str, dict[str, str]] = {}


@register.filter
def country_label(code: str) -> str:
    """A country's name in the page's language. `get_country_display` resolves every choice's
    lazy name on each call; a list of thirty posts paid for that 270 times."""
    language = get_language() or ""
    labels = _labels.get(language)
    if labels is None:
        labels = _labels[language] = {value: str(label) for value, label in Country.choices}
    return labels.get(code, code or "")
