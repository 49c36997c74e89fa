"""What partners are told of a good-practice case (the case.published webhook)."""

from __future__ import annotations

from django.conf import settings

from practices.models import Case


def case_webhook_payload(case: Case) -> dict:
    """Public fields only, for a published public case: never the proposer, the contacts, the
    secretariat's note or a members-only case (the caller notifies no partner of those)."""
    if not case.is_public:
        raise ValueError("only a published public case is announced to partners")
    return {
        "slug": case.slug,
        "title_en": case.title_en,
        "title_ru": case.title_ru,
        "summary_en": case.summary_en,
        "summary_ru": case.summary_ru,
        "countries": list(case.countries),
        "topics": sorted(topic.slug for topic in case.topics.all()),
        "status": case.status,
        "year_from": case.year_from,
        "year_to": case.year_to,
        "published_at": case.published_at,
        "url": settings.SITE_URL + case.get_absolute_url(),
    }
