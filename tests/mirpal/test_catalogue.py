from pathlib import Path

import polib
import pytest
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES" / "django.po"
# Third-party strings makemessages would drop (mirpal/management/commands/compile_catalogue.py).
OVERRIDES = CATALOGUE.with_name("overrides.po")


@pytest.mark.parametrize("path", [CATALOGUE, OVERRIDES], ids=["django.po", "overrides.po"])
def test_every_string_has_a_russian_translation(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_overrides_hold_only_strings_makemessages_does_not_keep():
    """An override of a string this site's own sources use would be shadowed by django.po's."""
    ours = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(CATALOGUE))}
    overrides = polib.pofile(str(OVERRIDES))
    assert [entry.msgid for entry in overrides if (entry.msgctxt, entry.msgid) in ours] == []
    assert all(entry.tcomment for entry in overrides), "say whose string each override is"
    with translation.override("ru"):
        assert translation.gettext("Add Security Key") == "Добавление ключа безопасности"


def test_no_translation_is_a_copy_of_the_english():
    catalogue = polib.pofile(str(CATALOGUE))
    # Names and codes that read the same in both languages.
    same_in_both = {"MIRPAL", "Email", "HTML", "CSV", "ICS", "URL", "API", "PDF"}
    copied = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if entry.msgstr == entry.msgid
        and entry.msgid not in same_in_both
        and any(letter.isalpha() for letter in entry.msgid)
    ]
    assert copied == []


def test_countries_are_named_in_russian():
    from mirpal.countries import Country

    with translation.override("ru"):
        assert [str(label) for label in Country.labels] == [
            "Армения",
            "Беларусь",
            "Казахстан",
            "Кыргызская Республика",
            "Молдова",
            "Россия",
            "Таджикистан",
            "Украина",
            "Узбекистан",
            "Международные организации / другие страны",
        ]
