"""Proposals: a call's list with its filters, proposing, one proposal's page, supporting and
withdrawing, commenting, and the secretariat's merge.

Proposals are for members until the secretariat publishes the year's programme
(programme.visibility); proposing, supporting and commenting stay with approved members while
the call is open. Every refusal comes back as a message on the page it came from.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.permissions import is_member, member_required
from mirpal.countries import Country
from mirpal.models import Topic
from programme import selectors, services
from programme.forms import CommentForm, MergeForm, ProposalFilterForm, ProposalForm
from programme.models import Proposal
from programme.services import ProgrammeError
from programme.visibility import call_open, call_readable, can_answer, can_take_part


def _refusal(request):
    """As the site answers elsewhere: anonymous visitors log in, applicants see where they
    stand, members meet a page that does not exist."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_member(request.user):
        return redirect("members:account")
    raise Http404


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    if not raw:
        return None
    try:
        year = int(raw)
    except ValueError:
        return None
    return year if 2000 <= year <= 2100 else None


@require_http_methods(["GET", "HEAD"])
def proposal_list(request):
    year = _year(request)
    call = selectors.call_for_list(user=request.user, year=year)
    if call is None:
        if not is_member(request.user):
            return _refusal(request)
        if year is not None:
            raise Http404
        return render(request, "programme/proposals.html", {"call": None})
    topics = list(Topic.objects.all())
    form = ProposalFilterForm(request.GET, topics=topics)
    proposals = list(
        selectors.proposal_list(
            call=call,
            topic=form.value("topic"),
            country=form.value("country"),
            activity_kind=form.value("kind"),
            state=form.value("state"),
            order=form.value("order") or selectors.ORDER_SUPPORTED,
        )
    )
    labels = dict(Country.choices)
    for proposal in proposals:
        proposal.country_labels = [labels.get(code, code) for code in proposal.countries]
    taking_part = can_take_part(request.user)
    used = selectors.supports_used(call=call, user=request.user) if taking_part else 0
    return render(
        request,
        "programme/proposals.html",
        {
            "call": call,
            "form": form,
            "proposals": proposals,
            "is_open": call_open(call),
            "can_take_part": taking_part,
            "sees_names": is_member(request.user),
            "supported": selectors.supported_ids(call=call, user=request.user)
            if taking_part
            else set(),
            "supports_used": used,
            "supports_left": max(settings.PROGRAMME_SUPPORTS_PER_YEAR - used, 0),
            "supports_limit": settings.PROGRAMME_SUPPORTS_PER_YEAR,
            "supportable": selectors.SUPPORTABLE,
            "next": request.get_full_path(),
        },
    )


@member_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    call = selectors.call_open_now()
    if call is None:
        messages.error(request, _("No call for proposals is open now."))
        return redirect("programme:proposals")
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                call=call,
                by=request.user,
                title=data["title"],
                need=data["need"],
                why_now=data["why_now"],
                activity_kind=data["activity_kind"],
                countries=data["countries"],
                topics=data["topics"],
                language=data["language"],
            )
        except ProgrammeError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your proposal is published. Members can now support it."))
            return redirect(proposal)
    return render(request, "programme/proposal_form.html", {"form": form, "call": call})


def _proposal_readable(request, pk: int):
    try:
        proposal = selectors.proposal_for_page(pk=pk)
    except Proposal.DoesNotExist as missing:
        raise Http404 from missing
    if not call_readable(call=proposal.call, user=request.user):
        return None, _refusal(request)
    return proposal, None


def _detail_response(request, proposal, *, comment_form=None, merge_form=None, status=200):
    user = request.user
    taking_part = can_take_part(user)
    answering = can_answer(user)
    used = selectors.supports_used(call=proposal.call, user=user) if taking_part else 0
    limit = settings.PROGRAMME_SUPPORTS_PER_YEAR
    return render(
        request,
        "programme/proposal_detail.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "country_labels": [
                dict(Country.choices).get(code, code) for code in proposal.countries
            ],
            "is_open": call_open(proposal.call),
            "can_take_part": taking_part,
            "can_answer": answering,
            "sees_names": is_member(user),
            "is_author": user.is_authenticated and proposal.author_id == user.pk,
            "supports": taking_part
            and proposal.pk in selectors.supported_ids(call=proposal.call, user=user),
            "supportable": proposal.state in selectors.SUPPORTABLE,
            "supports_used": used,
            "supports_left": max(limit - used, 0),
            "supports_limit": limit,
            "breadth": selectors.proposal_breadth(proposal=proposal),
            "supporters": selectors.proposal_supporters(proposal=proposal)
            if is_member(user)
            else [],
            "comment_form": comment_form or CommentForm(),
            "merge_form": (merge_form or MergeForm(proposal=proposal)) if answering else None,
            "next": request.get_full_path(),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def proposal_detail(request, pk: int):
    proposal, refusal = _proposal_readable(request, pk)
    if refusal is not None:
        return refusal
    return _detail_response(request, proposal)


