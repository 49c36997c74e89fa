from tests.factories.events import EventFactory
from tests.factories.library import ArticleFactory, DocumentFactory
from tests.factories.roster import ExpertFactory
from tests.url_roles import ANON, APPLICANT, MEMBER, SECRETARIAT, Case, everyone


def cases(world):
    event = EventFactory()
    expert = ExpertFactory()
    article = ArticleFactory()
    document = DocumentFactory()
    members_api = {ANON: 401, APPLICANT: 403, MEMBER: 200, SECRETARIAT: 200}
    partners_only = {ANON: 401, APPLICANT: 403, MEMBER: 403, SECRETARIAT: 403}
    return [
        Case("v1:event-list", everyone(200)),
        Case("v1:event-detail", everyone(200), kwargs={"slug": event.slug}),
        Case("v1:expert-list", everyone(200)),
        Case("v1:expert-detail", everyone(200), kwargs={"pk": expert.pk}),
        Case("v1:topic-list", everyone(200)),
        Case("v1:country-list", everyone(200)),
        Case("v1:issue-list", everyone(200)),
        Case("v1:issue-detail", everyone(200), kwargs={"number": article.issue.number}),
        Case("v1:article-list", everyone(200)),
        Case("v1:article-detail", everyone(200), kwargs={"pk": article.pk}),
        Case("v1:document-list", everyone(200)),
        Case("v1:document-detail", everyone(200), kwargs={"pk": document.pk}),
        Case("v1:search-list", everyone(200), query="?q=report"),
        Case("v1:registration-list", members_api),
        Case(
            "v1:registration-list",
            members_api | {MEMBER: 201, SECRETARIAT: 201},
            method="post",
            data={"event": event.slug},
        ),
        Case(
            "v1:registration-detail",
            members_api | {MEMBER: 204, SECRETARIAT: 204},
            kwargs={"event": event.slug},
            method="delete",
        ),
        Case("v1:token-list", members_api | {MEMBER: 201, SECRETARIAT: 201}, method="post"),
        Case("v1:token-revoke", members_api | {MEMBER: 204, SECRETARIAT: 204}, method="post"),
        Case("v1:webhook-list", partners_only),
        Case("v1:webhook-detail", partners_only, kwargs={"pk": 1}, method="delete"),
        Case("api:schema", everyone(200)),
        Case("api:docs", everyone(200)),
        Case("api:events_ics", everyone(200)),
        Case("api:library_rss", everyone(200)),
        Case("api:library_atom", everyone(200)),
        Case("api:widget_events", everyone(200), query="?country=KZ&lang=ru"),
    ]
