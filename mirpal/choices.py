"""A faster get_FOO_display for fields whose choices are a Choices enum.

Django's own builds a dict of every choice at each call, hashing each lazy label, which is a
translation lookup per choice: for a list of twenty search results with a kind and a language,
that was most of the serializer's time. This one is a dictionary lookup, and gives the same text.
"""

from __future__ import annotations

from django.db import models


def choice_display(field_name: str, choices: type[models.Choices]):
    """A method for the model body: `get_kind_display = choice_display("kind", DocumentKind)`.
    Django keeps a get_FOO_display the class defines itself."""

    def display(self) -> str:
        value = getattr(self, field_name)
        member = choices._value2member_map_.get(value)
        return value if member is None else str(member.label)

    display.__name__ = f"get_{field_name}_display"
    return display
