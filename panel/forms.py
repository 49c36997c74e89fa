import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from events.mail.forms import AudienceForm
from panel.exports import AUDIENCES, DATASETS, FORMATS
from panel.selectors.periods import Period, period_default

LONGEST_PERIOD_DAYS = 10 * 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period must not be before its start."))
            elif (end - start).days > LONGEST_PERIOD_DAYS:
                self.add_error("end", _("Choose a period of ten years at most."))
        return data

    def period(self) -> Period:
        """The chosen period once valid; the last twelve months otherwise."""
        if self.is_bound and self.is_valid():
            return Period(start=self.cleaned_data["start"], end=self.cleaned_data["end"])
        return period_default()


def period_form(query) -> PeriodForm:
    """Bound to the query string when it names a period; the default period otherwise."""
    if "start" in query or "end" in query:
        return PeriodForm(query)
    default = period_default()
    return PeriodForm(initial={"start": default.start, "end": default.end})


class ExportForm(PeriodForm):
    dataset = forms.ChoiceField(label=_("Data"), choices=DATASETS)
    audience = forms.ChoiceField(
        label=_("Export for"),
        choices=AUDIENCES,
        widget=forms.RadioSelect,
        initial=AUDIENCES[0][0],
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=FORMATS, widget=forms.RadioSelect, initial="csv"
    )
    field_order = ["dataset", "audience", "format", "start", "end"]

    def __init__(self, *args, datasets: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if datasets is not None:
            self.fields["dataset"].choices = [
                (name, label) for name, label in DATASETS if name in datasets
            ]
        self.fields["end"].help_text = _(
            "Registrations and attendance of events starting in the period; the other exports "
            "hold every row."
        )


def default_dates() -> dict[str, datetime.date]:
    default = period_default()
    return {"start": default.start, "end": default.end}


class MessageForm(AudienceForm):
    """A message to members in both languages, and its audience chosen as for invitations."""

    subject_en = forms.CharField(label=_("Subject in English"), max_length=200)
    body_en = forms.CharField(
        label=_("Text in English"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000
    )
    subject_ru = forms.CharField(label=_("Subject in Russian"), max_length=200)
    body_ru = forms.CharField(
        label=_("Text in Russian"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000
    )
    # Names this message across preview and sending, so sending twice records it once.
    token = forms.UUIDField(widget=forms.HiddenInput)
    field_order = ["subject_en", "body_en", "subject_ru", "body_ru", "audience"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].label = _("Who receives it")
