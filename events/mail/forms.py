"""Forms of the event mail pages: choosing an invitation's audience, resending one mail."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.audiences import Audience, AudienceKind
from events.mail.kinds import MAIL_KIND_LABELS
from members.enums import OrganisationType
from members.models import User
from mirpal.countries import Country
from mirpal.models import Topic


class AudienceForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Who is invited"),
        choices=AudienceKind.choices,
        widget=forms.RadioSelect,
        initial=AudienceKind.ALL,
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=[("", "—"), *Country.choices], required=False
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", "—"), *OrganisationType.choices],
        required=False,
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False, empty_label="—"
    )
    emails = forms.CharField(
        label=_("Members picked by hand"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Email addresses of members, one per line or separated by commas."),
    )

    NEEDS = {
        AudienceKind.COUNTRY: "country",
        AudienceKind.ORGANISATION_TYPE: "organisation_type",
        AudienceKind.TOPIC: "topic",
        AudienceKind.USERS: "emails",
    }

    def clean(self):
        data = super().clean()
        kind = data.get("audience")
        needed = self.NEEDS.get(kind)
        if needed and not data.get(needed):
            self.add_error(needed, _("Fill this in for the audience you chose."))
        if kind == AudienceKind.USERS and data.get("emails"):
            emails = {part.strip().lower() for part in data["emails"].replace(",", "\n").split()}
            emails.discard("")
            found = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
            unknown = sorted(emails - {email.lower() for email in found})
            if unknown:
                self.add_error(
                    "emails",
                    _("No account has these addresses: %(emails)s")
                    % {"emails": ", ".join(unknown)},
                )
            data["user_ids"] = tuple(sorted(found.values()))
        return data

    def audience_value(self) -> Audience:
        data = self.cleaned_data
        topic = data.get("topic")
        return Audience(
            kind=data["audience"],
            country=data.get("country") or "",
            organisation_type=data.get("organisation_type") or "",
            topic_id=topic.pk if topic else None,
            user_ids=data.get("user_ids", ()),
        )


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("Member's email address"))
    kind = forms.ChoiceField(label=_("Which mail"), choices=list(MAIL_KIND_LABELS.items()))
