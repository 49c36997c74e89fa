"""Demo partners and donors for the home page: the kinds of organisation such a network works
with, written out in both languages. Logos are left to the secretariat to upload."""
# (Russian text is Cyrillic on purpose.)

from __future__ import annotations

from django.db import transaction

from portal.enums import SupporterKind
from portal.models import Supporter

SUPPORTERS = [
    (
        SupporterKind.PARTNER,
        "International Organization for Migration (IOM)",
        "Международная организация по миграции (МОМ)",
        "https://www.iom.int/",
    ),
    (
        SupporterKind.PARTNER,
        "United Nations Development Programme (UNDP)",
        "Программа развития ООН (ПРООН)",
        "https://www.undp.org/",
    ),
    (
        SupporterKind.PARTNER,
        "World Bank, KNOMAD",
        "Всемирный банк, KNOMAD",
        "https://www.knomad.org/",
    ),
    (
        SupporterKind.PARTNER,
        "International Labour Organization (ILO)",
        "Международная организация труда (МОТ)",
        "https://www.ilo.org/",
    ),
    (
        SupporterKind.PARTNER,
        "Eurasian Economic Commission",
        "Евразийская экономическая комиссия",
        "https://eec.eaeunion.org/",
    ),
    (
        SupporterKind.DONOR,
        "Swiss Agency for Development and Cooperation (SDC)",
        "Швейцарское управление по развитию и сотрудничеству (SDC)",
        "https://www.eda.admin.ch/sdc",
    ),
    (
        SupporterKind.DONOR,
        "Regional Migration Research Foundation",
        "Фонд региональных исследований миграции",
        "",
    ),
]


def load() -> dict[str, int]:
    """Create the demo partners and donors; those already there (by English name) are left alone."""
    created = 0
    with transaction.atomic():
        for position, (kind, name_en, name_ru, url) in enumerate(SUPPORTERS, start=1):
            _supporter, new = Supporter.objects.get_or_create(
                name_en=name_en,
                defaults={"name_ru": name_ru, "kind": kind, "url": url, "position": position},
            )
            created += new
    return {"supporters": created}
