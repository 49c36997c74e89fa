"""Comparing cases and asking the people behind one.

compare_topic sets the cases of one topic side by side, a line per country; compare_cases sets
two or three chosen cases field by field; case_ask opens a question in the peer exchange
addressed to a case's contact people (practices.asking).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from exchange.enums import Moderation
from exchange.errors import ExchangeError
from members.permissions import member_required
from mirpal.widgets import FastSelect
from practices import selectors
from practices.asking import case_contacts, case_question_open
from practices.enums import CaseStatus
from practices.forms import CaseAskForm
from practices.models import CASE_COUNTRIES, CASE_TEXT_FIELDS, Case
from practices.views.cases import ANY, CASE_FIELD_LABELS, country_labels, years_label
from practices.visibility import case_readable

COMPARED_MIN, COMPARED_MAX = 2, 3
# A long text in a comparison's cell is cut here; the case's page has it all.
CELL_WORDS = 40


class CompareFilterForm(forms.Form):
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False, widget=FastSelect)
    country = forms.ChoiceField(
        label=gettext_lazy("Country"), required=False, choices=ANY + CASE_COUNTRIES,
        widget=FastSelect,
    )  # fmt: skip
    status = forms.ChoiceField(
        label=gettext_lazy("Status of the measure"),
        required=False,
        choices=ANY + list(CaseStatus.choices),
        widget=FastSelect,
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [
            ("", pgettext_lazy("filter", "Choose a topic")),
            *[(topic.slug, topic.name) for topic in topics],
        ]

    def value(self, name: str) -> str:
        self.is_valid()
        return self.cleaned_data.get(name) or ""


@require_GET
def compare_topic(request):
    topics = list(selectors.topics_shown())
    form = CompareFilterForm(request.GET, topics=topics)
    topic_slug = form.value("topic")
    topic = next((shown for shown in topics if shown.slug == topic_slug), None)
    country, status = form.value("country"), form.value("status")
    rows = []
    if topic is not None:
        labels = dict(CASE_COUNTRIES)
        for row in selectors.comparison_rows(
            user=request.user, topic=topic, country=country, status=status
        ):
            rows.append(
                {
                    "country": labels[row.country],
                    "case": row.case,
                    "status": row.case.get_status_display(),
                    "years": years_label(row.case),
                }
            )
    return render(
        request,
        "practices/compare.html",
        {"form": form, "topic": topic, "rows": rows, "cell_words": CELL_WORDS},
    )


def _comparison_table(cases: list[Case]) -> list[dict]:
    """The rows of a field-by-field comparison: where, how far and when, then every text of the
    case in the active language (the other where a case has none)."""
    rows = [
        {"label": _("Countries"), "cells": [", ".join(country_labels(c.countries)) for c in cases]},
        {"label": _("Status of the measure"), "cells": [c.get_status_display() for c in cases]},
        {"label": _("Years"), "cells": [years_label(c) for c in cases]},
        {
            "label": _("Topics"),
            "cells": [", ".join(topic.name for topic in c.topics.all()) for c in cases],
        },
    ]
    rows += [
        {"label": CASE_FIELD_LABELS[name], "cells": [getattr(c, name) for c in cases]}
        for name in CASE_TEXT_FIELDS[1:]
    ]
    return rows


@require_GET
def compare_cases(request):
    slugs = list(dict.fromkeys(slug for slug in request.GET.getlist("case") if slug))[:10]
    problem = ""
    cases: list[Case] = []
    if len(slugs) < COMPARED_MIN:
        problem = _("Choose two or three cases to compare: tick them in the list of cases.")
    elif len(slugs) > COMPARED_MAX:
        problem = _(
            "At most three cases can be compared at once: you chose %(count)d. Go back and "
            "untick some."
        ) % {"count": len(slugs)}
    else:
        cases = selectors.cases_by_slugs(user=request.user, slugs=slugs)
        if len(cases) < len(slugs):
            problem = _("Some of the cases you chose cannot be found or are open to members only.")
            if len(cases) < COMPARED_MIN:
                cases = []
    return render(
        request,
        "practices/compare_cases.html",
        {
            "cases": cases,
            "rows": _comparison_table(cases) if cases else [],
            "problem": problem,
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def case_ask(request, slug: str):
    case = get_object_or_404(
        Case.objects.prefetch_related("topics", "contact_members__profile", "contact_experts"),
        slug=slug,
    )
    if not (case.is_published and case_readable(case=case, user=request.user)):
        raise Http404
    contacts = case_contacts(case)
    initial = {
        "title": _("About the case: %(title)s") % {"title": case.title},
        "topics": list(case.topics.all()),
    }
    form = CaseAskForm(
        request.POST if request.method == "POST" else None, initial=initial, case=case
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = case_question_open(
                case=case,
                author=request.user,
                title=data["title"],
                body=data["body"],
                topics=data["topics"],
                visibility=data["visibility"],
            )
        except (ExchangeError, ValidationError) as error:
            if isinstance(error, ValidationError):
                form.add_error(None, error)
            else:
                form.add_error(None, str(error.message))
        else:
            if thread.state == Moderation.HELD:
                messages.info(
                    request,
                    _(
                        "Thank you. A new member's first posts are reviewed by the secretariat: "
                        "until then only you and the secretariat see it."
                    ),
                )
            elif contacts:
                messages.success(
                    request,
                    _("Your question is published and the people behind the case are told."),
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your question is published. The case names no contact people: "
                        "colleagues who follow its topics and countries are told of it."
                    ),
                )
            return redirect(thread)
    return render(
        request,
        "practices/ask.html",
        {"case": case, "form": form, "contacts": contacts},
    )
