"""Events in the secretariat's admin: every change of state goes through events.services."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import attendance, selectors, services
from events.audiences import audience_describe
from events.enums import AttendanceSource
from events.export import registrations_csv_response
from events.forms import CancelForm, EventAdminForm, SessionAdminForm, SessionAdminFormSet
from events.mail import invitations
from events.mail.forms import AudienceForm
from events.models import Attendance, Event, Registration, Series, Session
from members.admin_emails import MemberEmailSearchMixin
from members.permissions import sees_member_emails
from mirpal.admin_audit import AuditedAdminMixin
from mirpal.enums import RunStatus


class SessionInline(admin.TabularInline):
    model = Session
    form = SessionAdminForm
    formset = SessionAdminFormSet
    extra = 0
    fields = ["title_en", "title_ru", "starts_at", "ends_at", "speakers"]
    autocomplete_fields = ["speakers"]


class RegistrationInline(admin.TabularInline):
    """Registrations and the wait list, read only: places change only through the services."""

    model = Registration
    extra = 0
    can_delete = False
    fields = ["user", "status", "waiting_since", "created_at"]
    readonly_fields = fields
    ordering = ["status", "waiting_since", "created_at", "pk"]
    verbose_name_plural = _("registrations and wait list")

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 1
    fields = ["user", "minutes", "source", "marked_by"]
    readonly_fields = ["source", "marked_by"]
    autocomplete_fields = ["user"]
    verbose_name_plural = _("attendance (who took part)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "marked_by")


def _report(modeladmin, request, done: int, refused: list[str], done_message: str) -> None:
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    for message in refused:
        modeladmin.message_user(request, message, messages.WARNING)


def _each_event(modeladmin, request, queryset, service, done_message) -> None:
    """Apply a service to each selected event in its own transaction; report what it refused."""
    done, refused = 0, []
    for event in queryset.order_by("starts_at", "pk"):
        try:
            service(event=event, by=request.user)
        except services.EventError as error:
            refused.append(f"{event.title_en}: {error.message}")
        else:
            done += 1
    _report(modeladmin, request, done, refused, done_message(done))


@admin.action(description=_("Publish selected events"), permissions=["change"])
def publish_events(modeladmin, request, queryset):
    _each_event(
        modeladmin,
        request,
        queryset,
        services.event_publish,
        lambda done: ngettext("%(count)d event published.", "%(count)d events published.", done),
    )


@admin.action(description=_("Cancel selected events"), permissions=["change"])
def cancel_events(modeladmin, request, queryset):
    """Asks for the reason on a confirmation page, then cancels each event."""
    form = CancelForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        done, refused = 0, []
        for event in queryset.order_by("starts_at", "pk"):
            try:
                services.event_cancel(
                    event=event, by=request.user, reason=form.cleaned_data["reason"]
                )
            except services.EventError as error:
                refused.append(f"{event.title_en}: {error.message}")
            else:
                done += 1
        _report(
            modeladmin,
            request,
            done,
            refused,
            ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", done),
        )
        return None
    return TemplateResponse(
        request,
        "admin/events/event/cancel_confirmation.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Cancel events"),
            "opts": modeladmin.model._meta,
            "events": queryset.order_by("starts_at", "pk"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


@admin.action(
    description=_("Publish and send invitations for selected events"), permissions=["send_mail"]
)
def invite_events(modeladmin, request, queryset):
    """Asks for the audience, then publishes each draft and records its invitations, one
    transaction per event; a worker writes and sends them, and the event's page shows how far."""
    form = AudienceForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        invited, refused = 0, []
        for event in queryset.order_by("starts_at", "pk"):
            try:
                result = services.event_publish_and_invite(
                    event=event, audience=form.audience_value(), by=request.user
                )
            except services.EventError as error:
                refused.append(f"{event.title_en}: {error.message}")
            else:
                invited += result.invited
        _report(
            modeladmin,
            request,
            invited,
            refused,
            ngettext(
                "%(count)d invitation is on its way.",
                "%(count)d invitations are on their way.",
                invited,
            ),
        )
        if invited:
            modeladmin.message_user(
                request,
                _("Each event's page shows how many invitations have been written and sent."),
                messages.INFO,
            )
        if not invited and not refused:
            modeladmin.message_user(
                request, _("Everyone in this audience was invited already."), messages.INFO
            )
        return None
    return TemplateResponse(
        request,
        "admin/events/event/invite_confirmation.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Publish and send invitations"),
            "opts": modeladmin.model._meta,
            "events": queryset.order_by("starts_at", "pk"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


@admin.action(description=_("Duplicate selected events as drafts"), permissions=["add"])
def duplicate_events(modeladmin, request, queryset):
    count = 0
    for event in queryset.order_by("starts_at", "pk"):
        services.event_duplicate(event=event, by=request.user)
        count += 1
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d draft copy made; change its dates before publishing.",
            "%(count)d draft copies made; change their dates before publishing.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Mark selected events as completed"), permissions=["change"])
