"""What the peer exchange's services refuse, with a message for the person who tried."""

from __future__ import annotations


class ExchangeError(Exception):
    """A rule of the exchange says no; `message` is shown on the form or page."""

    def __init__(self, message) -> None:
        super().__init__(message)
        self.message = message


class PostingTooFast(ExchangeError):
    """The author reached EXCHANGE_POSTS_PER_HOUR."""


class ThreadClosed(ExchangeError):
    """The thread is locked or hidden: it takes no new answers or replies."""
