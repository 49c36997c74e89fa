"""Reads for the secretariat's messages to members."""

from django.db.models import QuerySet

from mirpal.models import Message


def messages_sent() -> QuerySet[Message]:
    # Whom each message goes to can be tens of thousands of ids; the pages show only the count.
    return (
        Message.objects.select_related("sent_by").defer("recipient_ids").order_by("-sent_at", "-pk")
    )
