import datetime

from events import services
from tests.factories.events import EventFactory, SeriesFactory, in_days
from tests.factories.members import ProfileFactory
from tests.url_roles import (
    ANON,
    APPLICANT,
    EDITOR,
    MANAGER,
    MEMBER,
    SECRETARIAT,
    Case,
    everyone,
    members_only,
    secretariat_only,
)


def cases(world):
    series = SeriesFactory()
    event = EventFactory(series=series, capacity=500)
    draft = EventFactory(status="draft")
    past = EventFactory(starts_at=in_days(-3), ends_at=in_days(-3) + datetime.timedelta(hours=1))
    owner = ProfileFactory(status="approved").user
    token = services.feed_token_get_or_create(user=owner).token
    slug = {"slug": event.slug}
    admin_only = {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 200}
    all_redirected = everyone(302)
    return [
        Case("events:list", everyone(200)),
        Case("events:list", everyone(200), query="?kind=seminar&country=KZ&language=ru"),
        Case("events:past", everyone(200)),
        Case("events:calendar", everyone(200), query="?month=2030-02"),
        Case("events:detail", everyone(200), kwargs=slug),
        Case("events:detail", everyone(200), kwargs={"slug": past.slug}),
        Case(
            "events:detail",
            {ANON: 404, APPLICANT: 404, MEMBER: 404, SECRETARIAT: 200},
            kwargs={"slug": draft.slug},
        ),
        Case("events:series", everyone(200), kwargs={"slug": series.slug}),
        Case("events:ics", everyone(200), kwargs=slug),
        Case(
            "events:ics",
            {ANON: 404, APPLICANT: 404, MEMBER: 404, SECRETARIAT: 200},
            kwargs={"slug": draft.slug},
        ),
        # Members are sent back to the event page with a message; others to log in or apply.
        Case(
            "events:register",
            all_redirected,
            kwargs=slug,
            method="post",
            data={"response": "going"},
        ),
        Case(
            "events:register",
            {ANON: 302, APPLICANT: 302, MEMBER: 405, SECRETARIAT: 405},
            kwargs=slug,
        ),
        Case("events:cancel_registration", all_redirected, kwargs=slug, method="post"),
        Case("events:mine", members_only()),
        Case("events:feed_regenerate", all_redirected, method="post"),
        Case("events:feed", everyone(200), kwargs={"token": token}),
        Case("events:feed", everyone(404), kwargs={"token": "guessed-token"}),
        # Attendance is the editors' work (manage_attendance); managers do not hold it.
        Case(
            "events:attendance_import",
            {**secretariat_only(), EDITOR: 200, MANAGER: 403},
            kwargs={"slug": past.slug},
        ),
        Case("events:attendance_report", {**secretariat_only(), EDITOR: 200, MANAGER: 403}),
        Case("admin:events_event_changelist", admin_only),
        Case("admin:events_event_change", admin_only, args=[event.pk]),
        Case("admin:events_registration_changelist", admin_only),
        Case("admin:events_attendance_changelist", admin_only),
        Case("admin:events_series_changelist", admin_only),
    ]