def _back(request, proposal):
    """Back where the button was: the list (with its filters) or the proposal's page."""
    target = request.POST.get("next", "")
    # A path of this site only: redirect() would take a bare word for a view's name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(proposal)


def _postable(request, pk: int):
    proposal = Proposal.objects.select_related("call").filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


@require_POST
@member_required
def proposal_support(request, pk: int):
    proposal = _postable(request, pk)
    try:
        services.support_give(proposal=proposal, by=request.user)
    except ProgrammeError as error:
        messages.error(request, str(error.message))
    else:
        left = selectors.supports_remaining(call=proposal.call, user=request.user)
        messages.success(
            request,
            _("You support “%(title)s”. Supports left for %(year)d: %(left)d.")
            % {"title": proposal.title, "year": proposal.call.year, "left": left},
        )
    return _back(request, proposal)


@require_POST
@member_required
def proposal_withdraw(request, pk: int):
    proposal = _postable(request, pk)
    try:
        withdrawn = services.support_withdraw(proposal=proposal, by=request.user)
    except ProgrammeError as error:
        messages.error(request, str(error.message))
    else:
        if withdrawn:
            messages.success(
                request,
                _("Your support is withdrawn: you can give it to another proposal."),
            )
    return _back(request, proposal)


@require_POST
@member_required
def proposal_comment(request, pk: int):
    proposal, refusal = _proposal_readable(request, pk)
    if refusal is not None:
        return refusal
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(proposal=proposal, by=request.user, body=form.cleaned_data["body"])
        except ProgrammeError as error:
            messages.error(request, str(error.message))
            return redirect(proposal)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(f"{proposal.get_absolute_url()}#comments")
    return _detail_response(request, proposal, comment_form=form, status=400)


@require_POST
def proposal_merge(request, pk: int):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("programme:proposal", kwargs={"pk": pk}))
    if not can_answer(request.user):
        raise PermissionDenied
    proposal, _refused = _proposal_readable(request, pk)
    form = MergeForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            target = services.proposal_merge(
                sources=[proposal],
                target=form.cleaned_data["target"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ProgrammeError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("“%(source)s” is merged into “%(target)s”; its supporters were told.")
                % {"source": proposal.title, "target": target.title},
            )
            return redirect(target)
    return _detail_response(request, proposal, merge_form=form, status=400)


# --- q2's views (official answers) below this line ---


@require_POST
def proposal_answer(request, pk: int):
    """The secretariat's official answer from the proposal's page; an invalid answer comes
    back on a page of its own with the form's errors."""
    # Imported here, so that q2's answer modules stay within this block of the module.
    from programme.answer_forms import AnswerForm
    from programme.answers import proposal_answer as answer_give

    if not request.user.is_authenticated:
        return redirect_to_login(reverse("programme:proposal", kwargs={"pk": pk}))
    if not can_answer(request.user):
        raise PermissionDenied
    proposal = _postable(request, pk)
    form = AnswerForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            change = answer_give(proposal=proposal, by=request.user, **form.answer)
        except ValidationError as refused:
            if hasattr(refused, "error_dict"):
                for field, errors in refused.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, refused)
        else:
            if change is None:
                messages.info(request, _("This answer was already given: no one was mailed again."))
            else:
                messages.success(
                    request,
                    _("The answer “%(state)s” is given; the author and the supporters are mailed.")
                    % {"state": change.get_to_state_display()},
                )
            return redirect(proposal)
    return render(
        request, "programme/proposal_answer.html", {"proposal": proposal, "form": form}, status=400
    )
