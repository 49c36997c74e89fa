"""Asking, reading one thread, answering, replying, marking, editing, and a thread's files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from exchange import services
from exchange.enums import Moderation
from exchange.errors import ExchangeError
from exchange.forms import LANGUAGE_CHOICES, PostEditForm, PostForm, ThreadForm
from exchange.models import Attachment, Post, Thread
from exchange.permissions import can_moderate, can_write
from exchange.thread_page import post_page_number, thread_get, thread_page
from exchange.visibility import Access, may_edit, post_is_visible, thread_access
from members.permissions import is_member, member_required
from mirpal.models import Topic
from mirpal.storage import stored_file_response


def _refusal(request, access: Access):
    """As the site answers elsewhere: anonymous visitors log in, applicants and suspended
    members see where they stand, what is not theirs to see does not exist."""
    if access is Access.LOG_IN:
        return redirect_to_login(request.get_full_path())
    if access is Access.NOT_MEMBER:
        return redirect("members:account")
    raise Http404


def _thread_readable(request, pk: int) -> tuple[Thread | None, object]:
    try:
        thread = thread_get(pk=pk)
    except Thread.DoesNotExist as missing:
        raise Http404 from missing
    access = thread_access(thread=thread, user=request.user)
    if access is not Access.READ:
        return None, _refusal(request, access)
    return thread, None


def _form_errors_from(form, error: Exception) -> None:
    if isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(None, str(error.message))


def _posted_message(request, state: str, *, thread: bool) -> None:
    if state == Moderation.HELD:
        messages.info(
            request,
            _(
                "Thank you. A new member's first posts are reviewed by the secretariat: until "
                "then only you and the secretariat see it."
            ),
        )
    elif thread:
        messages.success(request, _("Your question is published."))
    else:
        messages.success(request, _("Your answer is published."))


@member_required
@require_http_methods(["GET", "POST"])
def thread_new(request):
    # A topic's list links here with ?topic=<slug>: the form starts with that topic ticked.
    slug = request.GET.get("topic", "")[:60]
    initial = {"topics": list(Topic.objects.filter(slug=slug))} if slug else {}
    form = ThreadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread = services.thread_create(
                author=request.user,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                language=data["language"],
                visibility=data["visibility"],
                topics=data["topics"],
                countries=data["countries"],
                files=data["attachments"],
            )
        except (ExchangeError, ValidationError) as error:
            _form_errors_from(form, error)
        else:
            _posted_message(request, thread.state, thread=True)
            return redirect(thread)
    return render(request, "exchange/thread_form.html", {"form": form, "editing": None})


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return number if 1 <= number <= 10_000 else 1


def _reply_to(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _thread_response(request, thread: Thread, *, answer_form=None, reply_form=None, status=200):
    moderator = can_moderate(request.user)
    if reply_form is not None:
        # The page of the answer the reply was for, with the reply's text and error under it.
        reply_to = _reply_to(reply_form.data.get("parent"))
        parent = Post.objects.filter(pk=reply_to, thread=thread).select_related("thread").first()
        number = (
            post_page_number(post=parent, viewer=request.user, moderator=moderator) if parent else 1
        )
    else:
        reply_to = _reply_to(request.GET.get("reply"))
        number = _page_number(request)
    page = thread_page(thread=thread, viewer=request.user, moderator=moderator, number=number)
    writer = can_write(request.user)
    return render(
        request,
        "exchange/thread.html",
        {
            "thread": thread,
            "page": page,
            "can_moderate": moderator,
            "can_write": writer,
            "viewer_is_member": is_member(request.user),
            "is_author": request.user.is_authenticated and thread.author_id == request.user.pk,
            "can_edit_thread": request.user.is_authenticated
            and may_edit(request.user, author_id=thread.author_id, state=thread.state),
            "may_mark": writer and (moderator or thread.author_id == request.user.pk),
            "answer_form_bound": answer_form,
            "reply_form": reply_form,
            "reply_to": reply_to,
            "language_choices": LANGUAGE_CHOICES,
            "open": thread.state == Moderation.PUBLISHED and not thread.is_locked,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def thread(request, pk: int):
    chosen, refusal = _thread_readable(request, pk)
    if refusal is not None:
        return refusal
    return _thread_response(request, chosen)


@require_http_methods(["GET", "HEAD"])
def post(request, pk: int):
    """A post's own address: the page of its thread that shows it."""
    chosen = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    if thread_access(thread=chosen.thread, user=request.user) is not Access.READ:
        return _refusal(request, thread_access(thread=chosen.thread, user=request.user))
    number = post_page_number(
        post=chosen, viewer=request.user, moderator=can_moderate(request.user)
    )
    query = f"?page={number}" if number > 1 else ""
    return redirect(f"{chosen.thread.get_absolute_url()}{query}#post-{chosen.pk}")


