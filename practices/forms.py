"""The form a member describes a good practice with, section by section, and the secretariat's
review form. Each text can be written in English, in Russian or in both: one language is enough
(the pages show the other language's text when one is missing). The services check again."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exchange.enums import Visibility as ThreadVisibility
from members.enums import MembershipStatus
from members.models import User
from members.roster.models import Expert
from mirpal.models import Topic
from practices.enums import CaseStatus, Visibility
from practices.models import CASE_COUNTRIES, CASE_TEXT_FIELDS, Case

LANGUAGES = (("en", _("In English")), ("ru", _("In Russian")))

# Each text's label and what to write in it.
TEXTS = {
    "title": (
        _("Title"),
        _(
            "One line that names the measure and the country, e.g. “Pre-departure training for "
            "workers going abroad, Kyrgyz Republic”."
        ),
    ),
    "summary": (
        _("Summary"),
        _(
            "Two or three sentences a busy colleague reads first: what was done, and what "
            "came of it."
        ),
    ),
    "problem": (
        _("The problem it addresses"),
        _("What was going wrong, for whom, and how large the problem was before the measure."),
    ),
    "measure": (
        _("What was done"),
        _(
            "The measure itself: who does what, for whom, step by step. Enough for a colleague "
            "in another ministry to picture it."
        ),
    ),
    "legal_basis": (
        _("Legal or policy basis"),
        _("The law, decree, programme or agreement it rests on, with its number and date."),
    ),
    "institutions": (
        _("Institutions involved"),
        _("Who runs it and who takes part: ministries, agencies, local authorities, partners."),
    ),
    "scale": (
        _("Scale"),
        _("How many people, regions or offices it covers."),
    ),
    "cost": (
        _("Cost"),
        _("What it costs and who pays: the budget, donors, fees. An estimate is fine."),
    ),
    "results": (
        _("Results with figures"),
        _("What changed, in numbers where you can: people reached, time or money saved."),
    ),
    "results_source": (
        _("Source of the figures"),
        _("Where the figures come from: a report, a statistic, an evaluation, with its year."),
    ),
    "lessons": (
        _("Before copying it"),
        _(
            "What a country needs to have in place to do the same, what went wrong at first, "
            "and what you would do differently."
        ),
    ),
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str
    fields: tuple[str, ...]


# The form's sections, in order; a text field stands for its two languages.
SECTIONS = (
    Section(
        "brief",
        _("The case in brief"),
        _("Write in the language you prefer: one language is enough. Both are welcome."),
        ("title", "summary"),
    ),
    Section("problem", _("The problem"), "", ("problem",)),
    Section("measure", _("The measure"), "", ("measure",)),
    Section("basis", _("Legal basis and institutions"), "", ("legal_basis", "institutions")),
    Section(
        "scale",
        _("When, scale and cost"),
        _("Leave “until” empty while the measure runs."),
        ("year_from", "year_to", "scale", "cost"),
    ),
    Section(
        "results",
        _("Results"),
        _("Figures convince colleagues most; say where each comes from."),
        ("results", "results_source"),
    ),
    Section("lessons", _("Before copying it"), "", ("lessons",)),
    Section(
        "where",
        _("Status, countries and topics"),
        "",
        ("status", "countries", "topics"),
    ),
    Section(
        "contacts",
        _("Who can be asked about it"),
        _(
            "Optional: members of the network and experts of the roster who know the measure. "
            "The secretariat can add them later."
        ),
        ("contact_members", "contact_experts"),
    ),
    Section("visibility", _("Who can read it"), "", ("visibility",)),
)


def _text_field(name: str, language: str) -> forms.CharField:
    """One language's box of a text; its row (the template's fieldset) names the text and says
    what to write, the box's own label names the language."""
    if name == "title":
        widget, max_length = forms.TextInput(attrs={"lang": language}), 200
    else:
        widget, max_length = forms.Textarea(attrs={"rows": 4, "lang": language}), 10_000
    return forms.CharField(
        label=dict(LANGUAGES)[language], required=False, max_length=max_length, widget=widget
    )


def case_rules_check(form: forms.BaseForm, data: dict) -> None:
    """What every case needs, said field by field (the database would refuse it in one line):
    a title and what was done, in at least one language, and years in order."""
    if not (data.get("title_en") or "").strip() and not (data.get("title_ru") or "").strip():
        form.add_error("title_en", _("Give the case a title, in English or in Russian."))
    if not (data.get("measure_en") or "").strip() and not (data.get("measure_ru") or "").strip():
        form.add_error("measure_en", _("Describe what was done, in English or in Russian."))
    year_from, year_to = data.get("year_from"), data.get("year_to")
    if year_from and year_to and year_to < year_from:
        form.add_error("year_to", _("The end year cannot be before the start year."))


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        profile = getattr(user, "profile", None)
        name = user.get_full_name() or str(user)
        if profile is None:
            return name
        return f"{name} — {profile.organisation}, {profile.get_country_display()}"


