import pytest
from django.core.management import call_command

from members.models import Profile, User


@pytest.mark.django_db
def test_demo_data_loads_once_and_twice_adds_nothing():
    call_command("demo_data", members=60)
    counts = (User.objects.count(), Profile.objects.count())
    call_command("demo_data", members=60)

    assert (User.objects.count(), Profile.objects.count()) == counts == (63, 63)
    statuses = set(Profile.objects.values_list("status", flat=True))
    assert statuses == {"approved", "pending", "rejected", "suspended"}
    assert Profile.objects.values("country").distinct().count() == 10
    secretariat = User.objects.get(email="secretariat@mirpal.example")
    assert secretariat.has_perm("members.decide_membership") is True
    assert secretariat.is_superuser is False
    member = User.objects.get(email="member@mirpal.example")
    assert member.check_password("mirpal-demo-2026") is True
    assert member.emailaddress_set.get().verified is True
