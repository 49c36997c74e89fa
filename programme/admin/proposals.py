"""Calls, proposals and activities in the secretariat's admin.

A proposal's state changes only through programme.answers.proposal_answer (the answer section of
its change form), so that each answer is kept in its history, audited and mailed; the state
itself is read-only here. Publishing a programme (the action, or ticking the box) and planning
an activity in a published programme announce the planned activities to partners' webhooks.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mirpal.admin_audit import AuditedAdminMixin
from programme.answer_forms import answer_clean, answer_fields_add
from programme.answers import activity_announce, programme_publish, proposal_answer
from programme.enums import ActivityStatus
from programme.models import NETWORK_COUNTRIES, Activity, Call, Proposal, StateChange
from programme.visibility import can_answer

ANSWER_FIELDS = [
    "state_new",
    "note",
    "activity_choice",
    "plan_kind",
    "plan_quarter",
    "plan_title_en",
    "plan_title_ru",
]


def _site_link(url: str) -> str:
    return format_html('<a href="{}">{}</a>', url, _("on the site"))


# --- Calls.


@admin.action(description=_("Publish the programme of the selected years"), permissions=["change"])
def publish_programme(modeladmin, request, queryset):
    published = announced = 0
    for call in queryset.filter(programme_published=False):
        announced += programme_publish(call=call, by=request.user)
        published += 1
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d programme published; planned activities announced to partners: %(sent)d.",
            "%(count)d programmes published; planned activities announced to partners: %(sent)d.",
            published,
        )
        % {"count": published, "sent": announced},
        messages.SUCCESS,
    )


@admin.register(Call)
class CallAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["year", "title_en", "opens_at", "closes_at", "programme_published", "page"]
    list_filter = ["programme_published"]
    actions = [publish_programme]
    readonly_fields = ["page", "reminder_sent_at", "created_at"]
    fields = [
        "year",
        "title_en",
        "title_ru",
        "description_en",
        "description_ru",
        "opens_at",
        "closes_at",
        "programme_published",
        "page",
        "reminder_sent_at",
        "created_at",
    ]

    @admin.display(description=_("programme page"))
    def page(self, obj):
        if not obj.pk:
            return "—"
        return _site_link(reverse("programme:year", kwargs={"year": obj.year}))

    def save_model(self, request, obj, form, change):
        # Publishing goes through the service, so that partners hear of the planned activities.
        publishing = obj.programme_published and not (
            change and form.initial.get("programme_published")
        )
        if publishing:
            obj.programme_published = False
        super().save_model(request, obj, form, change)
        if publishing:
            announced = programme_publish(call=obj, by=request.user)
            obj.programme_published = True
            self.message_user(
                request,
                _("Programme published; planned activities announced to partners: %(sent)d.")
                % {"sent": announced},
                messages.SUCCESS,
            )


# --- Proposals.


class StateChangeInline(admin.TabularInline):
    model = StateChange
    fields = ["created_at", "from_state", "to_state", "note", "actor"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("history of answers")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProposalAdminForm(forms.ModelForm):
    """No field of the proposal itself is edited here; the answer's fields are the form's own
    (named apart from the model's `state` and `activity`, which stay read-only)."""

    class Meta:
        model = Proposal
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer = None
        if self.instance.pk is None:
            return
        answer_fields_add(self, proposal=self.instance, optional=True)
        self.fields["state_new"] = self.fields.pop("state")
        self.fields["activity_choice"] = self.fields.pop("activity")

    def add_error(self, field, error):
        renamed = {"state": "state_new", "activity": "activity_choice"}
        return super().add_error(renamed.get(field, field), error)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        if cleaned.get("state_new") and self.instance.state == "merged":
            self.add_error(
                "state_new", _("This proposal was merged into another: answer that one instead.")
            )
            return cleaned
        self.answer = answer_clean(
            self,
            {
                **cleaned,
                "state": cleaned.get("state_new"),
                "activity": cleaned.get("activity_choice"),
            },
        )
        return cleaned


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    form = ProposalAdminForm
    list_display = ["title", "call", "state", "support_count", "countries_list", "answered_at"]
    list_filter = ["call", "state", "activity_kind"]
    search_fields = ["title", "need"]
    list_select_related = ["call"]
    inlines = [StateChangeInline]
    readonly_fields = [
        "page",
        "call",
        "title",
        "author",
        "need",
        "why_now",
        "activity_kind",
        "countries_list",
        "topics_list",
        "language",
        "state",
        "answer",
        "answered_at",
        "activity",
        "merged_into",
        "support_count",
        "comment_count",
        "created_at",
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        "page",
                        "call",
                        "title",
                        "author",
                        "need",
                        "why_now",
                        "activity_kind",
                        "countries_list",
                        "topics_list",
                        "language",
                        "support_count",
                        "comment_count",
                        "created_at",
                    ]
                },
            ),
            (
                _("Official answer"),
                {"fields": ["state", "answer", "answered_at", "activity", "merged_into"]},
            ),
        ]
        if obj is not None and can_answer(request.user):
            fieldsets.append(
                (
                    _("Give a new answer (the author and the supporters are mailed)"),
                    {"fields": ANSWER_FIELDS},
                )
            )
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The answer's fields are the form's own (added in its __init__), not the model's.
        kwargs["fields"] = []
        return super().get_form(request, obj, change=change, **kwargs)

    @admin.display(description=_("page"))
    def page(self, obj):
        return _site_link(obj.get_absolute_url()) if obj.pk else "—"

    @admin.display(description=_("countries concerned"))
    def countries_list(self, obj):
        labels = dict(NETWORK_COUNTRIES)
        return ", ".join(str(labels.get(code, code)) for code in obj.countries)

    @admin.display(description=_("topics"))
    def topics_list(self, obj):
        return ", ".join(topic.name for topic in obj.topics.all())

    def has_add_permission(self, request):
        return False  # members propose on the site

    def save_model(self, request, obj, form, change):
        answer = getattr(form, "answer", None)
        if not answer or not can_answer(request.user):
            return
        try:
            proposal_answer(proposal=obj, by=request.user, **answer)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
        else:
            self.message_user(request, _("The answer is given and mailed."), messages.SUCCESS)


