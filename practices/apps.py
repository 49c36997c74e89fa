from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    """Good practices: cases described with the same fields so they can be compared, and the
    secretariat's curated collections. Sits above the peer exchange ("ask the people behind this
    case" opens a thread) and below the work programme."""

    name = "practices"
    verbose_name = _("Good practices")

    def ready(self) -> None:
        from mirpal.fragments import data_changed_on_write
        from practices.models import Case, Collection, CollectionItem

        data_changed_on_write("practices", Case, Collection, CollectionItem)

        # The library's search page shows the cases found as their own group.
        from library.search import search_group_register
        from practices.search import cases_search_group

        search_group_register(
            "cases",
            find=cases_search_group,
            template="practices/_search_group.html",
            scopes=["practices"],
        )
        # Reviewers hear of proposed cases at once or in the secretariat's daily summary.
        from practices.notices import case_notices_register

        case_notices_register()
