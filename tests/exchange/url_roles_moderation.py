"""Flags, the moderators' queue and actions, and a thread made into a library document, for each
role. Moderation is the manager's role (and the secretariat's, which holds both); making a
document also takes the editor's library permission, so only the secretariat does both."""

from tests.factories.exchange import PostFactory, ThreadFactory
from tests.url_roles import (
    ANON,
    APPLICANT,
    EDITOR,
    MANAGER,
    MEMBER,
    SECRETARIAT,
    Case,
    members_only,
)

# Anonymous visitors log in; everyone else without the moderators' permission gets 403.
NOT_MODERATORS = {ANON: 302, APPLICANT: 403, MEMBER: 403, EDITOR: 403}


def moderators(ok: int) -> dict[str, int]:
    return NOT_MODERATORS | {MANAGER: ok, SECRETARIAT: ok}


def cases(world):
    thread = ThreadFactory(title="A thread to moderate")
    post = PostFactory(thread=thread, body="An answer to moderate")
    resolved = ThreadFactory(title="A resolved thread")
    resolved.accepted_answer = PostFactory(thread=resolved, body="The answer that helped")
    resolved.save(update_fields=["accepted_answer"])
    flag = {"reason": "spam"}
    return [
        Case("exchange:flag_thread", members_only(), kwargs={"pk": thread.pk}),
        Case("exchange:flag_post", members_only(), kwargs={"pk": post.pk}),
        # Flagged: sent back to the thread (members), to log in or to the account (the others).
        Case(
            "exchange:flag_post",
            {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 302},
            kwargs={"pk": post.pk},
            method="post",
            data=flag,
        ),
        Case("exchange:moderation", moderators(200)),
        Case("exchange:moderate_thread", moderators(405), kwargs={"pk": thread.pk}),
        Case(
            "exchange:moderate_thread",
            moderators(302),
            kwargs={"pk": thread.pk},
            method="post",
            data={"action": "lock"},
        ),
        Case("exchange:moderate_post", moderators(405), kwargs={"pk": post.pk}),
        Case(
            "exchange:moderate_post",
            moderators(302),
            kwargs={"pk": post.pk},
            method="post",
            data={"action": "hide"},
        ),
        Case("exchange:moderate_edit_thread", moderators(200), kwargs={"pk": thread.pk}),
        Case("exchange:moderate_edit_post", moderators(200), kwargs={"pk": post.pk}),
        # A form without its reason comes back with the error; nothing changes.
        Case(
            "exchange:moderate_edit_post",
            moderators(200),
            kwargs={"pk": post.pk},
            method="post",
            data={"body": "Changed"},
        ),
        Case(
            "exchange:to_document",
            NOT_MODERATORS | {MANAGER: 403, SECRETARIAT: 200},
            kwargs={"pk": resolved.pk},
        ),
        # Not resolved: sent back to the thread.
        Case(
            "exchange:to_document",
            NOT_MODERATORS | {MANAGER: 403, SECRETARIAT: 302},
            kwargs={"pk": thread.pk},
        ),
        Case("exchange:to_document", moderators(404) | {MANAGER: 403}, kwargs={"pk": 999_999}),
    ]
