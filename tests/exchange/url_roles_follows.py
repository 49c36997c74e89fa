"""The follow pages and the expert invitation for each role (exchange.views.follows)."""

from exchange.enums import Visibility
from mirpal.models import Topic
from tests.factories.exchange import ThreadFactory
from tests.factories.roster import ExpertFactory
from tests.url_roles import ANON, APPLICANT, MEMBER, SECRETARIAT, Case, everyone, members_only

# Members only, for a POST: anonymous visitors log in, applicants see their application.
MEMBERS_POST_DONE = {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 302}


def cases(world):
    topic = Topic.objects.order_by("pk").first()
    thread = ThreadFactory(title="A public question to follow", visibility=Visibility.PUBLIC)
    own = ThreadFactory(title="The member's question for an expert", author=world[MEMBER])
    expert = ExpertFactory()
    return [
        Case("exchange:follow", everyone(405)),
        Case(
            "exchange:follow",
            MEMBERS_POST_DONE,
            method="post",
            data={"topic": topic.pk, "action": "follow"},
        ),
        Case(
            "exchange:follow",
            MEMBERS_POST_DONE,
            method="post",
            data={"thread": thread.pk, "action": "unfollow", "next": "/discussions/"},
        ),
        # Two targets, or none: refused.
        Case(
            "exchange:follow",
            {ANON: 302, APPLICANT: 302, MEMBER: 400, SECRETARIAT: 400},
            method="post",
            data={"topic": topic.pk, "country": "KZ", "action": "follow"},
        ),
        Case("exchange:following", members_only()),
        Case("exchange:invite_expert", everyone(405), kwargs={"pk": thread.pk}),
        # Another member's thread: only a moderator invites.
        Case(
            "exchange:invite_expert",
            {ANON: 302, APPLICANT: 302, MEMBER: 403, SECRETARIAT: 302},
            kwargs={"pk": thread.pk},
            method="post",
            data={"expert": expert.pk},
        ),
        Case(
            "exchange:invite_expert",
            MEMBERS_POST_DONE,
            kwargs={"pk": own.pk},
            method="post",
            data={"expert": expert.pk},
        ),
        Case(
            "exchange:invite_expert",
            {ANON: 302, APPLICANT: 302, MEMBER: 404, SECRETARIAT: 404},
            kwargs={"pk": 999_999},
            method="post",
            data={"expert": expert.pk},
        ),
    ]
