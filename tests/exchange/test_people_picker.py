"""The people picker of the writing forms: whom a member may mention, through its JSON address."""

import pytest
from django.test import Client
from django.urls import reverse

from exchange.markup import markdown_render, mentions_in
from tests.factories.members import ProfileFactory, UserFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("exchange:people")


def _person(first, last, **profile):
    user = UserFactory(first_name=first, last_name=last)
    return ProfileFactory(user=user, **profile)


def _ask(client, query):
    response = client.get(PEOPLE, {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.fixture
def people():
    return {
        "aigul": _person("Aigul", "Nurlanova", organisation="Ministry of Labour", country="KZ"),
        "nurlan": _person("Nurlan", "Aitbaev", organisation="Migration Service", country="KG"),
        "hidden": _person("Nurbek", "Private", listed_in_directory=False),
        "applicant": _person("Nurgul", "Applicant", status="pending"),
        "suspended": _person("Nursultan", "Suspended", status="suspended"),
        "rejected": _person("Nurali", "Rejected", status="rejected"),
        "expert": ExpertFactory(name_en="Nuriya Expertova", name_ru="Нурия Экспертова"),
        "unlisted_expert": ExpertFactory(
            name_en="Nurzhan Offroster", name_ru="Нуржан Вне", is_listed=False
        ),
    }


def test_members_and_listed_experts_are_found_with_their_tokens(people, client_for):
    answer = _ask(client_for("member"), "nur")
    aigul, nurlan, expert = people["aigul"], people["nurlan"], people["expert"]
    assert answer["results"] == [
        {
            "kind": "member",
            "id": nurlan.pk,
            "name": "Nurlan Aitbaev",
            "organisation": "Migration Service",
            "country": "Kyrgyz Republic",
            "detail": "Migration Service, Kyrgyz Republic",
            "token": f"@[Nurlan Aitbaev](member:{nurlan.pk})",
        },
        {
            "kind": "member",
            "id": aigul.pk,
            "name": "Aigul Nurlanova",
            "organisation": "Ministry of Labour",
            "country": "Kazakhstan",
            "detail": "Ministry of Labour, Kazakhstan",
            "token": f"@[Aigul Nurlanova](member:{aigul.pk})",
        },
        {
            "kind": "expert",
            "id": expert.pk,
            "name": "Nuriya Expertova",
            "organisation": "",
            "country": "",
            "detail": "Expert of the roster",
            "token": f"@[Nuriya Expertova](expert:{expert.pk})",
        },
    ]
    assert answer["status"] == "3 people found"


def test_the_picker_never_gives_an_address(people, client_for):
    content = client_for("member").get(PEOPLE, {"q": "nur"}).content.decode()
    for person in ("aigul", "nurlan"):
        assert people[person].user.email not in content
    assert "@example.org" not in content
    # Not even to the staff who may see members' addresses elsewhere.
    manager_content = client_for("manager").get(PEOPLE, {"q": "nur"}).content.decode()
    assert "@example.org" not in manager_content


def test_who_is_not_listed_or_not_a_member_is_not_found(people, client_for):
    client = client_for("member")
    for name in ("Private", "Applicant", "Suspended", "Rejected", "Offroster", "Нуржан"):
        answer = _ask(client, name)
        assert answer["results"] == []
        assert answer["status"] == "Nobody found by that name"


def test_names_match_word_by_word_in_either_alphabet(people, client_for):
    client = client_for("member")
    aigul = people["aigul"]
    assert [person["id"] for person in _ask(client, "aigul nurl")["results"]] == [aigul.pk]
    assert [person["id"] for person in _ask(client, "AITBAEV")["results"]] == [people["nurlan"].pk]
    russian = _ask(client, "Экспер")["results"]
    assert [(person["kind"], person["id"]) for person in russian] == [
        ("expert", people["expert"].pk)
    ]
    # In Russian, an expert is named in Russian.
    client.cookies["django_language"] = "ru"
    in_russian = client.get(PEOPLE, {"q": "Nuriya"}, headers={"accept-language": "ru"}).json()
    assert in_russian["results"][0]["name"] == "Нурия Экспертова"
    assert in_russian["results"][0]["token"] == f"@[Нурия Экспертова](expert:{people['expert'].pk})"


def test_one_letter_finds_nobody(people, client_for):
    assert _ask(client_for("member"), "n")["results"] == []
    assert _ask(client_for("member"), "  ")["results"] == []


def test_at_most_ten_and_experts_keep_a_place(client_for):
    for index in range(12):
        _person("Dilnoza", f"Karimova{index:02}")
    experts = [
        ExpertFactory(name_en=f"Dilnoza Expert{index}", name_ru="Дилноза") for index in range(4)
    ]
    results = _ask(client_for("member"), "dilnoza")["results"]
    assert len(results) == 10
    assert [person["kind"] for person in results] == ["member"] * 7 + ["expert"] * 3
    assert [person["id"] for person in results[7:]] == [expert.pk for expert in experts[:3]]


def test_a_name_with_brackets_still_makes_a_token_that_links(client_for):
    odd = _person("Anna [Ann]", "Smith")
    [found] = _ask(client_for("member"), "anna smith")["results"]
    assert found["token"] == f"@[Anna Ann Smith](member:{odd.pk})"
    # The token is what the writing services read as a mention, and it links to the member.
    assert mentions_in(found["token"]).member_ids == {odd.pk}
    assert f'href="{reverse("members:detail", args=[odd.pk])}"' in markdown_render(found["token"])


@pytest.mark.parametrize("role", ["anonymous", "applicant"])
def test_only_members_may_ask(people, client_for, role):
    response = client_for(role).get(PEOPLE, {"q": "nur"})
    assert response.status_code == 302
    assert "Nurlanova" not in response.content.decode()


def test_a_suspended_member_may_not_ask(people):
    client = Client()
    client.force_login(people["suspended"].user)
    response = client.get(PEOPLE, {"q": "nur"})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:account")


@pytest.mark.parametrize("count", [1, 30])
def test_the_picker_query_count_does_not_grow(count, member, django_assert_num_queries):
    for index in range(count):
        _person("Timur", f"Rakhimov{index}")
        ExpertFactory(name_en=f"Timur Expert{index}", name_ru="Тимур")
    client = Client()
    client.force_login(member)
    # The member with their profile, the members found, the experts found.
    with django_assert_num_queries(3):
        assert len(_ask(client, "timur")["results"]) == min(count * 2, 10)
