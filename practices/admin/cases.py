"""Good-practice cases in the secretariat's admin: the list to review from, the full form (each
text in English and Russian side by side), and the review steps (publish, ask for changes,
decline) as buttons on the case's page, each with the note the proposer is mailed.

Every save and step goes through practices.services, which audits it, mails the proposer and
tells partners of a public case published; the state columns are never edited by hand.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exchange.enums import Moderation
from exchange.models import Thread
from members.enums import MembershipStatus
from members.models import User
from mirpal.admin_audit import AuditedAdminMixin
from practices import services
from practices.forms import MemberChoiceField, ReviewForm, case_rules_check
from practices.models import CASE_COUNTRIES, CASE_TEXT_FIELDS, Case
from practices.visibility import can_review

# The review steps: their button, the service and the message once done.
REVIEW_STEPS = {
    "published": _("Publish"),
    "changes": _("Request changes"),
    "declined": _("Decline"),
}
REVIEW_DONE = {
    "published": _("The case is published and its proposer is told."),
    "changes": _("The case is sent back to its proposer with your note."),
    "declined": _("The case is declined and its proposer is told why."),
}


def _review(step: str, *, case: Case, note: str, by) -> Case:
    if step == "published":
        return services.case_publish(case=case, note=note, by=by)
    if step == "changes":
        return services.case_request_changes(case=case, note=note, by=by)
    return services.case_decline(case=case, reason=note, by=by)


class ThreadChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, thread):
        return thread.title


class CaseAdminForm(forms.ModelForm):
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=CASE_COUNTRIES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one country.")},
    )
    # Members by name and organisation (never by address: editors may not see addresses), and
    # published discussions, picked here since editors hold no right to the users' and the
    # threads' own admin pages that autocompletion asks.
    contact_members = MemberChoiceField(
        label=_("Contact people (members)"),
        queryset=User.objects.none(),
        required=False,
        widget=FilteredSelectMultiple(_("members"), is_stacked=False),
    )
    threads = ThreadChoiceField(
        label=_("Discussions"),
        queryset=Thread.objects.none(),
        required=False,
        widget=FilteredSelectMultiple(_("discussions"), is_stacked=False),
    )

    class Meta:
        model = Case
        fields = [
            *(f"{name}_{language}" for name in CASE_TEXT_FIELDS for language in ("en", "ru")),
            "countries",
            "topics",
            "year_from",
            "year_to",
            "status",
            "visibility",
            "contact_members",
            "contact_experts",
            "documents",
            "events",
            "threads",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.pk is not None
        members = (
            list(self.instance.contact_members.values_list("pk", flat=True)) if current else []
        )
        threads = list(self.instance.threads.values_list("pk", flat=True)) if current else []
        self.fields["contact_members"].queryset = (
            User.objects.filter(
                Q(is_active=True, profile__status=MembershipStatus.APPROVED) | Q(pk__in=members)
            )
            .select_related("profile")
            .order_by("profile__sort_name", "pk")
        )
        self.fields["threads"].queryset = (
            Thread.objects.filter(Q(state=Moderation.PUBLISHED) | Q(pk__in=threads))
            .only("pk", "title")
            .order_by("-pk")
        )

    def clean(self):
        data = super().clean()
        case_rules_check(self, data)
        return data


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        return CASE_COUNTRIES

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(countries__contains=[self.value()])
        return queryset


@admin.action(description=_("Publish the selected (awaiting review)"), permissions=["review"])
def publish_selected(modeladmin, request, queryset):
    published, skipped = services.cases_publish_bulk(
        cases=list(queryset.order_by("pk")), by=request.user
    )
    modeladmin.message_user(
        request,
        ngettext("%(count)d case published.", "%(count)d cases published.", len(published))
        % {"count": len(published)},
        messages.SUCCESS,
    )
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d left as it was: only a case awaiting review can be published.",
                "%(count)d left as they were: only a case awaiting review can be published.",
                len(skipped),
            )
            % {"count": len(skipped)},
            messages.WARNING,
        )


def _pair(name: str) -> tuple[str, str]:
    return (f"{name}_en", f"{name}_ru")


@admin.register(Case)
class CaseAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = CaseAdminForm
    change_form_template = "admin/practices/case/change_form.html"
    list_display = [
        "title",
        "country_list",
        "status",
        "visibility",
        "review_state",
        "proposed_by",
        "submitted_at",
        "published_at",
    ]
    list_filter = ["review_state", CountryFilter, "status", "visibility", "topics"]
    search_fields = ["title_en", "title_ru", "summary_en", "summary_ru", "slug"]
    list_select_related = ["proposed_by"]
    date_hierarchy = "submitted_at"
    actions = [publish_selected]
    filter_horizontal = ["topics"]
    autocomplete_fields = ["contact_experts", "documents", "events"]
    readonly_fields = [
        "site_link",
        "slug",
        "review_state",
        "review_note",
        "proposed_by",
        "submitted_at",
        "published_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            _("Review"),
            {
                "fields": [
                    ("review_state", "site_link"),
                    "review_note",
                    ("proposed_by", "submitted_at", "published_at"),
                ],
                "description": _(
                    "Publish, ask for changes or decline with the buttons at the top: the "
                    "proposer is mailed each step."
                ),
            },
        ),
        (_("The case in brief"), {"fields": [_pair("title"), _pair("summary"), "slug"]}),
        (_("The problem"), {"fields": [_pair("problem")]}),
        (_("The measure"), {"fields": [_pair("measure")]}),
        (
            _("Legal basis and institutions"),
            {"fields": [_pair("legal_basis"), _pair("institutions")]},
        ),
        (
            _("When, scale and cost"),
            {"fields": [("year_from", "year_to"), _pair("scale"), _pair("cost")]},
        ),
        (_("Results"), {"fields": [_pair("results"), _pair("results_source")]}),
        (_("Before copying it"), {"fields": [_pair("lessons")]}),
        (
            _("Status, countries and topics"),
            {"fields": ["status", "countries", "topics", "visibility"]},
        ),
        (
            _("Who can be asked, and what goes with it"),
            {"fields": ["contact_members", "contact_experts", "documents", "events", "threads"]},
        ),
        (_("Record"), {"fields": [("created_at", "updated_at")]}),
    ]

    @admin.display(description=_("countries"))
    def country_list(self, obj):
        names = dict(CASE_COUNTRIES)
        return ", ".join(str(names.get(code, code)) for code in obj.countries)

    @admin.display(description=_("page"))
    def site_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("on the site"))

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector")

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return self.fieldsets
        # A new case: the secretariat enters it (the slug comes from its title), and reviews it
        # from its page once saved.
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field != "slug"]})
            for name, options in self.fieldsets[1:-1]
        ]

    def has_review_permission(self, request):
        return can_review(request.user)

    # --- Saving goes through the services, which audit it (so the mixin's entries are skipped).

    def _data(self, form) -> dict:
        allowed = services.CASE_FIELDS | services.CASE_RELATIONS
        return {name: value for name, value in form.cleaned_data.items() if name in allowed}

    def save_model(self, request, obj, form, change):
        if change:
            services.case_update(case=obj, by=request.user, **self._data(form))
            return
        case = services.case_propose(by=request.user, acknowledge=False, **self._data(form))
        obj.pk, obj.slug, obj._state.adding = case.pk, case.slug, False

    def save_related(self, request, form, formsets, change):
        # The service set the relations with the case; the inlines, if any, save as usual.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def log_addition(self, request, obj, message):
        return admin.ModelAdmin.log_addition(self, request, obj, message)

    def log_change(self, request, obj, message):
        return admin.ModelAdmin.log_change(self, request, obj, message)

    # --- The review steps.

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review/<str:step>/",
                self.admin_site.admin_view(self.review_view),
                name="practices_case_review",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        case = Case.objects.filter(pk=unquote(object_id)).only("review_state").first()
        if (
            case is not None
            and can_review(request.user)
            and case.review_state in (services.OPEN_STATES)
        ):
            extra_context["review_steps"] = [
                (reverse("admin:practices_case_review", args=[case.pk, step]), label)
                for step, label in REVIEW_STEPS.items()
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def review_view(self, request, object_id, step):
        if not can_review(request.user):
            raise PermissionDenied
        if step not in REVIEW_STEPS:
            raise Http404
        case = self.get_object(request, unquote(object_id))
        if case is None:
            raise Http404
        change_url = reverse("admin:practices_case_change", args=[case.pk])
        if case.review_state not in services.OPEN_STATES:
            self.message_user(
                request,
                _("Only a case awaiting review can be reviewed; this one is “%(state)s”.")
                % {"state": case.get_review_state_display()},
                messages.WARNING,
            )
            return HttpResponseRedirect(change_url)
        form = ReviewForm(request.POST or None, step=step)
        if request.method == "POST" and form.is_valid():
            try:
                _review(step, case=case, note=form.cleaned_data["note"], by=request.user)
            except services.CaseReviewError as error:
                self.message_user(request, str(error.message), messages.ERROR)
                return HttpResponseRedirect(change_url)
            except ValidationError as error:
                form.add_error("note", error.error_dict.get("note", error.messages))
            else:
                self.message_user(request, REVIEW_DONE[step], messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/practices/case/review.html",
            {
                **self.admin_site.each_context(request),
                "title": REVIEW_STEPS[step],
                "opts": self.opts,
                "original": case,
                "case": case,
                "step": step,
                "form": form,
                "change_url": change_url,
            },
        )