def complete_events(modeladmin, request, queryset):
    _each_event(
        modeladmin,
        request,
        queryset,
        services.event_complete,
        lambda done: ngettext(
            "%(count)d event marked completed.", "%(count)d events marked completed.", done
        ),
    )


def _attended(events) -> set[tuple[int, int]]:
    return set(Attendance.objects.filter(event__in=events).values_list("event_id", "user_id"))


@admin.action(description=_("Export registrations of selected events as CSV"), permissions=["view"])
def export_registrations(modeladmin, request, queryset):
    return registrations_csv_response(
        selectors.registration_export_rows(events=queryset),
        _attended(queryset),
        show_emails=sees_member_emails(request.user),
    )


@admin.register(Event)
class EventAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title_en", "kind", "starts_at", "status", "capacity", "series"]
    list_filter = ["status", "kind", "series", "topics"]
    search_fields = ["title_en", "title_ru", "slug"]
    list_select_related = ["series"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["speakers"]
    filter_horizontal = ["topics"]
    inlines = [SessionInline, RegistrationInline, AttendanceInline]
    actions = [
        publish_events,
        invite_events,
        cancel_events,
        duplicate_events,
        complete_events,
        export_registrations,
    ]
    readonly_fields = [
        "status",
        "sequence",
        "published_at",
        "cancelled_at",
        "created_by",
        "created_at",
        "updated_at",
        "attendance_links",
        "mail_link",
        "invitation_progress",
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["kind", "status", "series", "title_en", "title_ru", "slug"]}),
        (_("Description"), {"fields": ["description_en", "description_ru", "topics", "countries"]}),
        (
            _("Time"),
            {
                "fields": ["starts_at", "ends_at", "time_zone"],
                "description": _(
                    "Enter every time on this page on the event's own clock, in its time zone "
                    "below; each visitor then sees it converted to their own time."
                ),
            },
        ),
        (_("Language"), {"fields": ["languages", "interpretation"]}),
        (
            _("Venue (in person)"),
            {"fields": ["venue_city", "venue_city_ru", "venue_country", "venue_address"]},
        ),
        (_("Online"), {"fields": ["platform", "join_url", "passcode", "recording_url"]}),
        (
            _("Registration"),
            {"fields": ["capacity", "registration_opens_at", "registration_closes_at"]},
        ),
        (_("Speakers"), {"fields": ["speakers"]}),
        (_("Invitations"), {"fields": ["invitation_progress"]}),
        (
            _("Record"),
            {
                "fields": [
                    "cancellation_reason",
                    "sequence",
                    "published_at",
                    "cancelled_at",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "attendance_links",
                    "mail_link",
                ]
            },
        ),
    ]

    @admin.display(description=_("Attendance"))
    def attendance_links(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}?event={}">{}</a>',
            reverse("events:attendance_import", args=[obj.slug]),
            _("Import the platform's participant report"),
            reverse("events:attendance_report"),
            obj.pk,
            _("Figures by country and organisation type"),
        )

    @admin.display(description=_("Mail"))
    def mail_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events:mail_status", args=[obj.slug]),
            _("Invitations and reminders: pending, sent, failed; send again"),
        )

    @admin.display(description=_("Written and sent"))
    def invitation_progress(self, obj):
        if not obj.pk:
            return "—"
        progress = invitations.invitation_progress(event=obj)
        return render_to_string(
            "admin/events/event/invitation_progress.html",
            {
                "runs": [
                    (
                        run,
                        audience_describe(run.audience),
                        invitations.INVITATION_RUN_STOPS.get(run.stop_reason, run.stop_reason),
                    )
                    for run in progress.runs
                ],
                "writing": any(run.status == RunStatus.WRITING for run in progress.runs),
                "mails": progress.mails,
            },
        )

    def has_send_mail_permission(self, request):
        return request.user.has_perm("events.send_event_mail")

    def save_model(self, request, obj, form, change):
        if not change:
            services.event_create(event=obj, by=request.user)
            return
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in services.EDITABLE_FIELDS
        }
        services.event_update(event=obj, by=request.user, **changes)

    def save_formset(self, request, form, formset, change):
        if formset.model is Attendance:
            for attendance in formset.save(commit=False):
                attendance.marked_by = request.user
                attendance.source = AttendanceSource.MANUAL
                attendance.save()
            for attendance in formset.deleted_objects:
                attendance.delete()
            return
        super().save_formset(request, form, formset, change)


