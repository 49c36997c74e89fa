from events.mail import tokens
from tests.factories.events import EventFactory
from tests.factories.members import ProfileFactory
from tests.url_roles import Case, everyone, secretariat_only


def cases(world):
    event = EventFactory()
    invitee = ProfileFactory().user
    token = tokens.rsvp_token(event=event, user_id=invitee.pk, answer="going")
    slug = {"slug": event.slug}
    return [
        # The signed link is the credential: anyone holding it sees the confirmation page.
        Case("events:rsvp", everyone(200), kwargs={"token": token}),
        Case("events:rsvp", everyone(400), kwargs={"token": token[:-4] + "AAAA"}),
        Case("events:rsvp", everyone(400), kwargs={"token": "forged"}, method="post"),
        Case("events:mail_status", secretariat_only(), kwargs=slug),
        Case(
            "events:mail_resend",
            secretariat_only(400),
            kwargs=slug,
            method="post",
            data={"email": "nobody@example.org", "kind": "event_invitation"},
        ),
    ]
