"""Time zones named as people say them: “Bishkek time, UTC+6”, «время Бишкека, UTC+6».

The IANA name (Asia/Bishkek) stays what is stored and computed with; these labels are what a
page, a mail or a calendar shows. The offset is the one in force at the moment shown, so a
London event in July reads “London time, UTC+1” and one in January “London time, UTC+0”.
"""

from __future__ import annotations

import datetime
import zoneinfo
from functools import lru_cache

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mirpal.widgets import FastSelect

# (English, Russian) for the zones of the nine countries and of the places experts and partners
# work from. The Russian is the genitive after «время»: «время Бишкека».
ZONE_NAMES: dict[str, tuple[str, str]] = {
    # The nine countries of the network, their capitals first.
    "Asia/Yerevan": ("Yerevan", "Еревана"),
    "Europe/Minsk": ("Minsk", "Минска"),
    "Asia/Almaty": ("Astana and Almaty", "Астаны и Алматы"),
    "Asia/Qostanay": ("Kostanay", "Костаная"),
    "Asia/Qyzylorda": ("Kyzylorda", "Кызылорды"),
    "Asia/Aqtobe": ("Aktobe", "Актобе"),
    "Asia/Aqtau": ("Aktau", "Актау"),
    "Asia/Atyrau": ("Atyrau", "Атырау"),
    "Asia/Oral": ("Uralsk", "Уральска"),
    "Asia/Bishkek": ("Bishkek", "Бишкека"),
    "Europe/Chisinau": ("Chisinau", "Кишинёва"),
    "Europe/Moscow": ("Moscow", "Москвы"),
    "Europe/Kaliningrad": ("Kaliningrad", "Калининграда"),
    "Europe/Samara": ("Samara", "Самары"),
    "Asia/Yekaterinburg": ("Yekaterinburg", "Екатеринбурга"),
    "Asia/Omsk": ("Omsk", "Омска"),
    "Asia/Novosibirsk": ("Novosibirsk", "Новосибирска"),
    "Asia/Krasnoyarsk": ("Krasnoyarsk", "Красноярска"),
    "Asia/Irkutsk": ("Irkutsk", "Иркутска"),
    "Asia/Yakutsk": ("Yakutsk", "Якутска"),
    "Asia/Vladivostok": ("Vladivostok", "Владивостока"),
    "Asia/Magadan": ("Magadan", "Магадана"),
    "Asia/Kamchatka": ("Petropavlovsk-Kamchatsky", "Петропавловска-Камчатского"),
    "Asia/Dushanbe": ("Dushanbe", "Душанбе"),
    "Europe/Kyiv": ("Kyiv", "Киева"),
    "Europe/Kiev": ("Kyiv", "Киева"),
    "Asia/Tashkent": ("Tashkent", "Ташкента"),
    "Asia/Samarkand": ("Samarkand", "Самарканда"),
    # Neighbours and the places of experts, partners and donors.
    "Asia/Tbilisi": ("Tbilisi", "Тбилиси"),
    "Asia/Baku": ("Baku", "Баку"),
    "Asia/Ashgabat": ("Ashgabat", "Ашхабада"),
    "Europe/Istanbul": ("Istanbul", "Стамбула"),
    "Europe/Vilnius": ("Vilnius", "Вильнюса"),
    "Europe/Riga": ("Riga", "Риги"),
    "Europe/Tallinn": ("Tallinn", "Таллина"),
    "Europe/Warsaw": ("Warsaw", "Варшавы"),
    "Europe/Prague": ("Prague", "Праги"),
    "Europe/Bucharest": ("Bucharest", "Бухареста"),
    "Europe/Helsinki": ("Helsinki", "Хельсинки"),
    "Europe/Stockholm": ("Stockholm", "Стокгольма"),
    "Europe/Berlin": ("Berlin", "Берлина"),
    "Europe/Vienna": ("Vienna", "Вены"),
    "Europe/Zurich": ("Geneva", "Женевы"),
    "Europe/Paris": ("Paris", "Парижа"),
    "Europe/Brussels": ("Brussels", "Брюсселя"),
    "Europe/Amsterdam": ("The Hague and Amsterdam", "Гааги и Амстердама"),
    "Europe/Luxembourg": ("Luxembourg", "Люксембурга"),
    "Europe/Rome": ("Rome", "Рима"),
    "Europe/Madrid": ("Madrid", "Мадрида"),
    "Europe/Lisbon": ("Lisbon", "Лиссабона"),
    "Europe/London": ("London", "Лондона"),
    "Europe/Dublin": ("Dublin", "Дублина"),
    "America/New_York": ("Washington and New York", "Вашингтона и Нью-Йорка"),
    "America/Toronto": ("Toronto", "Торонто"),
    "America/Chicago": ("Chicago", "Чикаго"),
    "America/Los_Angeles": ("Los Angeles", "Лос-Анджелеса"),
    "Asia/Dubai": ("Dubai", "Дубая"),
    "Asia/Kolkata": ("New Delhi", "Нью-Дели"),
    "Asia/Bangkok": ("Bangkok", "Бангкока"),
    "Asia/Shanghai": ("Beijing", "Пекина"),
    "Asia/Manila": ("Manila", "Манилы"),
    "Asia/Tokyo": ("Tokyo", "Токио"),
    "Asia/Seoul": ("Seoul", "Сеула"),
    "Australia/Sydney": ("Sydney", "Сиднея"),
}

