"""The domain error of the events app, below both its services and its mail."""


class EventError(Exception):
    """A rule of the events app refused the action; the message is for the person who tried."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