# --- Activities.


class ActivityAdminForm(forms.ModelForm):
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=NETWORK_COUNTRIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Activity
        fields = [
            "year",
            "quarter",
            "kind",
            "status",
            "title_en",
            "title_ru",
            "description_en",
            "description_ru",
            "countries",
            "topics",
            "event",
            "document",
            "case",
        ]


class AnsweredProposalInline(admin.TabularInline):
    model = Proposal
    fk_name = "activity"
    fields = ["title", "state", "support_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("proposals it answers")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = ActivityAdminForm
    list_display = ["title_en", "title_ru", "year", "quarter", "kind", "status", "countries"]
    list_filter = ["year", "quarter", "kind", "status"]
    search_fields = ["title_en", "title_ru"]
    raw_id_fields = ["event", "document", "case"]
    filter_horizontal = ["topics"]
    inlines = [AnsweredProposalInline]

    def audit_state(self, obj) -> dict:
        state = super().audit_state(obj)
        if obj.pk:
            state["topics"] = sorted(obj.topics.values_list("pk", flat=True))
        return state

    def save_model(self, request, obj, form, change):
        obj._was_planned = change and form.initial.get("status") == ActivityStatus.PLANNED
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        activity = form.instance
        # Announced once its topics are saved: newly planned, or planned again.
        newly_planned = activity.status == ActivityStatus.PLANNED and not activity._was_planned
        if newly_planned and activity_announce(activity=activity):
            self.message_user(request, _("Announced to partners as planned."), messages.SUCCESS)