@admin.action(
    description=_("Cancel selected registrations (the wait list moves up)"), permissions=["change"]
)
def cancel_registrations(modeladmin, request, queryset):
    count = 0
    for registration in queryset.select_related("event", "user"):
        try:
            services.registration_cancel(
                event=registration.event, user=registration.user, by=request.user
            )
        except services.EventError as error:
            modeladmin.message_user(request, f"{registration}: {error.message}", messages.WARNING)
        else:
            count += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d registration cancelled.", "%(count)d registrations cancelled.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Mark selected people as present"), permissions=["change"])
def mark_present(modeladmin, request, queryset):
    count = 0
    for registration in queryset.select_related("event", "user"):
        count += attendance.attendance_mark(
            event=registration.event, users=[registration.user], by=request.user
        )
    modeladmin.message_user(
        request,
        ngettext("%(count)d person marked present.", "%(count)d people marked present.", count)
        % {"count": count},
        messages.SUCCESS,
    )


@admin.action(description=_("Export selected registrations as CSV"), permissions=["view"])
def export_selected_registrations(modeladmin, request, queryset):
    rows = queryset.select_related("event", "user", "user__profile").order_by(
        "event__starts_at", "event__pk", "status", "waiting_since", "created_at", "pk"
    )
    events = Event.objects.filter(pk__in=queryset.values("event_id"))
    return registrations_csv_response(
        rows, _attended(events), show_emails=sees_member_emails(request.user)
    )


@admin.register(Registration)
class RegistrationAdmin(MemberEmailSearchMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["event", "user", "status", "waiting_since", "created_at"]
    list_filter = ["status", "event__kind", "event"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "event__title_en"]
    list_select_related = ["event", "user"]
    readonly_fields = ["event", "user", "status", "waiting_since", "created_at", "updated_at"]
    actions = [cancel_registrations, mark_present, export_selected_registrations]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(MemberEmailSearchMixin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["event", "user", "minutes", "source", "marked_by", "marked_at"]
    list_filter = ["source", "event"]
    search_fields = ["user__email", "user__last_name", "event__title_en"]
    list_select_related = ["event", "user", "marked_by"]
    autocomplete_fields = ["event", "user"]
    readonly_fields = ["source", "marked_by", "marked_at"]

    def save_model(self, request, obj, form, change):
        obj.marked_by = request.user
        obj.source = AttendanceSource.MANUAL
        super().save_model(request, obj, form, change)


@admin.register(Series)
class SeriesAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title_en", "title_ru", "slug"]
    search_fields = ["title_en", "title_ru", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
