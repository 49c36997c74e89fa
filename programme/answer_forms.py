"""The secretariat's form for an official answer, on the proposal's page and in the admin.

The same fields and checks in both places (`answer_fields_add`, `answer_clean`); the writing is
programme.answers.proposal_answer's.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programme.answers import ANSWERS
from programme.enums import ActivityKind, ProposalState
from programme.models import Activity, Proposal

PLAN_FIELDS = ("plan_kind", "plan_quarter", "plan_title_en", "plan_title_ru")


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return f"Q{obj.quarter} · {obj.title} ({obj.get_kind_display()})"


def answer_fields_add(form: forms.BaseForm, *, proposal: Proposal, optional: bool) -> None:
    """Add the answer's fields to `form`; with `optional` the state may stay empty (the
    admin's change form, where an answer is only one of the things one may do)."""
    states = [(state, ProposalState(state).label) for state in ANSWERS]
    if optional:
        states = [("", _("— no new answer —")), *states]
    form.fields["state"] = forms.ChoiceField(
        label=_("Answer"), choices=states, required=not optional
    )
    form.fields["note"] = forms.CharField(
        label=_("Answer text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Sent to the author and the supporters and shown on the proposal's page. "
            "Required for “Not this year”: the reason."
        ),
    )
    form.fields["activity"] = ActivityChoiceField(
        label=_("Planned activity"),
        queryset=Activity.objects.filter(year=proposal.call.year).order_by("quarter", "id"),
        required=False,
        help_text=_(
            "For “Accepted”: an activity already in the year's programme, or plan a new one below."
        ),
    )
    form.fields["plan_kind"] = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", "—"), *ActivityKind.choices],
        required=False,
    )
    form.fields["plan_quarter"] = forms.TypedChoiceField(
        label=pgettext_lazy("programme", "Quarter"),
        choices=[("", "—"), *[(q, f"Q{q}") for q in (1, 2, 3, 4)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    form.fields["plan_title_en"] = forms.CharField(
        label=_("Title in English"), max_length=200, required=False
    )
    form.fields["plan_title_ru"] = forms.CharField(
        label=_("Title in Russian"), max_length=200, required=False
    )


def answer_clean(form: forms.BaseForm, cleaned: dict) -> dict | None:
    """Check the answer's fields; add errors to `form`. Returns the keyword arguments for
    proposal_answer (without proposal and by), or None when no answer was chosen."""
    state = cleaned.get("state")
    if not state:
        return None
    note = (cleaned.get("note") or "").strip()
    answer = {"state": state, "note": note, "activity": None, "plan": None}
    if state == ProposalState.NOT_THIS_YEAR and not note:
        form.add_error("note", _("Give the reason why not this year."))
    if state != ProposalState.ACCEPTED:
        return answer
    activity = cleaned.get("activity")
    planning = any(cleaned.get(name) for name in PLAN_FIELDS)
    if activity and planning:
        form.add_error("activity", _("Choose an activity or plan a new one, not both."))
    elif activity:
        answer["activity"] = activity
    elif planning:
        if not cleaned.get("plan_kind"):
            form.add_error("plan_kind", _("Choose the kind of activity."))
        if not cleaned.get("plan_quarter"):
            form.add_error("plan_quarter", _("Choose the quarter."))
        if not cleaned.get("plan_title_en") and not cleaned.get("plan_title_ru"):
            form.add_error(
                "plan_title_en", _("Give the activity a title in English or in Russian.")
            )
        answer["plan"] = {
            "kind": cleaned.get("plan_kind"),
            "quarter": cleaned.get("plan_quarter"),
            "title_en": cleaned.get("plan_title_en", ""),
            "title_ru": cleaned.get("plan_title_ru", ""),
        }
    else:
        form.add_error("activity", _("Choose the planned activity, or plan a new one below."))
    return answer


class AnswerForm(forms.Form):
    """On the proposal's page, for the secretariat."""

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        answer_fields_add(self, proposal=proposal, optional=False)
        self.answer = None

    def clean(self):
        cleaned = super().clean()
        self.answer = answer_clean(self, cleaned)
        return cleaned
