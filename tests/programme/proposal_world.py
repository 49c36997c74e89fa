"""What the proposals tests share: people with a country and a kind of organisation, a signed-in
client, the buttons a member presses and the messages a page shows."""

from __future__ import annotations

import datetime
import html
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories.members import ProfileFactory
from tests.factories.programme import CallFactory


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person(first: str, last: str, *, country="KZ", kind="government", language="en", **more):
    return ProfileFactory(
        user__first_name=first,
        user__last_name=last,
        country=country,
        organisation_type=kind,
        mail_language=language,
        **more,
    ).user


def closed_call(**fields):
    now = timezone.now()
    return CallFactory(
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=1),
        **fields,
    )


def support(client, proposal, *, next_url: str = ""):
    """Press "Support"; the page it leads to, with its messages (so none is left over)."""
    data = {"next": next_url} if next_url else {}
    return client.post(reverse("programme:support", args=[proposal.pk]), data, follow=True)


def withdraw(client, proposal, *, next_url: str = ""):
    data = {"next": next_url} if next_url else {}
    return client.post(reverse("programme:withdraw", args=[proposal.pk]), data, follow=True)


def page_messages(response) -> list[str]:
    """The messages shown on the page (after following the redirect)."""
    text = response.content.decode()
    return [html.unescape(m) for m in re.findall(r'<p class="message [^"]*">(.*?)</p>', text)]


def titles(response) -> list[str]:
    """The proposals' titles on a list page, in their order."""
    text = response.content.decode()
    return [
        html.unescape(title)
        for title in re.findall(
            r'<h2><a href="/programme/proposals/\d+/"[^>]*>(.*?)</a></h2>', text
        )
    ]
