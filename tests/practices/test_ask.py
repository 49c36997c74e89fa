"""“Ask the people behind this case”: a member's question opens a discussion addressed to the
case's contact people, who are told by mail (a roster expert without an account by the
invitation the secretariat's address book allows), and the case's page lists it."""

import pytest
from django.test import Client
from django.urls import reverse

from exchange.models import ExpertInvitation, Thread
from mirpal.models import OutboxMessage, Topic
from mirpal.outbox import outbox_send_pending
from practices.enums import Visibility
from tests.factories.members import ProfileFactory, UserFactory
from tests.factories.practices import CaseFactory
from tests.factories.roster import ExpertFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _profiles_and_accounts_numbered_apart(db):
    """A mention names the profile (members:detail), the mail goes to the account: accounts
    without a profile first, so that the two ids differ."""
    UserFactory.create_batch(3)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def topic(db):
    return Topic.objects.order_by("position", "slug").first()


@pytest.fixture
def asker(db):
    return ProfileFactory(user__first_name="Nodira", user__last_name="Karimova", country="TJ").user


@pytest.fixture
def case(topic):
    contact = ProfileFactory(user__first_name="Aibek", user__last_name="Toktogulov", country="KG")
    expert_account = ProfileFactory(user__first_name="Dina", user__last_name="Expert").user
    with_account = ExpertFactory(name_en="Dina Expert", user=expert_account)
    without_account = ExpertFactory(
        name_en="Omar Adviser", contact_email="omar.adviser@example.org", languages=["en"]
    )
    made = CaseFactory(
        slug="public-agency",
        title_en="Public employment agency abroad",
        countries=["KG"],
        topics=[topic],
    )
    made.contact_members.set([contact.user])
    made.contact_experts.set([with_account, without_account])
    made.people = {
        "contact": contact,
        "expert_account": expert_account,
        "with_account": with_account,
        "without_account": without_account,
    }
    return made


def test_the_form_is_prefilled_and_names_whom_it_reaches(asker, case, topic):
    page = signed_in(asker).get(reverse("practices:ask", args=[case.slug])).content.decode()
    assert 'value="About the case: Public employment agency abroad"' in page
    assert (
        f'<input type="checkbox" name="topics" value="{topic.pk}" id="id_topics_0" checked>' in page
    )
    assert "<li>Aibek Toktogulov</li>" in page
    assert "<li>Dina Expert <span" in page
    assert "<li>Omar Adviser <span" in page


def test_asking_opens_a_thread_that_tells_the_contacts_and_shows_on_the_case(
    smtp_sink, asker, case, topic
):
    people = case.people
    response = signed_in(asker).post(
        reverse("practices:ask", args=[case.slug]),
        {
            "title": "About the case: Public employment agency abroad",
            "body": "How do you check the employers abroad?",
            "topics": [topic.pk],
            "visibility": "public",
        },
    )
    thread = Thread.objects.get()
    assert (response.status_code, response["Location"]) == (302, thread.get_absolute_url())
    assert thread.author == asker
    assert thread.title == "About the case: Public employment agency abroad"
    assert thread.body == (
        "How do you check the employers abroad?\n\n"
        f"@[Aibek Toktogulov](member:{people['contact'].pk}) "
        f"@[Dina Expert](expert:{people['with_account'].pk}) "
        f"@[Omar Adviser](expert:{people['without_account'].pk})"
    )
    assert (thread.visibility, thread.countries) == ("public", ["KG"])
    assert list(thread.topics.all()) == [topic]
    assert list(case.threads.all()) == [thread]
    assert list(ExpertInvitation.objects.values_list("expert_id", flat=True)) == [
        people["without_account"].pk
    ]

    assert sorted(OutboxMessage.objects.values_list("kind", "to_email")) == sorted(
        [
            ("exchange_mention", people["contact"].user.email),
            ("exchange_mention", people["expert_account"].email),
            ("exchange_invitation", "omar.adviser@example.org"),
        ]
    )
    outbox_send_pending()
    [to_contact] = smtp_sink.to(people["contact"].user.email)
    assert "About the case: Public employment agency abroad" in SmtpSink.subject(to_contact)
    assert thread.get_absolute_url() in SmtpSink.text(to_contact)
    [to_guest] = smtp_sink.to("omar.adviser@example.org")
    assert thread.get_absolute_url() in SmtpSink.text(to_guest)

    # The case's page lists the discussion; the thread links the contacts' pages.
    page = Client().get(case.get_absolute_url()).content.decode()
    assert f'<a href="{thread.get_absolute_url()}" lang="en">{thread.title}</a>' in page
    thread_page = Client().get(thread.get_absolute_url()).content.decode()
    assert reverse("members:detail", args=[people["contact"].pk]) in thread_page


def test_a_case_without_contacts_still_opens_a_thread_and_says_so(asker, topic):
    case = CaseFactory(slug="lonely", title_en="A case nobody answers for", topics=[topic])
    client = signed_in(asker)
    form = client.get(reverse("practices:ask", args=[case.slug])).content.decode()
    assert "This case names no contact people yet." in form
    response = client.post(
        reverse("practices:ask", args=[case.slug]),
        {"title": "About it", "body": "Who ran it?", "topics": [topic.pk], "visibility": "members"},
        follow=True,
    )
    thread = Thread.objects.get()
    assert thread.body == "Who ran it?"
    assert list(case.threads.all()) == [thread]
    assert "The case names no contact people" in response.content.decode()


def test_a_question_about_a_members_only_case_stays_among_members(asker, topic):
    case = CaseFactory(slug="private", visibility=Visibility.MEMBERS, topics=[topic])
    response = signed_in(asker).post(
        reverse("practices:ask", args=[case.slug]),
        {"title": "About it", "body": "Who ran it?", "topics": [topic.pk], "visibility": "public"},
    )
    # The form offers only "members"; a forged "public" is refused, nothing is opened.
    assert response.status_code == 200
    assert Thread.objects.count() == 0
    signed_in(asker).post(
        reverse("practices:ask", args=[case.slug]),
        {"title": "About it", "body": "Who ran it?", "topics": [topic.pk], "visibility": "members"},
    )
    assert Thread.objects.get().visibility == "members"


def test_who_may_ask(client, applicant, asker, topic):
    case = CaseFactory(slug="open", topics=[topic])
    url = reverse("practices:ask", args=[case.slug])
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    assert signed_in(applicant).post(url, {"title": "x", "body": "y"})["Location"] == reverse(
        "members:account"
    )
    draft = CaseFactory(slug="draft", review_state="submitted", published_at=None)
    assert signed_in(asker).get(reverse("practices:ask", args=[draft.slug])).status_code == 404
    assert Thread.objects.count() == 0
    # An empty form comes back with its errors.
    empty = signed_in(asker).post(url, {})
    assert empty.status_code == 200
    assert "Write your question before sending it." in empty.content.decode()
