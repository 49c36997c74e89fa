"""The peer exchange's pages for each role.

Each group of pages adds its cases in its own section below (threads, browse, follows,
moderation), keeping the objects it needs in `made`. Attachments are rows without a stored file
here (this matrix runs outside a temporary storage): who is let through answers 404, the others
are sent away; tests/exchange/test_attachments.py serves real files.
"""

from exchange.enums import AttachmentKind, Moderation, Visibility
from exchange.models import Attachment
from tests.factories.exchange import PostFactory, ThreadFactory
from tests.url_roles import ANON, APPLICANT, MEMBER, SECRETARIAT, Case, everyone, members_only

# Members only, for a POST: anonymous visitors log in, applicants see their application.
MEMBERS_POST_DONE = {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 302}


def _threads(world, made) -> list[Case]:
    """Writing and reading one thread (exchange.views.threads)."""
    member = world[MEMBER]
    public = ThreadFactory(title="Public question", visibility=Visibility.PUBLIC)
    private = ThreadFactory(title="Members' question")
    own = ThreadFactory(title="The member's own question", author=member)
    held = ThreadFactory(title="Held question", state=Moderation.HELD)
    hidden = ThreadFactory(title="Hidden question", state=Moderation.HIDDEN)
    answer = PostFactory(thread=private, body="An answer")
    own_answer_in_own = PostFactory(thread=own, body="An answer to the member's question")
    own_answer = PostFactory(thread=public, author=member, body="The member's own answer")
    public_file = Attachment.objects.create(
        thread=public, kind=AttachmentKind.PDF, file="exchange/pdf/missing.pdf", name="a.pdf"
    )
    private_file = Attachment.objects.create(
        post=answer, kind=AttachmentKind.PDF, file="exchange/pdf/missing2.pdf", name="b.pdf"
    )
    made.update(public=public, private=private, own=own, answer=answer)
    refused_anon_applicant = {ANON: 302, APPLICANT: 302}
    return [
        Case("exchange:thread_new", members_only()),
        # An empty form comes back with its errors; nothing is created.
        Case("exchange:thread_new", members_only(), method="post"),
        Case("exchange:thread", everyone(200), kwargs={"pk": public.pk}),
        Case("exchange:thread", members_only(), kwargs={"pk": private.pk}),
        Case(
            "exchange:thread",
            {**refused_anon_applicant, MEMBER: 404, SECRETARIAT: 200},
            kwargs={"pk": held.pk},
        ),
        Case(
            "exchange:thread",
            {**refused_anon_applicant, MEMBER: 404, SECRETARIAT: 200},
            kwargs={"pk": hidden.pk},
        ),
        Case("exchange:thread", everyone(404), kwargs={"pk": 999_999}),
        # A post's address sends each reader on to its page of the thread, or to log in.
        Case("exchange:post", everyone(302), kwargs={"pk": own_answer.pk}),
        Case("exchange:post", everyone(302), kwargs={"pk": answer.pk}),
        Case("exchange:post", everyone(404), kwargs={"pk": 999_999}),
        Case("exchange:post_new", members_only(), kwargs={"pk": private.pk}, method="post"),
        Case("exchange:post_new", everyone(405), kwargs={"pk": private.pk}),
        Case(
            "exchange:thread_edit",
            {**refused_anon_applicant, MEMBER: 200, SECRETARIAT: 200},
            kwargs={"pk": own.pk},
        ),
        Case(
            "exchange:thread_edit",
            {**refused_anon_applicant, MEMBER: 403, SECRETARIAT: 200},
            kwargs={"pk": private.pk},
        ),
        Case(
            "exchange:post_edit",
            {**refused_anon_applicant, MEMBER: 403, SECRETARIAT: 200},
            kwargs={"pk": answer.pk},
        ),
        Case(
            "exchange:post_edit",
            {**refused_anon_applicant, MEMBER: 200, SECRETARIAT: 200},
            kwargs={"pk": own_answer.pk},
        ),
        Case(
            "exchange:post_edit",
            {**refused_anon_applicant, MEMBER: 404, SECRETARIAT: 404},
            kwargs={"pk": 999_999},
        ),
        Case("exchange:accept", everyone(405), kwargs={"pk": answer.pk}),
        Case(
            "exchange:accept",
            {**refused_anon_applicant, MEMBER: 403, SECRETARIAT: 302},
            kwargs={"pk": answer.pk},
            method="post",
        ),
        # The asker marks (and unmarks, by the same address) an answer to their question.
        Case(
            "exchange:accept",
            {**refused_anon_applicant, MEMBER: 302, SECRETARIAT: 302},
            kwargs={"pk": own_answer_in_own.pk},
            method="post",
        ),
        Case("exchange:unaccept", everyone(405), kwargs={"pk": own.pk}),
        Case(
            "exchange:unaccept",
            {**refused_anon_applicant, MEMBER: 403, SECRETARIAT: 302},
            kwargs={"pk": private.pk},
            method="post",
        ),
        Case("exchange:helpful", everyone(405), kwargs={"pk": answer.pk}),
        Case("exchange:helpful", MEMBERS_POST_DONE, kwargs={"pk": answer.pk}, method="post"),
        Case("exchange:attachment", everyone(404), kwargs={"pk": public_file.pk}),
        Case(
            "exchange:attachment",
            {ANON: 302, APPLICANT: 302, MEMBER: 404, SECRETARIAT: 404},
            kwargs={"pk": private_file.pk},
        ),
    ]


# --- Other groups of pages: add a function above this line and call it from cases().


def cases(world):
    made: dict = {}
    return [
        *_threads(world, made),
    ]
