from django import forms
from django.utils.translation import gettext_lazy as _

from members.roster.enums import EXPERT_REQUEST_TRANSITIONS, ExpertRequestStatus, HelpKind
from members.roster.models import Expert
from members.roster.selectors import country_choices
from mirpal.languages import SpokenLanguage
from mirpal.models import Topic
from mirpal.stored_files import StoredFileLinksMixin, StoredFileWidget
from mirpal.widgets import FastSelect, FastSelectMultiple


class RosterFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, field or organisation"), required=False, max_length=200)
    topic = forms.ChoiceField(label=_("Field of expertise"), required=False, widget=FastSelect)
    country = forms.ChoiceField(label=_("Country of experience"), required=False, widget=FastSelect)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *SpokenLanguage.choices],
        widget=FastSelect,
    )
    help_kind = forms.ChoiceField(
        label=_("Kind of help"),
        required=False,
        choices=[("", _("Any kind")), *HelpKind.choices],
        widget=FastSelect,
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All fields"))] + [
            (topic.slug, topic.name) for topic in topics
        ]
        self.fields["country"].choices = [("", _("All countries")), *country_choices()]

    def filter_values(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "topic": data["topic"],
            "country": data["country"],
            "language": data["language"],
            "help_kind": data["help_kind"],
            "query": data["q"],
        }


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ExpertRequestForm(forms.Form):
    """What a member tells the secretariat; the dates are checked by the service."""

    topic = TopicChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.order_by("position", "slug"),
        to_field_name="slug",
        empty_label=_("Choose a topic"),
        error_messages={"invalid_choice": _("Unknown topic: choose one from the list.")},
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries the expert should know"),
        required=False,
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose more than one."),
        widget=FastSelectMultiple(attrs={"size": 8}),
    )
    language = forms.ChoiceField(
        label=_("Language the expert should work in"), choices=SpokenLanguage.choices
    )
    help_kind = forms.ChoiceField(label=_("Kind of help"), choices=HelpKind.choices)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=4000,
        help_text=_("What the expert would do, for whom, and what you hope to achieve."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = country_choices()


class ExpertRequestTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New state"))
    expert = forms.ModelChoiceField(
        label=_("Matched expert"),
        queryset=Expert.objects.none(),
        required=False,
        empty_label=_("Choose an expert"),
    )
    note = forms.CharField(
        label=_("Note to the requester (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, status: str, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (value, ExpertRequestStatus(value).label)
            for value in EXPERT_REQUEST_TRANSITIONS.get(status, ())
        ]
        self.fields["expert"].queryset = experts

    def clean(self):
        data = super().clean()
        if data.get("to_status") == ExpertRequestStatus.MATCHED and not data.get("expert"):
            self.add_error("expert", _("Choose the expert you matched with this request."))
        return data


class ExpertRequestNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Internal note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExpertAdminForm(StoredFileLinksMixin, forms.ModelForm):
    """The secretariat's form for an expert: the current photo links to the roster's photo view,
    the address that serves it wherever it is stored."""

    class Meta:
        model = Expert
        # The admin's fieldsets name the form's fields; this base only sets the photo's widget.
        fields = ["photo"]
        widgets = {"photo": StoredFileWidget}

    file_views = {"photo": ("members:expert_photo", "pk")}
