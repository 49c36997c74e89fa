"""What the peer exchange mails, through the outbox: new questions to those who follow their
topics or countries, answers and replies to those who follow the thread, mentions, and
invitations to experts. Once each (keyed), in the recipient's language, after their preferences.

The writing services (exchange.services) call these inside their transaction; each queues its
mails with `outbox_enqueue`, which sends them after the commit.
"""

from __future__ import annotations


def thread_published_notify(thread) -> int:
    """A thread became visible (posted, or released from review): tell followers of its topics
    and countries, and the members and experts it mentions. Returns how many mails were queued."""
    return 0


def post_published_notify(post) -> int:
    """An answer or reply became visible: tell the thread's followers (not its author) and the
    members and experts it mentions. Returns how many mails were queued."""
    return 0
