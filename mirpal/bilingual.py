"""Fields kept in English and Russian side by side (`title_en`, `title_ru`)."""

from django.utils import translation


def localized(obj, field: str) -> str:
    """The field in the active language, falling back to the other language when it is empty."""
    first, second = ("ru", "en") if translation.get_language() == "ru" else ("en", "ru")
    return getattr(obj, f"{field}_{first}") or getattr(obj, f"{field}_{second}")
