"""Flags, the moderators' queue and their actions, and turning a thread into a library document.

Members flag; moderators (exchange.moderate_exchange) see the queue and act, each action through
exchange.moderation or exchange.knowledge, which keep the rules and write the audit log.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from exchange import knowledge, moderation
from exchange.enums import FlagReason
from exchange.errors import ExchangeError
from exchange.models import Post, Thread
from exchange.permissions import can_moderate
from exchange.visibility import Access, post_is_visible, thread_access
from library.enums import Access as DocumentAccess
from members.models import User
from members.permissions import DECIDE_MEMBERSHIP, member_required
from mirpal.countries import Country
from mirpal.models import Topic

ADD_DOCUMENT = "library.add_document"


def moderator_required(view):
    """Anonymous visitors log in; anyone else without the moderators' permission gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_moderate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _next_or(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- Flags.


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why should the secretariat look at it?"),
        choices=FlagReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("What is wrong (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _flag(request, *, thread: Thread, post: Post | None):
    form = FlagForm(request.POST or None)
    target = post or thread
    if request.method == "POST" and form.is_valid():
        try:
            moderation.flag_create(
                user=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                thread=None if post else thread,
                post=post,
            )
        except moderation.AlreadyFlagged as error:
            messages.info(request, str(error.message))
        else:
            messages.success(
                request, _("Thank you. The secretariat has been told and will look at it.")
            )
        return redirect(target.get_absolute_url())
    return render(
        request, "exchange/flag_form.html", {"form": form, "thread": thread, "post": post}
    )


def _readable_thread(request, thread: Thread) -> Thread:
    # member_required let only members in: what they may not read does not exist for them.
    if thread_access(thread=thread, user=request.user) is not Access.READ:
        raise Http404
    return thread


@member_required
@require_http_methods(["GET", "POST"])
def flag_thread(request, pk: int):
    thread = _readable_thread(request, get_object_or_404(Thread, pk=pk))
    return _flag(request, thread=thread, post=None)


@member_required
@require_http_methods(["GET", "POST"])
def flag_post(request, pk: int):
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    _readable_thread(request, post.thread)
    if not post_is_visible(post=post, user=request.user):
        raise Http404
    return _flag(request, thread=post.thread, post=post)


# --- The queue and the actions.


@moderator_required
@require_http_methods(["GET"])
def queue(request):
    return render(
        request,
        "exchange/moderation.html",
        {
            "queue": moderation.moderation_queue(),
            "can_suspend": request.user.has_perm(DECIDE_MEMBERSHIP),
        },
    )


ACTIONS = {
    "hide": pgettext_lazy("moderation action", "Hide"),
    "show": pgettext_lazy("moderation action", "Show again"),
    "approve": pgettext_lazy("moderation action", "Publish"),
    "lock": pgettext_lazy("moderation action", "Lock"),
    "unlock": pgettext_lazy("moderation action", "Unlock"),
    "dismiss": pgettext_lazy("moderation action", "Dismiss the flags"),
    "suspend": pgettext_lazy("moderation action", "Suspend the author"),
}
THREAD_ONLY = {"lock", "unlock"}

DONE = {
    "hide": gettext_lazy("Hidden: only the secretariat sees it now."),
    "show": gettext_lazy("Shown again."),
    "approve": gettext_lazy("Published: its followers are being told."),
    "lock": gettext_lazy("The thread is locked."),
    "unlock": gettext_lazy("The thread is open again."),
    "dismiss": gettext_lazy("The flags are dismissed."),
    "suspend": gettext_lazy("The author's membership is suspended."),
}


class ModerateForm(forms.Form):
    action = forms.ChoiceField(choices=list(ACTIONS.items()))
    reason = forms.CharField(
        label=gettext_lazy("Reason (told to the member when suspending)"),
        required=False,
        max_length=500,
    )

    def __init__(self, *args, target_is_thread: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not target_is_thread:
            self.fields["action"].choices = [
                (key, label) for key, label in ACTIONS.items() if key not in THREAD_ONLY
            ]

    def clean(self):
        data = super().clean()
        if data.get("action") == "suspend" and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for the suspension."))
        return data


def _act(request, target: Thread | Post):
    form = ModerateForm(request.POST, target_is_thread=isinstance(target, Thread))
    back = _next_or(request, target.get_absolute_url())
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    action, by = form.cleaned_data["action"], request.user
    if action == "suspend" and not by.has_perm(DECIDE_MEMBERSHIP):
        raise PermissionDenied
    try:
        if action == "hide":
            moderation.target_hide(target=target, by=by)
        elif action == "show":
            moderation.target_show(target=target, by=by)
        elif action == "approve":
            moderation.target_approve(target=target, by=by)
        elif action == "lock":
            moderation.thread_lock(thread=target, by=by)
        elif action == "unlock":
            moderation.thread_unlock(thread=target, by=by)
        elif action == "dismiss":
            moderation.flags_dismiss(target=target, by=by)
        elif action == "suspend":
            moderation.author_suspend(target=target, by=by, reason=form.cleaned_data["reason"])
    except ExchangeError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(DONE[action]))
    return redirect(back)


@moderator_required
@require_POST
def moderate_thread(request, pk: int):
    return _act(request, get_object_or_404(Thread, pk=pk))


@moderator_required
@require_POST
def moderate_post(request, pk: int):
    return _act(request, get_object_or_404(Post.objects.select_related("thread"), pk=pk))


# --- A moderator's edit.


class ModeratorEditForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the edit"),
        max_length=300,
        help_text=gettext_lazy(
            "Kept with the text as it was before, and in the audit log. The page says the "
            "secretariat edited it."
        ),
    )

    def __init__(self, *args, with_title: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]


