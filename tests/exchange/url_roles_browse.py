"""The discussion lists and the people picker in the role-by-URL matrix."""

from tests.url_roles import ANON, APPLICANT, MEMBER, SECRETARIAT, Case, everyone, members_only


def cases(world):
    return [
        Case("exchange:list", everyone(200)),
        Case(
            "exchange:list",
            everyone(200),
            query="?topic=labour-migration&country=TJ&view=answered&sort=helpful",
        ),
        # Values the form does not know drop their filter; a page past the end is empty.
        Case("exchange:list", everyone(200), query="?topic=nonsense&view=x&sort=y&page=99"),
        Case("exchange:topic", everyone(200), kwargs={"slug": "remittances"}),
        Case(
            "exchange:topic",
            everyone(200),
            kwargs={"slug": "remittances"},
            query="?view=unanswered&sort=newest",
        ),
        Case("exchange:topic", everyone(404), kwargs={"slug": "no-such-topic"}),
        Case("exchange:country", everyone(200), kwargs={"code": "KG"}),
        Case("exchange:country", everyone(404), kwargs={"code": "XX"}),
        Case("exchange:list", everyone(405), method="post"),
        Case("exchange:people", members_only()),
        Case("exchange:people", members_only(), query="?q=an"),
        # Only looking is allowed: a POST is refused to those let in.
        Case(
            "exchange:people",
            {ANON: 302, APPLICANT: 302, MEMBER: 405, SECRETARIAT: 405},
            method="post",
        ),
    ]
