"""The demo roster: 25 written-out experts, more generated for scale, idempotent."""

import pytest

from demo import roster as roster_demo
from members.models import Expert, ExpertLink

pytestmark = pytest.mark.django_db


def test_load_is_idempotent_and_bilingual():
    assert roster_demo.load(experts=30) == {"experts": 30}
    assert roster_demo.load(experts=30) == {"experts": 0}
    assert Expert.objects.count() == 30
    assert ExpertLink.objects.count() == 30
    written = Expert.objects.get(contact_email=roster_demo.demo_key(0))
    assert (written.name_en, written.name_ru) == ("Helen Whitaker", "Хелен Уитакер")
    assert sorted(written.topics.values_list("slug", flat=True)) == [
        "labour-migration",
        "organised-recruitment",
    ]
    assert Expert.objects.filter(bio_en="").count() == 0
    assert Expert.objects.filter(bio_ru="").count() == 0
    assert Expert.objects.filter(topics=None).count() == 0


def test_load_grows_to_a_larger_roster():
    roster_demo.load(experts=25)
    assert roster_demo.load(experts=2000) == {"experts": 1975}
    assert Expert.objects.count() == 2000
    assert Expert.objects.values("name_en").distinct().count() > 100
