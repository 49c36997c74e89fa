"""Scheduling polls in the secretariat's admin: the poll, its slots and whom it invites. The
ranking and the choice of a slot are on the poll's results page (programme:poll_results), which
creates the event through programme.polls.poll_choose."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from members.enums import MembershipStatus
from members.models import User
from mirpal.admin_audit import AuditedAdminMixin
from mirpal.timezones import zone_label
from programme.enums import PollState
from programme.models import Poll, Slot
from programme.proposal_mail import poll_invitations_send


class InviteeField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        # Name and country, never the address: editors may not see members' addresses.
        profile = getattr(obj, "profile", None)
        country = profile.get_country_display() if profile else ""
        return f"{obj} ({country})" if country else str(obj)


class PollAdminForm(forms.ModelForm):
    invitees = InviteeField(
        label=_("Invited members"),
        queryset=User.objects.filter(is_active=True, profile__status=MembershipStatus.APPROVED)
        .select_related("profile")
        .order_by("last_name", "first_name", "pk"),
        required=False,
        widget=FilteredSelectMultiple(_("members"), is_stacked=False),
        help_text=_(
            "Approved members; each sees the slots in the time zone of their profile, and the "
            "results flag public holidays and hours outside 9:00–18:00 in their country. "
            "Ukraine's public holidays are not listed while martial law suspends them."
        ),
    )

    class Meta:
        model = Poll
        fields = ["activity", "title_en", "title_ru", "event_kind", "duration_minutes", "invitees"]


class SlotAdminForm(forms.ModelForm):
    class Meta:
        model = Slot
        fields = ["starts_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin reads and shows times in the active zone: the staff member's profile zone.
        zone = timezone.get_current_timezone()
        self.fields["starts_at"].help_text = gettext(
            "In your time zone, %(zone)s (set on your profile); invitees see it in theirs."
        ) % {"zone": zone_label(zone)}


class SlotInline(admin.TabularInline):
    model = Slot
    form = SlotAdminForm
    extra = 3
    fields = ["starts_at"]


@admin.register(Poll)
class PollAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = PollAdminForm
    inlines = [SlotInline]
    list_display = ["__str__", "state", "duration_minutes", "created_at", "results_link"]
    list_filter = ["state", "event_kind"]
    search_fields = ["title_en", "title_ru"]
    readonly_fields = ["state", "chosen_slot", "event", "created_by", "results_link"]
    list_select_related = ["activity"]
    raw_id_fields = ["activity"]

    def audit_state(self, obj) -> dict:
        return {
            **super().audit_state(obj),
            "invitees": sorted(obj.invitees.values_list("pk", flat=True)) if obj.pk else [],
        }

    def get_fields(self, request, obj=None):
        fields = ["activity", "title_en", "title_ru", "event_kind", "duration_minutes", "invitees"]
        if obj is not None:
            fields += ["state", "chosen_slot", "event", "created_by", "results_link"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        # Once a slot is chosen the event exists: the poll stays as it was decided.
        if obj is not None and obj.state != PollState.OPEN:
            return [*self.get_fields(request, obj)]
        return self.readonly_fields

    def get_inline_instances(self, request, obj=None):
        if obj is not None and obj.state != PollState.OPEN:
            return []
        return super().get_inline_instances(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The invitees and slots are saved now: each invitee not yet asked is mailed once.
        sent = poll_invitations_send(poll=form.instance)
        if sent:
            self.message_user(
                request,
                ngettext(
                    "%(count)d invited member was asked to answer the poll.",
                    "%(count)d invited members were asked to answer the poll.",
                    sent,
                )
                % {"count": sent},
            )

    @admin.display(description=_("Answers and ranking"))
    def results_link(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">{}</a>',
            reverse("programme:poll_results", kwargs={"pk": obj.pk}),
            gettext("See the ranking and choose a slot"),
        )
