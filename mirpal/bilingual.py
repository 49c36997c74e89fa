"""Fields kept in English and Russian side by side (`title_en`, `title_ru`)."""

from django.utils import translation


def localized(obj, field: str) -> str:
    """The field in the active language, falling back to the other language when it is empty."""
    first, second = ("ru", "en") if translation.get_language() == "ru" else ("en", "ru")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")


class Localized:
    """A read-only attribute for a field kept in two languages: `title = Localized("title")` reads
    `title_en` or `title_ru` as `localized` picks. On the class it is the descriptor itself, so
    the admin's list_display, DRF's ModelSerializer and templates treat it as they do a property.
    """

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return localized(obj, self.field)
