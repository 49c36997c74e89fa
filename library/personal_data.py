"""The library's part of a person's data (mirpal.personal_data): the articles and documents that
name them as an author. Closing the account removes those links; the printed authors' line of a
publication (`authors_text`) is the publication's own and stays."""

from __future__ import annotations

from library.models import Article, Document
from mirpal.personal_data import DataSubject, export_value, personal_data_register


def _library_export(user) -> dict:
    return {
        "articles": [
            {"title": article.title, "issue": article.issue.number}
            for article in Article.objects.filter(author_members=user)
            .select_related("issue")
            .order_by("issue__number", "pk")
        ],
        "documents": [
            {
                "title": document.title,
                "address": document.get_absolute_url(),
                "date": export_value(document.published_on),
            }
            for document in Document.objects.filter(author_members=user).order_by(
                "published_on", "pk"
            )
        ],
    }


def _library_erase(subject: DataSubject) -> None:
    Article.author_members.through.objects.filter(user=subject.user).delete()
    Document.author_members.through.objects.filter(user=subject.user).delete()


def personal_data_register_library() -> None:
    personal_data_register(
        "library_authorship", export=_library_export, erase=_library_erase, position=40
    )
