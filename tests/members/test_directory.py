import pytest
from django.urls import reverse

from mirpal.models import Topic
from tests.factories.members import ProfileFactory, UserFactory


def names_on(response) -> list[str]:
    return [profile.user.get_full_name() for profile in response.context["page"].object_list]


@pytest.fixture
def colleagues(db):
    remittances = Topic.objects.get(slug="remittances")
    data = Topic.objects.get(slug="migration-data")
    return {
        "aram": ProfileFactory(
            user=UserFactory(first_name="Арам", last_name="Петросян"),
            country="AM",
            organisation="Миграционная служба",
            organisation_type="government",
            languages=["hy", "ru"],
            interests=[remittances],
        ),
        "olga": ProfileFactory(
            user=UserFactory(first_name="Ольга", last_name="Новик"),
            country="BY",
            organisation="Институт демографии",
            organisation_type="academia",
            languages=["be", "ru", "en"],
            interests=[data],
        ),
        "john": ProfileFactory(
            user=UserFactory(first_name="John", last_name="Clarke"),
            country="XX",
            organisation="Migration Policy Institute",
            organisation_type="think_tank",
            languages=["en"],
            interests=[remittances, data],
        ),
        "waiting": ProfileFactory(
            user=UserFactory(first_name="Ждущий", last_name="Заявитель"), status="pending"
        ),
        "hidden": ProfileFactory(
            user=UserFactory(first_name="Скрытый", last_name="Участник"), listed_in_directory=False
        ),
        "suspended": ProfileFactory(
            user=UserFactory(first_name="Приостановленный", last_name="Участник"),
            status="suspended",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["John Clarke", "Ольга Новик", "Арам Петросян"]),
        ("?country=AM", ["Арам Петросян"]),
        ("?organisation_type=academia", ["Ольга Новик"]),
        ("?interest=remittances", ["John Clarke", "Арам Петросян"]),
        ("?language=en", ["John Clarke", "Ольга Новик"]),
        ("?q=петросян", ["Арам Петросян"]),
        ("?q=Migration+Policy", ["John Clarke"]),
        ("?q=Ольга+демографии", ["Ольга Новик"]),
        ("?country=AM&language=en", []),
    ],
)
def test_directory_filters_and_search(client, colleagues, query, expected):
    viewer = colleagues["olga"].user
    client.force_login(viewer)
    response = client.get(reverse("members:directory") + query)
    assert response.status_code == 200
    assert names_on(response) == expected


def test_directory_hides_contacts_members_did_not_share(client, colleagues, member):
    colleagues["aram"].email_visibility = "members"
    colleagues["aram"].save()
    colleagues["olga"].email_visibility = "secretariat"
    colleagues["olga"].save()
    client.force_login(member)

    page = client.get(reverse("members:directory")).content.decode()

    assert colleagues["aram"].user.email in page
    assert colleagues["olga"].user.email not in page
    detail = client.get(reverse("members:detail", args=[colleagues["olga"].pk])).content.decode()
    assert colleagues["olga"].user.email not in detail
    assert "shares contact details only with the secretariat" in detail


def test_unlisted_pending_and_suspended_people_have_no_page(client, colleagues, member):
    client.force_login(member)
    for key in ("waiting", "hidden", "suspended"):
        response = client.get(reverse("members:detail", args=[colleagues[key].pk]))
        assert response.status_code == 404


def test_invalid_filter_values_show_everyone_not_an_error(client, member):
    client.force_login(member)
    response = client.get(reverse("members:directory") + "?country=FR&page=999")
    assert response.status_code == 200
    assert response.context["form"].errors["country"] == [
        "Select a valid choice. FR is not one of the available choices."
    ]
    assert response.context["page"].number == 1


@pytest.mark.parametrize("count", [10, 100])
def test_directory_page_query_count_is_constant(client, member, django_assert_num_queries, count):
    topics = list(Topic.objects.all()[:3])
    ProfileFactory.create_batch(count, interests=topics)
    client.force_login(member)
    # The viewer with their profile (the session and permissions are in the cache); with the
    # fragment cache empty: topics for the filter, count, page, interests prefetch.
    with django_assert_num_queries(5):
        response = client.get(reverse("members:directory"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count + 1, 20)


def test_directory_in_russian_names_countries_in_russian(client, colleagues, member):
    client.force_login(member)
    page = client.get(reverse("members:directory"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Справочник участников" in page
    assert "Армения" in page
    assert "Беларусь" in page
