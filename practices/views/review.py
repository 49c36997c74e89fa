"""A member proposes a good-practice case, follows their proposals, and edits one while it waits
for review or after the secretariat asked for changes (which sends it back for review)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.permissions import is_member, member_required
from practices import services
from practices.enums import ReviewState
from practices.forms import CaseForm
from practices.models import CASE_COUNTRIES, Case
from practices.visibility import can_review, case_readable


def _errors_onto(form: CaseForm, error: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@member_required
@require_http_methods(["GET", "POST"])
def case_propose(request):
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_propose(by=request.user, **form.case_data())
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your case is with the secretariat for review. It will write to "
                    "you when the case is published or if something should be changed."
                ),
            )
            return redirect("practices:mine")
    return render(request, "practices/propose.html", {"form": form})


@member_required
def cases_mine(request):
    cases = list(
        Case.objects.filter(proposed_by=request.user)
        .defer("search_vector")
        .order_by("-submitted_at", "-pk")
    )
    names = dict(CASE_COUNTRIES)
    for case in cases:
        case.country_names = ", ".join(str(names.get(code, code)) for code in case.countries)
    return render(
        request,
        "practices/mine.html",
        {"cases": cases, "open_states": services.OPEN_STATES, "ReviewState": ReviewState},
    )


def _editable_case(request, slug: str) -> Case:
    case = get_object_or_404(Case.objects.defer("search_vector"), slug=slug)
    if services.may_edit(case=case, user=request.user):
        return case
    if not case_readable(case=case, user=request.user):
        raise Http404
    raise PermissionDenied


@require_http_methods(["GET", "POST"])
def case_edit(request, slug: str):
    """The proposer edits their case while it is open to changes; reviewers edit any case."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (is_member(request.user) or can_review(request.user)):
        return redirect("members:account")
    case = _editable_case(request, slug)
    reviewer = can_review(request.user)
    resubmits = (
        case.proposed_by_id == request.user.pk
        and case.review_state == ReviewState.CHANGES_REQUESTED
    )
    form = CaseForm.for_case(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(case=case, by=request.user, **form.case_data())
        except ValidationError as error:
            _errors_onto(form, error)
        except services.CaseReviewError as error:
            form.add_error(None, str(error.message))
        else:
            if resubmits:
                messages.success(
                    request,
                    _("Thank you: your changes are with the secretariat for review again."),
                )
            else:
                messages.success(request, _("The case is saved."))
            if reviewer and case.proposed_by_id != request.user.pk:
                return redirect(case)
            return redirect("practices:mine")
    return render(
        request,
        "practices/edit.html",
        {"form": form, "case": case, "resubmits": resubmits, "reviewer": reviewer},
    )
