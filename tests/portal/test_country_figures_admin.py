"""The secretariat's editors keep the country pages' figures in the admin: a figure added or
changed there shows on the country page at the next visit."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from mirpal.models import AuditAction, AuditEntry
from portal.models import CountryFigure
from tests.factories.practices import CountryFigureFactory

pytestmark = pytest.mark.django_db

KG = reverse("country", kwargs={"code": "kg"})
ADD = reverse("admin:portal_countryfigure_add")
CHANGELIST = reverse("admin:portal_countryfigure_changelist")


def figures(client: Client) -> list[str]:
    html = client.get(KG).content.decode()
    block = re.search(r'<section class="card country-figures".*?</section>', html, re.S)[0]
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", "", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def test_the_editor_adds_and_edits_a_figure_and_it_shows_at_the_next_visit(client_for):
    visitor = Client()
    assert figures(visitor) == []
    editor = client_for("editor")
    assert editor.get(ADD).status_code == 200
    response = editor.post(
        ADD,
        {
            "country": "KG",
            "label_en": "Remittances, share of GDP",
            "label_ru": "Денежные переводы, доля ВВП",
            "value": "24.0%",
            "value_ru": "24,0%",
            "year": "2024",
            "source_en": "World Bank",
            "source_ru": "Всемирный банк",
            "source_url": "data.worldbank.org",
            "position": "1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    figure = CountryFigure.objects.get()
    assert figure.source_url == "https://data.worldbank.org"
    entry = AuditEntry.objects.get(object_type="portal.CountryFigure")
    assert (entry.action, entry.object_id) == (AuditAction.CREATE, str(figure.pk))
    assert figures(visitor) == ["24.0% Remittances, share of GDP World Bank, 2024"]
    assert '<a href="https://data.worldbank.org" rel="noopener">World Bank</a>' in (
        visitor.get(KG).content.decode()
    )

    # The list's editable columns: a new value and year, as the secretariat corrects them.
    listed = editor.get(CHANGELIST, {"country__exact": "KG"})
    assert listed.status_code == 200
    response = editor.post(
        f"{CHANGELIST}?country__exact=KG",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(figure.pk),
            "form-0-value": "25.1%",
            "form-0-year": "2025",
            "form-0-position": "1",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert figures(visitor) == ["25.1% Remittances, share of GDP World Bank, 2025"]


def test_an_edited_figure_shows_in_russian_and_on_the_list_of_countries(client_for):
    figure = CountryFigureFactory(label_en="Emigrants", label_ru="Эмигранты", value="1.2 m")
    visitor = Client()
    assert "1.2 m" in visitor.get(reverse("countries")).content.decode()
    response = client_for("editor").post(
        reverse("admin:portal_countryfigure_change", args=[figure.pk]),
        {
            "country": "KG",
            "label_en": "Emigrants",
            "label_ru": "Эмигранты",
            "value": "1.3 m",
            "value_ru": "1,3 млн",
            "year": "2024",
            "source_en": "National Statistical Committee",
            "source_ru": "Национальный статистический комитет",
            "source_url": "",
            "position": "0",
        },
    )
    assert response.status_code == 302
    page = visitor.get(reverse("countries")).content.decode()
    assert "1.3 m" in page
    assert "1.2 m" not in page
    html = visitor.get(KG, headers={"accept-language": "ru"}).content.decode()
    assert "<strong>1,3 млн</strong> Эмигранты" in html


def test_only_staff_who_edit_figures_see_the_link_to_them(client_for):
    link = f'href="{CHANGELIST}?country__exact=KG"'
    assert link in client_for("editor").get(KG).content.decode()
    assert link in client_for("secretariat").get(KG).content.decode()
    for role in ("anonymous", "applicant", "member", "manager"):
        assert link not in client_for(role).get(KG).content.decode(), role
