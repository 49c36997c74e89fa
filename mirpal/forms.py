from django import forms
from django.utils.translation import gettext_lazy as _

from mirpal.countries import Country
from mirpal.models import MailPreference


class MailPreferenceForm(forms.ModelForm):
    followed_countries = forms.MultipleChoiceField(
        label=_("Countries I follow in the digest"),
        required=False,
        choices=[choice for choice in Country.choices if choice[0] != Country.OTHER],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The digest also follows the interests in your profile."),
    )

    class Meta:
        model = MailPreference
        fields = ["invitations", "reminders", "news", "digest", "followed_countries"]
