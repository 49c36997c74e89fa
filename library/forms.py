from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from library.enums import ARTICLE_KIND, ARTICLE_KIND_LABEL, DocumentKind
from library.models import Article, Document, Issue
from library.pdf import image_inspect, pdf_inspect
from library.search import SearchFilters
from mirpal.countries import Country
from mirpal.languages import SpokenLanguage
from mirpal.stored_files import StoredFileLinksMixin, StoredFileWidget
from mirpal.widgets import FastSelect

# Longer searches are cut here: no one types more, and a pasted page would only slow the database.
MAX_QUERY_CHARS = 300


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), required=False, strip=True)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *DocumentKind.choices, (ARTICLE_KIND, ARTICLE_KIND_LABEL)],
        widget=FastSelect,
    )
    topic = forms.SlugField(label=_("Topic"), required=False, max_length=60)
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=[("", _("Any country")), *Country.choices],
        widget=FastSelect,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *SpokenLanguage.choices],
        widget=FastSelect,
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.query_shortened = False

    def clean_q(self) -> str:
        text = self.cleaned_data["q"]
        if len(text) > MAX_QUERY_CHARS:
            self.query_shortened = True
            cut = text[:MAX_QUERY_CHARS]
            text = cut.rsplit(" ", 1)[0] if " " in cut else cut
        return text

    def filters(self, **fixed) -> SearchFilters:
        data = dict(self.cleaned_data) if self.is_valid() else {}
        data.update(fixed)
        return SearchFilters(
            query=data.get("q") or "",
            kind=data.get("kind") or "",
            topic=data.get("topic") or "",
            country=data.get("country") or "",
            language=data.get("language") or "",
            year=data.get("year"),
        )


def _validated(field: str, check):
    def clean(self):
        upload = self.cleaned_data.get(field)
        if upload and field in self.changed_data:
            try:
                check(upload)
            except ValidationError as error:
                raise ValidationError(error.messages) from error
        return upload

    return clean


def _countries_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Countries"),
        choices=Country.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class DocumentAdminForm(StoredFileLinksMixin, forms.ModelForm):
    """The secretariat's form; files are checked by content here so errors show on the field,
    and saved by library.services.document_save."""

    countries = _countries_field()
    external_url = forms.URLField(
        label=_("External link"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Document
        fields = [
            "kind",
            "title_en",
            "title_ru",
            "slug",
            "language",
            "published_on",
            "abstract_en",
            "abstract_ru",
            "authors_text",
            "author_members",
            "author_experts",
            "publisher",
            "topics",
            "countries",
            "event",
            "access",
            "file",
            "external_url",
        ]
        widgets = {"file": StoredFileWidget}

    file_views = {"file": ("library:document_download", "pk")}

    clean_file = _validated("file", pdf_inspect)


class ArticleAdminForm(forms.ModelForm):
    countries = _countries_field()

    class Meta:
        model = Article
        fields = [
            "issue",
            "title",
            "authors_text",
            "author_members",
            "author_experts",
            "page_start",
            "page_end",
            "language",
            "abstract",
            "topics",
            "countries",
        ]


class IssueAdminForm(StoredFileLinksMixin, forms.ModelForm):
    class Meta:
        model = Issue
        fields = [
            "number",
            "published_on",
            "title_en",
            "title_ru",
            "description_en",
            "description_ru",
            "cover",
            "pdf",
        ]
        widgets = {"cover": StoredFileWidget, "pdf": StoredFileWidget}

    file_views = {
        "cover": ("library:issue_cover", "number"),
        "pdf": ("library:issue_pdf", "number"),
    }

    clean_pdf = _validated("pdf", pdf_inspect)
    clean_cover = _validated("cover", image_inspect)
