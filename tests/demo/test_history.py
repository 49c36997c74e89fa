"""The demo network's past: three years of applications, events, searches and downloads, loaded
once."""

import datetime

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from library.models import Document, DownloadDay, Issue
from members.models import MembershipDecision, Profile

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("demo_data", members=60, documents=5, events=42)


def _applications_spread_over_three_years_with_a_decision_each(secretariat):
    now = timezone.now()
    # The demo's, not the staff account the panel's check signs in with.
    profiles = Profile.objects.exclude(user=secretariat)
    months = set(profiles.annotate(month=TruncMonth("applied_at")).values_list("month", flat=True))
    assert len(months) >= 24
    oldest = min(profile.applied_at for profile in profiles)
    assert now - datetime.timedelta(days=3 * 366) < oldest < now - datetime.timedelta(days=2 * 365)
    waiting = profiles.filter(status="pending")
    assert all(now - p.applied_at < datetime.timedelta(days=27) for p in waiting)
    assert MembershipDecision.objects.filter(profile__status="pending").count() == 0
    for profile in profiles.exclude(status="pending").prefetch_related("decisions"):
        decisions = sorted(profile.decisions.all(), key=lambda decision: decision.decided_at)
        assert decisions[0].from_status == "pending"
        assert profile.applied_at < decisions[0].decided_at < now
        assert decisions[-1].to_status == profile.status
        assert decisions[-1].decided_at == profile.status_changed_at


def _downloads_by_day_over_three_years_add_up_to_the_counters():
    today = timezone.now().date()
    days = DownloadDay.objects.all()
    assert days.filter(issue__isnull=False).exists()
    assert days.filter(document__isnull=False).exists()
    oldest, newest = (
        min(days.values_list("day", flat=True)),
        max(days.values_list("day", flat=True)),
    )
    assert (
        today - datetime.timedelta(days=3 * 366) < oldest < today - datetime.timedelta(days=2 * 365)
    )
    assert today - datetime.timedelta(days=3) <= newest < today
    # Every item's total is the sum of its days, for the issues and the documents alike.
    for model, path in [(Issue, "issue"), (Document, "document")]:
        sums = dict(
            days.filter(**{f"{path}__isnull": False})
            .values(path)
            .annotate(total=Sum("count"))
            .values_list(path, "total")
        )
        totals = dict(model.objects.values_list("pk", "download_count"))
        assert {pk: total for pk, total in totals.items() if total} == sums
    # Newer issues are read more: the newest more than the oldest, over the same days.
    issues = Issue.objects.order_by("number")
    oldest_issue, newest_issue = issues.first(), issues.last()
    window = {"day__gte": newest_issue.published_on + datetime.timedelta(days=60)}
    assert (
        days.filter(issue=newest_issue, **window).aggregate(total=Sum("count"))["total"]
        > 2 * days.filter(issue=oldest_issue, **window).aggregate(total=Sum("count"))["total"]
    )


def _the_panels_figures_show_three_years(client, secretariat):
    client.force_login(secretariat)
    today = timezone.now().date()
    start = (today.replace(day=1) - datetime.timedelta(days=3 * 365)).replace(day=1)
    response = client.get(reverse("panel:figures"), {"start": start, "end": today})
    assert response.status_code == 200
    figures = {figure.slug: figure for figure in response.context["figures"]}

    def by_year(slug: str, series: str) -> list[int]:
        """The series' total in each of the three years before today's month."""
        figure = figures[slug]
        index = [key for key, _label in figure.series].index(series)
        totals = [0, 0, 0]
        for row in figure.rows:
            month = datetime.date.fromisoformat(row.code + "-01")
            age = (today.year - month.year) * 12 + today.month - month.month
            if 0 <= age < 36:
                totals[age // 12] += row.values[index]
        return totals

    assert all(total > 0 for total in by_year("members-month", "applied"))
    assert all(total > 0 for total in by_year("members-month", "approved"))
    assert all(total > 0 for total in by_year("events-month", "registered"))
    assert all(total > 0 for total in by_year("events-month", "attended"))
    assert all(total > 10 for total in by_year("searches-month", "searches"))
    assert all(total > 100 for total in by_year("library-downloads", "documents"))
    assert all(total > 1000 for total in by_year("library-downloads", "issues"))
    # Summer and the new year are quieter than spring and autumn.
    issues = {
        datetime.date.fromisoformat(row.code + "-01"): row.values[1]
        for row in figures["library-downloads"].rows
    }
    quiet = [total for month, total in issues.items() if month.month in (1, 7, 8)]
    busy = [total for month, total in issues.items() if month.month in (3, 4, 10)]
    assert sum(quiet) / len(quiet) < sum(busy) / len(busy)
    applied = [row.values[0] for row in figures["members-month"].rows]
    assert max(applied) < sum(applied) / 4  # no spike: no month holds a quarter of them
    page = response.content.decode()
    assert page.count('<canvas data-chart-source="chart-') >= 10


def test_the_demo_loaded_once(client, secretariat):
    """One load for every check below: the demo takes a while to write."""
    load_demo()
    _applications_spread_over_three_years_with_a_decision_each(secretariat)
    _downloads_by_day_over_three_years_add_up_to_the_counters()
    _the_panels_figures_show_three_years(client, secretariat)
