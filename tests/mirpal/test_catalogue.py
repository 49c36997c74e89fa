from pathlib import Path

import polib
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_russian_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


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