class CaseForm(forms.Form):
    """A case as its proposer writes it (and a reviewer on the site). `case` is the case being
    changed: its current contacts stay choosable even if they left the directory since."""

    year_from = forms.IntegerField(
        label=_("Since (year)"),
        required=False,
        min_value=1950,
        max_value=2100,
        help_text=_("The year the measure started, or the pilot."),
    )
    year_to = forms.IntegerField(
        label=_("Until (year)"),
        required=False,
        min_value=1950,
        max_value=2100,
        help_text=_("Empty while the measure runs."),
    )
    status = forms.ChoiceField(
        label=_("Where the measure stands"),
        choices=CaseStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say where the measure stands.")},
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=CASE_COUNTRIES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The country that did it, or the countries that did it together."),
        error_messages={"required": _("Choose at least one country.")},
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Colleagues compare cases topic by topic."),
        error_messages={"required": _("Choose at least one topic.")},
    )
    contact_members = MemberChoiceField(
        label=_("Members of the network"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Members listed in the directory. Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    contact_experts = forms.ModelMultipleChoiceField(
        label=_("Experts of the roster"),
        queryset=Expert.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
        help_text=_(
            "Public cases are read by anyone and announced to partner organisations; "
            "members-only cases by the network's members."
        ),
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CASE_TEXT_FIELDS:
            for language, _label in LANGUAGES:
                self.fields[f"{name}_{language}"] = _text_field(name, language)
        members, experts = [], []
        if case is not None and case.pk:
            members = list(case.contact_members.values_list("pk", flat=True))
            experts = list(case.contact_experts.values_list("pk", flat=True))
        self.fields["contact_members"].queryset = (
            User.objects.filter(
                Q(
                    is_active=True,
                    profile__status=MembershipStatus.APPROVED,
                    profile__listed_in_directory=True,
                )
                | Q(pk__in=members)
            )
            .select_related("profile")
            .order_by("profile__sort_name", "pk")
        )
        self.fields["contact_experts"].queryset = Expert.objects.filter(
            Q(is_listed=True) | Q(pk__in=experts)
        ).order_by("name_en", "pk")

    @classmethod
    def for_case(cls, case: Case, data=None) -> CaseForm:
        """The form to change `case`, filled with what it says now."""
        initial = {name: getattr(case, name) for name in cls.case_field_names()}
        initial.update(
            countries=list(case.countries),
            topics=list(case.topics.all()),
            contact_members=list(case.contact_members.all()),
            contact_experts=list(case.contact_experts.all()),
        )
        return cls(data, initial=initial, case=case)

    @staticmethod
    def case_field_names() -> list[str]:
        return [
            *(f"{name}_{language}" for name in CASE_TEXT_FIELDS for language in ("en", "ru")),
            "year_from",
            "year_to",
            "status",
            "visibility",
        ]

    def clean(self):
        data = super().clean()
        case_rules_check(self, data)
        return data

    def case_data(self) -> dict:
        """What the services take: the columns and the relations."""
        data = {name: self.cleaned_data[name] for name in self.case_field_names()}
        for name in ("countries", "topics", "contact_members", "contact_experts"):
            data[name] = list(self.cleaned_data[name])
        return data

    def sections(self) -> list[dict]:
        """The sections as the template lays them out: each field, a text with its English and
        Russian boxes side by side."""
        laid_out = []
        for section in SECTIONS:
            rows = []
            for name in section.fields:
                if name in TEXTS:
                    label, help_text = TEXTS[name]
                    rows.append(
                        {
                            "label": label,
                            "help": help_text,
                            "pair": [self[f"{name}_{language}"] for language, _l in LANGUAGES],
                        }
                    )
                else:
                    rows.append({"field": self[name]})
            laid_out.append({"section": section, "rows": rows})
        return laid_out


class ReviewForm(forms.Form):
    """The secretariat's note with a review step: required to ask for changes or to decline."""

    note = forms.CharField(
        label=_("Note to the proposer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5_000,
        required=False,
    )

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        note = self.fields["note"]
        if step == "changes":
            note.required = True
            note.help_text = _("What to change or add; the proposer receives it by mail.")
            note.error_messages["required"] = _("Say what the proposer should change.")
        elif step == "declined":
            note.label = pgettext_lazy("case review", "Reason for declining")
            note.required = True
            note.help_text = _("The proposer receives it by mail and sees it on their page.")
            note.error_messages["required"] = _("Give the proposer the reason for declining.")
        else:
            note.help_text = _("Optional: a word of thanks or what the secretariat changed.")


class CaseAskForm(forms.Form):
    """A question to the people behind a case, opened as a discussion in the peer exchange."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give your question a title.")},
    )
    body = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text=_(
            "Markdown: **bold**, *italic*, [a link](https://example.org). Say what you would "
            "like to know about the case and why."
        ),
        error_messages={"required": _("Write your question before sending it.")},
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=ThreadVisibility.choices,
        initial=ThreadVisibility.MEMBERS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        if case.visibility != Visibility.PUBLIC:
            # A question about a members-only case stays among members.
            self.fields["visibility"].choices = [
                (ThreadVisibility.MEMBERS, ThreadVisibility.MEMBERS.label)
            ]
