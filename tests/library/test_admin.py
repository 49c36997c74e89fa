import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from library.models import Article, Document, Issue, SearchLog
from library.search import SearchFilters, library_search
from library.storage import protected_storage
from mirpal.models import Topic
from tests.factories.library import DocumentFactory, pdf_upload

pytestmark = pytest.mark.django_db


def named(callbacks) -> list[str]:
    """The on-commit callbacks but the cache's version bumps, which every library write adds."""
    return [c.__name__ for c in callbacks if c.__name__ != "data_versions_renew"]


def document_form(**overrides) -> dict:
    data = {
        "kind": "study",
        "title_en": "Pre-departure orientation in Tajikistan",
        "title_ru": "",
        "slug": "",
        "language": "en",
        "published_on": "2024-02-01",
        "abstract_en": "",
        "abstract_ru": "",
        "authors_text": "N. Rahimova",
        "publisher": "IOM",
        "topics": [Topic.objects.get(slug="pre-departure").pk],
        "countries": ["TJ"],
        "access": "public",
        "external_url": "",
        "event": "",
    }
    data.update(overrides)
    return data


def found(query: str) -> list[str]:
    outcome = library_search(filters=SearchFilters(query=query), member=True)
    return [entry.title for entry in outcome.entries]


def test_secretariat_adds_a_document_with_a_pdf(client_for, django_capture_on_commit_callbacks):
    client = client_for("secretariat")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:library_document_add"),
            document_form(file=pdf_upload("Orientation sessions", name="Study FINAL v3.pdf")),
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    document = Document.objects.get()
    assert document.file.name.startswith("documents/")
    assert document.slug == "pre-departure-orientation-in-tajikistan"
    assert list(document.topics.values_list("slug", flat=True)) == ["pre-departure"]
    assert document.countries == ["TJ"]
    assert named(callbacks) == [
        "counts_forget",
        "queue_text_extraction",
    ]
    assert found("orientation") == ["Pre-departure orientation in Tajikistan"]


def test_secretariat_sees_why_a_file_is_refused(client_for):
    response = client_for("secretariat").post(
        reverse("admin:library_document_add"),
        document_form(file=SimpleUploadedFile("study.pdf", b"MZ\x90\x00 an executable")),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [
        "This file is not a PDF, whatever its name says. Upload the document as a PDF."
    ]
    assert Document.objects.count() == 0


def test_secretariat_replaces_the_file_and_the_url_stays(
    client_for, django_capture_on_commit_callbacks
):
    document = DocumentFactory(
        title_en="Pre-departure orientation in Tajikistan",
        language="en",
        kind="study",
        slug="pre-departure",
        file=pdf_upload("First edition"),
        countries=["TJ"],
    )
    url = reverse("library:document_download", args=[document.pk])
    old_name = document.file.name
    client = client_for("secretariat")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("admin:library_document_change", args=[document.pk]),
            document_form(slug="pre-departure", file=pdf_upload("Second edition")),
        )
    assert response.status_code == 302
    for callback in callbacks:
        if callback.__name__ != "queue_text_extraction":
            callback()

    document.refresh_from_db()
    assert document.file.name != old_name
    assert not protected_storage.exists(old_name)
    download = client.get(url)
    assert download.status_code == 200
    assert b"Second edition" in b"".join(download.streaming_content)


def test_secretariat_adds_an_issue_with_its_articles(client_for):
    topic = Topic.objects.get(slug="remittances")
    data = {
        "number": "7",
        "published_on": "2012-03-01",
        "title_en": "Remittances",
        "title_ru": "Денежные переводы",
        "description_en": "",
        "description_ru": "",
        "pdf": pdf_upload("Migration 21, issue 7"),
        "articles-TOTAL_FORMS": "1",
        "articles-INITIAL_FORMS": "0",
        "articles-MIN_NUM_FORMS": "0",
        "articles-MAX_NUM_FORMS": "1000",
        "articles-0-title": "Денежные переводы трудовых мигрантов",
        "articles-0-authors_text": "Б. Осмонов",
        "articles-0-page_start": "4",
        "articles-0-page_end": "11",
        "articles-0-language": "ru",
        "articles-0-abstract": "",
        "articles-0-topics": [topic.pk],
        "articles-0-countries": ["KG"],
    }

    response = client_for("secretariat").post(reverse("admin:library_issue_add"), data)

    assert response.status_code == 302
    issue = Issue.objects.get()
    assert (issue.number, issue.pdf_pages) == (7, 1)
    article = Article.objects.get()
    assert (article.issue, article.countries, article.pages) == (issue, ["KG"], "4–11")
    assert found("перевод мигранта") == ["Денежные переводы трудовых мигрантов"]


def test_article_pages_must_be_in_order(client_for):
    from tests.library.test_admin_files import issue_form

    data = issue_form(
        **{
            "articles-TOTAL_FORMS": "1",
            "articles-0-title": "Денежные переводы трудовых мигрантов",
            "articles-0-authors_text": "",
            "articles-0-page_start": "10",
            "articles-0-page_end": "4",
            "articles-0-language": "ru",
            "articles-0-abstract": "",
        }
    )

    response = client_for("secretariat").post(reverse("admin:library_issue_add"), data)

    assert response.status_code == 200
    [articles] = response.context["inline_admin_formsets"]
    assert articles.formset.errors == [
        {"__all__": ["The last page cannot come before the first page."]}
    ]
    assert (Issue.objects.count(), Article.objects.count()) == (0, 0)


def test_secretariat_is_told_what_a_document_lacks(client_for):
    response = client_for("secretariat").post(
        reverse("admin:library_document_add"), document_form(title_en="")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Give the document a title in English or in Russian.",
        "Upload the document's PDF or give a link to it.",
    ]
    assert Document.objects.count() == 0


def test_secretariat_is_told_an_issue_needs_a_title(client_for):
    from tests.library.test_admin_files import issue_form

    response = client_for("secretariat").post(
        reverse("admin:library_issue_add"), issue_form(title_en="", title_ru="")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Give the issue a title in English or in Russian."
    ]
    assert Issue.objects.count() == 0


def test_secretariat_deletes_a_document_and_its_file(
    client_for, django_capture_on_commit_callbacks
):
    document = DocumentFactory(title_en="Obsolete", file=pdf_upload("Old"))
    name = document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("secretariat").post(
            reverse("admin:library_document_delete", args=[document.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert Document.objects.count() == 0
    assert not protected_storage.exists(name)


def test_secretariat_reads_the_searches_that_found_nothing(client_for):
    SearchLog.objects.create(query="вахтовый метод", results_count=0, language="ru")
    SearchLog.objects.create(query="remittances", results_count=12, language="en")

    response = client_for("secretariat").get(
        reverse("admin:library_searchlog_changelist"), {"found": "none"}
    )

    assert response.status_code == 200
    assert [log.query for log in response.context["cl"].result_list] == ["вахтовый метод"]


@pytest.mark.parametrize(
    "name", ["library_document", "library_issue", "library_article", "library_searchlog"]
)
def test_library_admin_pages_are_for_the_secretariat(client_for, name):
    url = reverse(f"admin:{name}_changelist")

    assert client_for("secretariat").get(url).status_code == 200
    assert client_for("member").get(url).status_code == 302
