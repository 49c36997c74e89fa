"""The forms members propose, comment and filter with, and the secretariat's merge form. They
check what a form can (required fields, the nine countries, a target in the same call); the
services check the rules again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mirpal.models import Topic
from mirpal.widgets import FastSelect
from programme.enums import ActivityKind, ProposalState, WrittenIn
from programme.models import NETWORK_COUNTRIES, Proposal
from programme.selectors import ORDERS

ANY = [("", pgettext_lazy("filter", "Any"))]


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("One sentence: what the network should take up."),
        error_messages={"required": _("Give your proposal a title.")},
    )
    need = forms.CharField(
        label=_("What our institution needs to learn or discuss"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        error_messages={"required": _("Say what your institution needs.")},
    )
    why_now = forms.CharField(
        label=_("Why now"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        required=False,
        help_text=_("Optional: a new law, a reform, a season, a request from your government."),
    )
    activity_kind = forms.ChoiceField(
        label=_("Kind of activity wanted"),
        choices=ActivityKind.choices,
        widget=forms.RadioSelect,
        initial=ActivityKind.VIDEO_CONFERENCE,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries concerned"),
        choices=NETWORK_COUNTRIES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one country.")},
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Written in"), choices=WrittenIn.choices, initial=WrittenIn.RUSSIAN
    )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give your proposal a title."))
        return title


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        error_messages={"required": _("Write your comment first.")},
    )


class MergeForm(forms.Form):
    """Merge this proposal into another of the same call that is not merged itself."""

    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Proposal.objects.none(),
        widget=FastSelect,
        error_messages={
            "required": _("Choose the proposal to merge into."),
            "invalid_choice": _("Choose a proposal of the same call that is not merged itself."),
        },
    )
    note = forms.CharField(
        label=_("Note for the authors and supporters"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        required=False,
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = (
            Proposal.objects.filter(call_id=proposal.call_id)
            .exclude(pk=proposal.pk)
            .exclude(state=ProposalState.MERGED)
            .order_by("title", "pk")
        )
        self.fields["target"].label_from_instance = lambda item: f"#{item.pk} {item.title}"


class ProposalFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=FastSelect)
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=ANY + NETWORK_COUNTRIES, widget=FastSelect
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        required=False,
        choices=ANY + list(ActivityKind.choices),
        widget=FastSelect,
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=ANY + list(ProposalState.choices),
        widget=FastSelect,
    )
    order = forms.ChoiceField(label=_("Order"), required=False, choices=ORDERS, widget=FastSelect)

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = ANY + [(topic.slug, topic.name) for topic in topics]

    def value(self, name: str) -> str:
        """The cleaned value of one field; a wrong value of one filter drops only that filter."""
        self.is_valid()
        return self.cleaned_data.get(name) or ""
