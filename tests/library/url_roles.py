"""Library pages for the four roles. Files are left out here (this matrix runs outside the
library's temporary storage); tests/library/test_downloads.py checks file access by role."""

from tests.factories.library import ArticleFactory, DocumentFactory, IssueFactory
from tests.url_roles import ANON, APPLICANT, MEMBER, SECRETARIAT, Case, everyone, members_only

REDIRECTED = everyone(302)


def cases(world):
    issue = IssueFactory(number=900)
    article = ArticleFactory(issue=issue, title="Переводы мигрантов")
    public = DocumentFactory(title_en="Labour migration report", language="en")
    private = DocumentFactory(title_en="Internal evaluation", language="en", access="members")
    return [
        Case("library:index", everyone(200)),
        Case("library:search", everyone(200)),
        Case("library:search", everyone(200), query="?q=migration&kind=report&year=2024&page=2"),
        Case("library:search", everyone(200), query="?q=%21%3A%26%7C%28%29%27%22%2A%3C-%3E"),
        Case("library:search", everyone(200), query="?q=" + "x" * 10_000),
        Case("library:most_read", everyone(200)),
        Case("library:topic", everyone(200), kwargs={"slug": "remittances"}),
        Case("library:topic", everyone(404), kwargs={"slug": "no-such-topic"}),
        Case("library:country", everyone(200), kwargs={"code": "TJ"}),
        Case("library:country", everyone(404), kwargs={"code": "FR"}),
        Case("library:issues", everyone(200)),
        Case("library:issue", everyone(200), kwargs={"number": issue.number}),
        Case("library:issue", everyone(404), kwargs={"number": 999}),
        Case("library:issue_pdf", everyone(404), kwargs={"number": issue.number}),
        Case("library:issue_cover", everyone(404), kwargs={"number": issue.number}),
        Case("library:article", everyone(200), kwargs={"pk": article.pk}),
        Case("library:document", everyone(200), kwargs={"pk": public.pk}),
        Case("library:document", members_only(), kwargs={"pk": private.pk}),
        Case("library:document_download", REDIRECTED, kwargs={"pk": public.pk}),
        # Members go on to the external link, the others to log in or to their application.
        Case("library:document_download", REDIRECTED, kwargs={"pk": private.pk}),
        Case(
            "library:search",
            {ANON: 405, APPLICANT: 405, MEMBER: 405, SECRETARIAT: 405},
            method="post",
        ),
    ]
