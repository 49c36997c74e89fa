"""Select boxes rendered in Python: Django's own render one template per option, which for a
list of 250 countries costs more than the rest of a filter form together. The markup is the same
as Django's templates produce (tests/mirpal/test_widgets.py compares them)."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs_html(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        lines = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                lines.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                lines.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                lines.append("\n  </optgroup>")
        # Every part is escaped above.
        return mark_safe(
            f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>'
            + "".join(lines)
            + "\n</select>"
        )


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    allow_multiple_selected = True
