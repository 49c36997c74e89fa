from allauth.mfa.webauthn.forms import AddWebAuthnForm
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.enums import MembershipStatus, OrganisationType
from members.models import Profile
from members.services import profile_create
from mirpal.countries import Country
from mirpal.languages import SpokenLanguage
from mirpal.models import Topic
from mirpal.timezones import TimeZoneSelect, zone_choices
from mirpal.widgets import FastSelect

CHOOSE = ("", _("— choose —"))


def page_language() -> str:
    """The language the form is being filled in: the likeliest wish for mail."""
    language = get_language()
    return language if language in ("ru", "en") else "ru"


def time_zone_choices() -> list:
    """The zones as people name them (“Bishkek time, UTC+6”), the network's countries first."""
    return [("", _("The capital of my country")), *zone_choices()]


class ProfileFieldsMixin(forms.Form):
    """The profile fields, shared by the application at sign-up and the profile page."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    # An empty first option: a browser would otherwise submit the first country and type for
    # anyone who skips the field.
    country = forms.ChoiceField(
        label=_("Country"),
        choices=[CHOOSE, *Country.choices],
        error_messages={"required": _("Choose your country.")},
        widget=FastSelect,
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[CHOOSE, *OrganisationType.choices],
        error_messages={"required": _("Choose the type of your organisation.")},
        widget=FastSelect,
    )
    position = forms.CharField(label=_("Position"), max_length=200)
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=SpokenLanguage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mail_language = forms.ChoiceField(
        label=_("Language for mail"),
        choices=[("ru", _("Russian")), ("en", _("English"))],
        initial=page_language,
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, required=False, widget=TimeZoneSelect
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("Interests"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    PROFILE_FIELDS = (
        "country",
        "city",
        "organisation",
        "organisation_type",
        "position",
        "languages",
        "mail_language",
        "time_zone",
    )

    def profile_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PROFILE_FIELDS}


class ApplicationSignupForm(ProfileFieldsMixin):
    """allauth adds these fields to its sign-up form: signing up is applying for membership."""

    motivation = forms.CharField(
        label=_("Why do you want to join the network?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])
        profile_create(
            user=user,
            interests=self.cleaned_data["interests"],
            motivation=self.cleaned_data["motivation"],
            **self.profile_data(),
        )


class ProfileForm(ProfileFieldsMixin):
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email_visibility = forms.ChoiceField(
        label=_("Who sees my email address"),
        choices=Profile._meta.get_field("email_visibility").choices,
    )
    phone_visibility = forms.ChoiceField(
        label=_("Who sees my phone number"),
        choices=Profile._meta.get_field("phone_visibility").choices,
    )
    listed_in_directory = forms.BooleanField(
        label=_("List me in the members' directory"), required=False
    )
    show_exchange_activity = forms.BooleanField(
        label=_("Show my questions and answers in the exchange on my page"),
        required=False,
        initial=True,
    )

    PROFILE_FIELDS = (
        *ProfileFieldsMixin.PROFILE_FIELDS,
        "phone",
        "email_visibility",
        "phone_visibility",
        "listed_in_directory",
        "show_exchange_activity",
    )

    @classmethod
    def initial_for(cls, profile: Profile) -> dict:
        initial = {name: getattr(profile, name) for name in cls.PROFILE_FIELDS}
        initial.update(
            first_name=profile.user.first_name,
            last_name=profile.user.last_name,
            interests=list(profile.interests.all()),
        )
        return initial


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or organisation"), required=False, max_length=200)
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=[("", _("All countries")), *Country.choices],
        widget=FastSelect,
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        required=False,
        choices=[("", _("All types")), *OrganisationType.choices],
        widget=FastSelect,
    )
    interest = forms.ChoiceField(label=_("Interest"), required=False, widget=FastSelect)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *SpokenLanguage.choices],
        widget=FastSelect,
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest"].choices = [("", _("All interests"))] + [
            (topic.slug, topic.name) for topic in topics
        ]

    def filter_values(self) -> dict[str, str]:
        """The selectors' filters; none when a value is invalid (the page then lists everyone)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "country": data["country"],
            "organisation_type": data["organisation_type"],
            "interest": data["interest"],
            "language": data["language"],
            "query": data["q"],
        }


class DecisionForm(forms.Form):
    DECISIONS = [
        (MembershipStatus.APPROVED, _("Approve")),
        (MembershipStatus.REJECTED, _("Reject")),
        (MembershipStatus.SUSPENDED, _("Suspend")),
    ]
    profiles = forms.ModelMultipleChoiceField(
        queryset=Profile.objects.all(),
        error_messages={"required": _("Choose at least one applicant.")},
    )
    decision = forms.ChoiceField(choices=DECISIONS)
    note = forms.CharField(
        label=_("Note to the applicant (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AccountCloseForm(forms.Form):
    """Closing an account asks for its password again: a session left open on a shared computer
    must not be enough."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that closing my account erases my personal data and cannot be undone."
        ),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your current password."))
        return password


class AddSecurityKeyForm(AddWebAuthnForm):
    """allauth's form for adding a security key (MFA_FORMS), with a label that translates: its
    own field has none, so Django's "Name" would show in every language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Name of the key")
        self.fields["name"].help_text = _("So that you can tell your keys apart, e.g. “Office”.")
