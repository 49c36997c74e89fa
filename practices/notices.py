"""The secretariat is told of cases waiting for its review: at once, in the daily summary or
not at all, as each reviewer's mail preference says (members.notices, the kind "case")."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from members.notices import (
    SUMMARY_ITEMS,
    SUMMARY_SECTIONS,
    SectionSource,
    SummaryItem,
    notices_send,
)
from mirpal.countries import Country
from practices.enums import ReviewState
from practices.models import Case

NOTICE_KIND = "case"


def _joined_names(codes: list[str]) -> str:
    return ", ".join(str(Country(code).label) for code in codes)


# Named when each reader's mail is rendered, in the reader's language.
_country_names = lazy(_joined_names, str)


def _queue_url() -> str:
    return (
        settings.SITE_URL
        + reverse("admin:practices_case_changelist")
        + f"?review_state__exact={ReviewState.SUBMITTED}"
    )


def case_review_notice(case: Case) -> list[int]:
    """Mail the reviewers who want it at once that a member proposed this case. Call it inside
    the transaction of the proposal: the mails commit with it, once each (keyed by the case)."""
    proposer = case.proposed_by
    return notices_send(
        kind=NOTICE_KIND,
        obj=case,
        context={
            "case": case,
            "proposed_by": (proposer.get_full_name() or proposer.email) if proposer else "",
            "countries": _country_names(
                [code for code in Country.values if code in case.countries]
            ),
            "case_url": settings.SITE_URL + reverse("admin:practices_case_change", args=[case.pk]),
            "queue_url": _queue_url(),
        },
        exclude_user_id=proposer.pk if proposer else None,
    )


def _cases_summary(since, until):
    arrived = Case.objects.filter(
        review_state=ReviewState.SUBMITTED, submitted_at__gt=since, submitted_at__lte=until
    )
    rows = list(
        arrived.select_related("proposed_by").order_by("submitted_at", "pk")[:SUMMARY_ITEMS]
    )
    total = len(rows) if len(rows) < SUMMARY_ITEMS else arrived.count()
    return [
        SummaryItem(
            title=case.title,
            detail=(case.proposed_by.get_full_name() if case.proposed_by else ""),
            url=settings.SITE_URL + reverse("admin:practices_case_change", args=[case.pk]),
        )
        for case in rows
    ], total


def case_notices_register() -> None:
    """Give the secretariat's daily summary its section of cases (called by the app's ready())."""
    SUMMARY_SECTIONS[NOTICE_KIND] = SectionSource(
        title=_("Good-practice cases waiting for review"),
        queue_url=_queue_url,
        collect=_cases_summary,
    )
