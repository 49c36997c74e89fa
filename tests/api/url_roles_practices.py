from tests.factories.practices import CaseFactory, CollectionFactory
from tests.factories.programme import ActivityFactory, CallFactory
from tests.url_roles import Case, everyone


def cases(world):
    case = CaseFactory()
    collection = CollectionFactory()
    call = CallFactory(programme_published=True)
    activity = ActivityFactory(year=call.year)
    return [
        Case("v1:case-list", everyone(200)),
        Case("v1:case-detail", everyone(200), kwargs={"slug": case.slug}),
        Case("v1:collection-list", everyone(200)),
        Case("v1:collection-detail", everyone(200), kwargs={"slug": collection.slug}),
        Case("v1:activity-list", everyone(200)),
        Case("v1:activity-detail", everyone(200), kwargs={"pk": activity.pk}),
    ]
