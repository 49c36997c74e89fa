from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from mirpal.countries import Country
from mirpal.enums import DigestFrequency, DiscussionMail
from mirpal.models import MailPreference
from mirpal.preferences import SECRETARIAT_NOTICE_KINDS, secretariat_notice_kinds_for


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
        fields = [
            "invitations",
            "reminders",
            "news",
            "digest",
            "followed_countries",
            "secretariat_notices",
            "discussions",
        ]
        widgets = {"secretariat_notices": forms.RadioSelect, "discussions": forms.RadioSelect}
        help_texts = {
            "discussions": _(
                "New questions in the topics and countries you follow in the discussions, and "
                "new answers and replies in the discussions you follow."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without the choice (a page older than it) keeps the stored value.
        self.fields["discussions"].required = False
        kinds = secretariat_notice_kinds_for(self.instance.user)
        if not kinds:
            # Only those who act on applications or requests are told of them; the others never
            # see the choice, and their stored value stays as it is (full_clean()).
            del self.fields["secretariat_notices"]
            return
        field = self.fields["secretariat_notices"]
        field.label = _("Tell me of what arrives for the secretariat")
        field.help_text = format_lazy(
            _("You receive these as one who acts on them: {kinds}."),
            kinds=", ".join(str(SECRETARIAT_NOTICE_KINDS[kind][1]) for kind in kinds),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("discussions"):
            cleaned["discussions"] = self.instance.discussions
        if (
            cleaned.get("discussions") == DiscussionMail.DIGEST
            and cleaned.get("digest") == DigestFrequency.NEVER
        ):
            self.add_error(
                "discussions",
                _(
                    "The digest is turned off: choose a weekly or monthly digest to receive "
                    "them there."
                ),
            )
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.is_bound and "secretariat_notices" not in self.fields:
            # The page saves every Meta field: one not shown keeps the value stored.
            self.cleaned_data["secretariat_notices"] = self.instance.secretariat_notices
