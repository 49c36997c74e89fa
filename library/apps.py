from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("Library")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The person's download and account closure ask each app for its part (mirpal's
        # personal_data registry); models can be imported only once the registry is ready.
        from library.models import Article, Document, Issue
        from library.personal_data import personal_data_register_library
        from mirpal import fragments
        from mirpal.models import Topic

        personal_data_register_library()
        # Cached landing and search pages show these (topic names in the filters). Downloads,
        # counted by an UPDATE that sends no signal, only reorder "most read", which the cache's
        # timeout brings up to date: a new version at every download would empty the cache.
        fragments.data_changed_on_write("library", Document, Issue, Article, Topic)
