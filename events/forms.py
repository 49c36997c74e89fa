from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.enums import EventKind
from events.models import Event
from events.services import confirmed_count
from mirpal.countries import Country
from mirpal.languages import SpokenLanguage

ANY = [("", pgettext_lazy("filter", "Any"))]
ATTENDANCE_MAX_BYTES = 2 * 1024 * 1024


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + EventKind.choices)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False, choices=ANY + Country.choices)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=ANY + SpokenLanguage.choices
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = ANY + [(topic.slug, topic.name) for topic in topics]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data[name] for name in ("kind", "topic", "country", "language")}


class RegistrationForm(forms.Form):
    response = forms.ChoiceField(
        choices=[("going", _("Going")), ("not_going", _("Not going"))], widget=forms.RadioSelect
    )


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Participant report (CSV)"),
        help_text=_(
            "The CSV export of the video platform's participant report, with an “Email” column "
            "and, if you have it, “Duration (minutes)”."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > ATTENDANCE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class FiguresForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("Event"),
        required=False,
        queryset=Event.objects.none(),
        empty_label=pgettext_lazy("events", "All events"),
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events


class EventAdminForm(forms.ModelForm):
    """The secretariat's event form: the capacity may not fall below the confirmed places."""

    class Meta:
        model = Event
        fields = [
            "kind",
            "series",
            "title_en",
            "title_ru",
            "slug",
            "description_en",
            "description_ru",
            "topics",
            "countries",
            "starts_at",
            "ends_at",
            "time_zone",
            "languages",
            "interpretation",
            "venue_city",
            "venue_country",
            "venue_address",
            "platform",
            "join_url",
            "passcode",
            "recording_url",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "speakers",
            "cancellation_reason",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leave empty to make one from the date and title.")

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if not slug and self.instance.pk:
            return Event.objects.values_list("slug", flat=True).get(pk=self.instance.pk)
        return slug

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and self.instance.pk:
            confirmed = confirmed_count(event=self.instance)
            if capacity < confirmed:
                raise forms.ValidationError(
                    _(
                        "The capacity cannot be %(capacity)d: %(confirmed)d members are already "
                        "confirmed."
                    ),
                    params={"capacity": capacity, "confirmed": confirmed},
                )
        return capacity


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, told to those registered"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
