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
        from exchange.moderation import flag_notices_register
        from exchange.personal_data import personal_data_register_exchange
        from mirpal.fragments import data_changed_on_write

        data_changed_on_write("exchange", Thread, Post)

        # The digest: new questions and replies for the members who chose to hear of them there.
        from events.mail.digests import digest_section_register
        from exchange.digest import discussion_digest_sections

        digest_section_register(discussion_digest_sections)
        # The person's download and account closure ask each app for its part.
        personal_data_register_exchange()
        # Flagged posts: their section of the secretariat's daily summary (members.notices).
        flag_notices_register()

        from exchange.profile_section import member_activity_section
        from exchange.search import discussions_search_group
        from library.search import search_group_register
        from members.sections import member_page_section_register

        search_group_register(
            "discussions",
            find=discussions_search_group,
            template="exchange/_search_group.html",
            scopes=["exchange"],
        )
        member_page_section_register(
            "exchange", find=member_activity_section, template="exchange/_member_section.html"
        )