# The countries' zones offered first on the profile form, in this order.
NETWORK_ZONES = (
    "Asia/Yerevan",
    "Europe/Minsk",
    "Asia/Almaty",
    "Asia/Bishkek",
    "Europe/Chisinau",
    "Europe/Moscow",
    "Asia/Dushanbe",
    "Europe/Kyiv",
    "Asia/Tashkent",
)

# Names under which tzdata knows UTC itself: named “UTC” alone, never “UTC time, UTC+0”.
UTC_NAMES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}
    | {"GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0", "GMT0", "GMT+0", "GMT-0"}
    | {"Etc/Greenwich", "Greenwich"}
)

# The labels are built here rather than through the catalogue: the Russian needs the place in
# the genitive after «время», which ZONE_NAMES holds.
PATTERNS = {"en": "{place} time, %(offset)s", "ru": "время {place}, %(offset)s"}


def _language() -> str:
    return "ru" if (translation.get_language() or "").startswith("ru") else "en"


def offset_label(offset: datetime.timedelta | None) -> str:
    """UTC+6, UTC+5:30, UTC−3 (with a minus sign), UTC+0."""
    minutes = int((offset or datetime.timedelta()).total_seconds() // 60)
    sign = "−" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def _key(zone) -> str:
    return zone if isinstance(zone, str) else getattr(zone, "key", None) or str(zone)


def is_named(zone) -> bool:
    """Whether the zone has a name in both languages (else the label is its Latin place)."""
    key = _key(zone)
    return key in ZONE_NAMES or key in UTC_NAMES


@lru_cache(maxsize=4096)
def _place(key: str, language: str) -> str | None:
    """The place part of the label, per process and language; None for UTC itself."""
    if key in UTC_NAMES:
        return None
    if key in ZONE_NAMES:
        return ZONE_NAMES[key][1 if language == "ru" else 0]
    return key.rsplit("/", 1)[-1].replace("_", " ")


@lru_cache(maxsize=4096)
def _pattern(key: str, language: str) -> str:
    """“%(offset)s”, “Bishkek time, %(offset)s” or “Buenos Aires, %(offset)s”."""
    place = _place(key, language)
    if place is None:
        return "%(offset)s"
    if key not in ZONE_NAMES:
        # A place without a Russian name: shown as tzdata spells it, without “time” around it.
        return place.replace("%", "%%") + ", %(offset)s"
    return PATTERNS[language].format(place=place.replace("%", "%%"))


def zone_label(zone, *, at: datetime.datetime | None = None) -> str:
    """The zone as people name it, in the active language, with the offset in force at `at`
    (now by default): “Bishkek time, UTC+6”, «время Бишкека, UTC+6», “UTC”.

    `zone` is a ZoneInfo or an IANA name; an unknown name is shown with UTC's offset."""
    key = _key(zone)
    try:
        tz = zone if isinstance(zone, datetime.tzinfo) else zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = datetime.UTC
    moment = (at or timezone.now()).astimezone(tz)
    offset = "UTC" if key in UTC_NAMES else offset_label(moment.utcoffset())
    return _pattern(key, _language()) % {"offset": offset}


class ViewerZone:
    """The viewer's zone in a template: `{{ viewer_time_zone }}` reads “Bishkek time, UTC+6” in
    the page's language; `.key` is the IANA name and `.zone` the ZoneInfo."""

    __slots__ = ("zone",)

    def __init__(self, zone: zoneinfo.ZoneInfo) -> None:
        self.zone = zone

    @property
    def key(self) -> str:
        return _key(self.zone)

    @property
    def label(self) -> str:
        return zone_label(self.zone)

    def __str__(self) -> str:
        return self.label

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other) -> bool:
        return isinstance(other, ViewerZone) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"ViewerZone({self.key!r})"


@lru_cache(maxsize=16)
def _choices(language: str, hour: datetime.datetime) -> tuple:
    """The profile form's choices, per process, language and hour (offsets change on the hour):
    the network's countries first, then the other named places, then every other zone."""
    with translation.override(language):
        label = lambda key: zone_label(key, at=hour)  # noqa: E731
        named = [key for key in ZONE_NAMES if key not in NETWORK_ZONES and key != "Europe/Kiev"]
        others = sorted(
            name
            for name in zoneinfo.available_timezones()
            if "/" in name
            and not name.startswith(("Etc/", "SystemV/", "US/"))
            and name not in ZONE_NAMES
        )
        return (
            (
                str(_("The network's countries")),
                tuple((key, label(key)) for key in NETWORK_ZONES),
            ),
            (
                str(_("Other places")),
                tuple(sorted(((key, label(key)) for key in named), key=lambda c: c[1])),
            ),
            (
                str(pgettext_lazy("time zones", "Other time zones")),
                tuple((key, label(key)) for key in others),
            ),
        )


class TimeZoneSelect(FastSelect):
    """A select of zone_choices(); a zone without a Russian name is shown as tzdata spells it,
    marked as English text (lang="en") for screen readers and the Russian pages check."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value and not is_named(value):
            option["attrs"]["lang"] = "en"
        return option


def zone_choices() -> tuple:
    """Grouped (key, label) choices for a time zone select, in the active language."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    return _choices(_language(), now)
