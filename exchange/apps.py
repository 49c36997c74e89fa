from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Peer exchange: members ask the network and answer each other (questions, discussions,
    answers, follows, moderation). Sits above events and the library; the library's search, the
    digest and a member's page reach it only through the registries it fills here."""

    name = "exchange"
    verbose_name = _("Peer exchange")

    def ready(self) -> None:
        from exchange.models import Post, Thread
        from mirpal.fragments import data_changed_on_write

        data_changed_on_write("exchange", Thread, Post)
