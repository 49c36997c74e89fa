from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """The demand-driven work programme: calls, members' proposals and supports, the
    secretariat's official answers, the year's activities and the polls that schedule them.
    The top capability app: an activity may become an event, a document or a good-practice case."""

    name = "programme"
    verbose_name = _("Work programme")

    def ready(self) -> None:
        from mirpal.fragments import data_changed_on_write
        from programme.models import Activity, Call, Comment, Proposal, Support

        data_changed_on_write("programme", Call, Proposal, Support, Comment, Activity)
