from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report")
    STUDY = "study", _("Study")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    PRESENTATION = "presentation", _("Presentation")
    GOOD_PRACTICE = "good_practice", _("Good practice")
    LEGISLATION = "legislation", _("Legislation")
    DATA_SET = "data_set", _("Data set")
    NOTE = "note", _("Note")


# Search results mix documents and magazine articles; articles count as one more kind.
ARTICLE_KIND = "article"
ARTICLE_KIND_LABEL = _("Magazine article")


class Access(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("library access", "Public")
    MEMBERS = "members", pgettext_lazy("library access", "Members only")


# PostgreSQL text-search configuration for a text written in this language; both ship with
# every PostgreSQL, other languages fall back to 'simple' (no stemming, no stop words).
SEARCH_CONFIGS = {"ru": "russian", "en": "english"}
FALLBACK_SEARCH_CONFIG = "simple"