def _edit(request, target: Thread | Post):
    is_thread = isinstance(target, Thread)
    initial = {"body": target.body, **({"title": target.title} if is_thread else {})}
    form = ModeratorEditForm(request.POST or None, initial=initial, with_title=is_thread)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if is_thread:
                moderation.thread_moderator_edit(
                    thread=target,
                    by=request.user,
                    title=data["title"],
                    body=data["body"],
                    reason=data["reason"],
                )
            else:
                moderation.post_moderator_edit(
                    post=target, by=request.user, body=data["body"], reason=data["reason"]
                )
        except ExchangeError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The change is saved and recorded."))
            return redirect(target.get_absolute_url())
    return render(
        request,
        "exchange/moderation_edit.html",
        {
            "form": form,
            "target": target,
            "thread": target if is_thread else target.thread,
            "edits": target.edits.select_related("edited_by").order_by("-created_at", "-pk"),
        },
    )


@moderator_required
@require_http_methods(["GET", "POST"])
def moderate_edit_thread(request, pk: int):
    return _edit(request, get_object_or_404(Thread, pk=pk))


@moderator_required
@require_http_methods(["GET", "POST"])
def moderate_edit_post(request, pk: int):
    return _edit(request, get_object_or_404(Post.objects.select_related("thread"), pk=pk))


# --- A resolved thread as a library document.


class ToDocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[(kind.value, kind.label) for kind in knowledge.DOCUMENT_KINDS],
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=400)
    abstract = forms.CharField(
        label=gettext_lazy("Abstract"), widget=forms.Textarea(attrs={"rows": 10})
    )
    authors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Credit as authors"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "The people who answered; the author of the answer that helped first."
        ),
    )
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Topics"),
        queryset=Topic.objects.order_by("position", "slug"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=gettext_lazy("Countries"),
        choices=Country.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access = forms.ChoiceField(label=gettext_lazy("Access"), choices=DocumentAccess.choices)
    file = forms.FileField(
        label=gettext_lazy("PDF (optional)"),
        required=False,
        help_text=gettext_lazy("Without a PDF, the document links to this discussion."),
    )

    def __init__(self, *args, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered in the order they are credited; the queryset only validates the choice.
        self.order = {person.pk: position for position, person in enumerate(people)}
        self.fields["authors"].queryset = User.objects.filter(pk__in=list(self.order))
        self.fields["authors"].choices = [(person.pk, str(person)) for person in people]

    def clean_authors(self):
        chosen = list(self.cleaned_data.get("authors") or [])
        return sorted(chosen, key=lambda person: self.order[person.pk])


@moderator_required
@require_http_methods(["GET", "POST"])
def to_document(request, pk: int):
    if not request.user.has_perm(ADD_DOCUMENT):
        raise PermissionDenied
    thread = get_object_or_404(Thread.objects.select_related("accepted_answer", "document"), pk=pk)
    if thread.document is not None:
        messages.info(request, _("This thread is a library document already."))
        return redirect(thread.document.get_absolute_url())
    try:
        draft = knowledge.document_draft(thread)
    except knowledge.NotResolved as error:
        messages.error(request, str(error.message))
        return redirect(thread.get_absolute_url())
    people = draft.pop("authors")
    initial = {**draft, "authors": [person.pk for person in people]}
    form = ToDocumentForm(
        request.POST or None, request.FILES or None, initial=initial, people=people
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = knowledge.thread_to_document(
                thread=thread,
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                abstract=data["abstract"],
                access=data["access"],
                topics=data["topics"],
                countries=data["countries"],
                authors=data["authors"],
                file=data["file"] or None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        except ExchangeError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("The document is in the library, linked to the discussion.")
            )
            return redirect(document.get_absolute_url())
    return render(
        request,
        "exchange/to_document.html",
        {"form": form, "thread": thread},
    )
