import uuid

from mirpal.models import Message
from tests.url_roles import ANON, APPLICANT, EDITOR, MANAGER, MEMBER, SECRETARIAT, Case

STAFF_ONLY_ADMIN = {ANON: 302, APPLICANT: 302, MEMBER: 302}


def staff(ok: int = 200, *, editor: int | None = None, manager: int | None = None):
    """The secretariat gets `ok`; each staff role gets `ok` too unless its own answer is given."""
    return {
        ANON: 302,
        APPLICANT: 403,
        MEMBER: 403,
        SECRETARIAT: ok,
        EDITOR: ok if editor is None else editor,
        MANAGER: ok if manager is None else manager,
    }


def cases(world):
    period = "?start=2026-01-01&end=2026-03-31"
    message = Message.objects.create(
        token=uuid.uuid4(), subject_en="News", subject_ru="Новости", body_en="-", body_ru="-"
    )
    export = "?audience=partners&format=csv&start=2026-01-01&end=2026-03-31&dataset="
    return [
        Case("panel:home", staff()),
        Case("panel:figures", staff()),
        Case("panel:figures", staff(400), query="?start=2026-03-01&end=2026-01-01"),
        Case("panel:figure_csv", staff(editor=403), kwargs={"slug": "members-country"}),
        Case("panel:figure_csv", staff(manager=403), kwargs={"slug": "events-country"}),
        Case("panel:figure_csv", staff(editor=403), kwargs={"slug": "invitations-month"}),
        Case("panel:figure_csv", staff(manager=403), kwargs={"slug": "library-downloads"}),
        Case("panel:figure_csv", staff(404), kwargs={"slug": "no-such-figure"}),
        Case("panel:report", staff(editor=403), query=period),
        Case("panel:report_xlsx", staff(editor=403), query=period),
        Case("panel:exports", staff()),
        Case("panel:exports", staff(editor=403), query=export + "members"),
        Case("panel:exports", staff(manager=403), query=export + "library"),
        Case("panel:exports", staff(manager=403), query=export + "roster"),
        Case("panel:home", staff(405), method="post"),
        Case("panel:messages", staff(editor=403)),
        Case("panel:message_new", staff(editor=403)),
        Case("panel:message", staff(editor=403), kwargs={"pk": message.pk}),
        Case("panel:message", staff(404, editor=403), kwargs={"pk": message.pk + 1000}),
        Case("members:applications", {EDITOR: 403, MANAGER: 200}),
        # The admin: each role sees the models of its permissions only.
        Case("admin:index", {EDITOR: 200, MANAGER: 200}),
        Case("admin:members_profile_changelist", {EDITOR: 403, MANAGER: 200}),
        Case("admin:mirpal_outboxmessage_changelist", {EDITOR: 403, MANAGER: 200}),
        Case("admin:mirpal_apikey_changelist", {EDITOR: 403, MANAGER: 200}),
        Case("admin:events_event_changelist", {EDITOR: 200, MANAGER: 403}),
        Case("admin:library_document_changelist", {EDITOR: 200, MANAGER: 403}),
        Case("admin:members_expert_changelist", {EDITOR: 200, MANAGER: 403}),
        Case(
            "admin:mirpal_auditentry_changelist",
            STAFF_ONLY_ADMIN | {SECRETARIAT: 200, EDITOR: 403, MANAGER: 200},
        ),
        Case(
            "admin:mirpal_auditentry_changelist",
            {SECRETARIAT: 200},
            query="?q=example.org&action__exact=approve",
        ),
    ]