@require_POST
@member_required
def post_new(request, pk: int):
    """An answer, or (with `parent`) a reply to an answer; on an error the thread page comes
    back with the text kept."""
    chosen, refusal = _thread_readable(request, pk)
    if refusal is not None:
        return refusal
    form = PostForm(request.POST, request.FILES, reply=bool(request.POST.get("parent")))
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = Post.objects.filter(pk=data["parent"], thread=chosen).first()
            if parent is None or not post_is_visible(post=parent, user=request.user):
                form.add_error(None, _("You can reply only to a published answer of this thread."))
        if not form.errors:
            try:
                post = services.post_create(
                    author=request.user,
                    thread=chosen,
                    body=data["body"],
                    language=data["language"],
                    parent=parent,
                    files=data["attachments"],
                )
            except (ExchangeError, ValidationError) as error:
                _form_errors_from(form, error)
            else:
                _posted_message(request, post.state, thread=False)
                return redirect(post)
    parent = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    if parent and Post.objects.filter(pk=parent, thread=chosen, parent=None).exists():
        return _thread_response(request, chosen, reply_form=form)
    # Not a reply to an answer on this page: the text comes back in the answer form.
    return _thread_response(request, chosen, answer_form=form)


@member_required
@require_http_methods(["GET", "POST"])
def thread_edit(request, pk: int):
    chosen = get_object_or_404(Thread, pk=pk)
    if not may_edit(request.user, author_id=chosen.author_id, state=chosen.state):
        raise PermissionDenied
    if request.method == "POST":
        form = ThreadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.thread_edit(
                    user=request.user,
                    thread=chosen,
                    kind=data["kind"],
                    title=data["title"],
                    body=data["body"],
                    language=data["language"],
                    visibility=data["visibility"],
                    topics=data["topics"],
                    countries=data["countries"],
                    files=data["attachments"],
                )
            except (ExchangeError, ValidationError) as error:
                _form_errors_from(form, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(chosen)
    else:
        form = ThreadForm.for_thread(chosen)
    return render(request, "exchange/thread_form.html", {"form": form, "editing": chosen})


@member_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk: int):
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    if not may_edit(request.user, author_id=post.author_id, state=post.state):
        raise PermissionDenied
    if request.method == "POST":
        form = PostEditForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.post_edit(
                    user=request.user,
                    post=post,
                    body=data["body"],
                    language=data["language"],
                    files=data["attachments"],
                )
            except (ExchangeError, ValidationError) as error:
                _form_errors_from(form, error)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(post)
    else:
        form = PostEditForm(initial={"body": post.body, "language": post.language})
    return render(request, "exchange/post_form.html", {"form": form, "post": post})


def _back_to(post: Post):
    return redirect(post)


@require_POST
@member_required
def accept(request, pk: int):
    """Mark this answer as the one that helped; `unaccept` in the form takes the mark back."""
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    try:
        if request.POST.get("unaccept"):
            services.answer_unaccept(user=request.user, thread=post.thread)
        else:
            services.answer_accept(user=request.user, post=post)
    except ExchangeError as error:
        messages.error(request, error.message)
    return _back_to(post)


@require_POST
@member_required
def unaccept(request, pk: int):
    chosen = get_object_or_404(Thread, pk=pk)
    services.answer_unaccept(user=request.user, thread=chosen)
    return redirect(chosen)


@require_POST
@member_required
def helpful(request, pk: int):
    """ "This helped me" and taking it back. The form says which (`on` 1 or 0), so a second
    click of the same button changes nothing; without it, the mark is toggled."""
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    wanted = request.POST.get("on")
    try:
        if wanted is None:
            if not services.helpful_mark(user=request.user, post=post):
                services.helpful_unmark(user=request.user, post=post)
        elif wanted == "1":
            services.helpful_mark(user=request.user, post=post)
        else:
            services.helpful_unmark(user=request.user, post=post)
    except ExchangeError as error:
        messages.error(request, error.message)
    return _back_to(post)


@require_http_methods(["GET", "HEAD"])
def attachment(request, pk: int):
    """A thread's or post's file, for whoever may read the thread and see the post."""
    chosen = get_object_or_404(Attachment.objects.select_related("thread", "post__thread"), pk=pk)
    owner = chosen.thread or chosen.post.thread
    access = thread_access(thread=owner, user=request.user)
    if access is not Access.READ:
        return _refusal(request, access)
    if chosen.post is not None and not post_is_visible(post=chosen.post, user=request.user):
        raise Http404
    if chosen.kind == "pdf":
        content_type = "application/pdf"
    else:
        extension = chosen.file.name.rsplit(".", 1)[-1].lower()
        content_type = services.IMAGE_CONTENT_TYPES.get(extension, "application/octet-stream")
    return stored_file_response(
        chosen.file,
        content_type=content_type,
        filename=chosen.name,
        private=not owner.is_public or owner.state != Moderation.PUBLISHED,
        signed_link=True,
    )
