import datetime
import zoneinfo

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.forms.models import BaseInlineFormSet
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from events.enums import EventKind
from events.models import Event, Session
from events.services import confirmed_count
from mirpal.countries import Country
from mirpal.languages import SpokenLanguage
from mirpal.timezones import TimeZoneSelect, zone_choices, zone_label
from mirpal.widgets import FastSelect

ANY = [("", pgettext_lazy("filter", "Any"))]
ATTENDANCE_MAX_BYTES = 2 * 1024 * 1024


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=ANY + EventKind.choices, widget=FastSelect
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=FastSelect)
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=ANY + Country.choices, widget=FastSelect
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=ANY + SpokenLanguage.choices,
        widget=FastSelect,
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = ANY + [(topic.slug, topic.name) for topic in topics]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data[name] for name in ("kind", "topic", "country", "language")}


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


def event_zone_choices() -> list:
    """The zones as people name them (“Bishkek time, UTC+6”), the network's countries first."""
    return [("UTC", "UTC"), *zone_choices()]


class EventClockField(forms.SplitDateTimeField):
    """A date and a time on the event's own clock. It cleans to a naive datetime: the zone comes
    from the form's time zone field, so the form makes it an instant (`on_clock`)."""

    widget = AdminSplitDateTime

    def __init__(self, *, zone: zoneinfo.ZoneInfo | None = None, **kwargs):
        super().__init__(**kwargs)
        self.zone = zone

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = data_list
        if day in self.empty_values:
            raise forms.ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        if time in self.empty_values:
            raise forms.ValidationError(self.error_messages["invalid_time"], code="invalid_time")
        return datetime.datetime.combine(day, time)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value) and self.zone:
            return timezone.make_naive(value, self.zone)
        return value

    def has_changed(self, initial, data):
        return super().has_changed(self.prepare_value(initial), data)


def on_clock(value: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The instant a wall-clock time names in `zone`; a time skipped or repeated by a change of
    clocks is refused with Django's own message."""
    with timezone.override(zone):
        return from_current_timezone(value)


class EventClockMixin:
    """Times entered on the event's clock. The displayed values use the zone the event had; the
    posted ones use the zone posted with them, so changing only the zone keeps the clock times and
    moves the instants."""

    clock_fields: tuple[str, ...] = ()

    def _clock_fields_setup(self, zone_name: str | None) -> None:
        zone = _zone(zone_name)
        for name in self.clock_fields:
            model_field = self.fields.get(name)
            if model_field is None:
                continue
            self.fields[name] = EventClockField(
                zone=zone,
                required=model_field.required,
                label=model_field.label,
                help_text=model_field.help_text,
            )

    def _clock_fields_clean(self, zone: zoneinfo.ZoneInfo) -> None:
        for name in self.clock_fields:
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            try:
                self.cleaned_data[name] = on_clock(value, zone)
            except forms.ValidationError as error:
                self.add_error(name, error)

    @property
    def changed_data(self) -> list[str]:
        # Compare instants once they are known: the same clock time in a new zone is a change.
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned is None or not all(
            name in cleaned or name in self.errors for name in self.clock_fields
        ):
            return super().changed_data
        changed = [name for name in super().changed_data if name not in self.clock_fields]
        return changed + [
            name
            for name in self.clock_fields
            if name in cleaned
            and cleaned[name] != self.get_initial_for_field(self.fields[name], name)
        ]


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class EventAdminForm(EventClockMixin, forms.ModelForm):
    """The secretariat's event form: countries and languages ticked from the platform's lists;
    times on the event's own clock; the capacity may not fall below the confirmed places."""

    clock_fields = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    countries = forms.MultipleChoiceField(
        label=_("Countries concerned"),
        choices=Country.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of the event"),
        choices=SpokenLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the event"),
        choices=event_zone_choices,
        initial="Europe/Moscow",
        widget=TimeZoneSelect,
        help_text=_(
            "The zone the event is organised in, for example Asia/Bishkek. Every time on this "
            "page is on its clock."
        ),
        error_messages={"invalid_choice": _("“%(value)s” is not a known time zone.")},
    )

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
            "venue_city_ru",
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
        stored_zone = self.instance.time_zone if self.instance.pk else None
        self._clock_fields_setup(stored_zone)
        zone_field = self.fields.get("time_zone")
        if zone_field and stored_zone and not zone_field.valid_value(stored_zone):
            zone_field.choices = [*zone_field.choices, (stored_zone, zone_label(stored_zone))]

    def clean(self):
        cleaned = super().clean()
        zone = _zone(cleaned.get("time_zone")) or _zone(self.instance.time_zone) or datetime.UTC
        self._clock_fields_clean(zone)
        return cleaned

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
                    ngettext(
                        "The capacity cannot be %(capacity)d: %(confirmed)d member is already "
                        "confirmed.",
                        "The capacity cannot be %(capacity)d: %(confirmed)d members are already "
                        "confirmed.",
                        confirmed,
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


class SessionAdminForm(EventClockMixin, forms.ModelForm):
    """An agenda session, its times on the clock of its event (see EventAdminForm)."""

    clock_fields = ("starts_at", "ends_at")

    class Meta:
        model = Session
        fields = ["title_en", "title_ru", "starts_at", "ends_at", "speakers"]

    def __init__(self, *args, event_zone: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event_zone = _zone(event_zone) or datetime.UTC
        self._clock_fields_setup(event_zone)

    def clean(self):
        cleaned = super().clean()
        self._clock_fields_clean(self.event_zone)
        return cleaned


class SessionAdminFormSet(BaseInlineFormSet):
    """The sessions of an event read their times in the event's zone, the one just posted with
    the event when there is one."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "event_zone": self.instance.time_zone}
