"""A real SMTP server for tests, built on aiosmtpd, that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    """Accepts every message, except to addresses at bounce.example (refused for good, 550) and
    at tempfail.example (refused for now, 451)."""

    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.sink.lock:
            self.sink.sessions += 1
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@bounce.example"):
            return "550 5.1.1 No such mailbox"
        if address.endswith("@tempfail.example"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.sink._drop_due():
            # The client has sent the whole message and waits for a reply that never comes.
            server.transport.close()
            if self.sink.refuse_after_drop:
                self.sink.controller.server.close()
            return "421 4.3.2 Closing"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpSink:
    """`drop_after=N` closes the connection, once, while the client waits for the reply to its
    message N+1 (that message is not kept); with `refuse_after_drop` the server also stops
    listening then, so that reconnecting is refused until `start()` brings it back."""

    def __init__(
        self,
        port: int | None = None,
        *,
        drop_after: int | None = None,
        refuse_after_drop: bool = False,
    ):
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.sessions = 0
        self.drop_after = drop_after
        self.refuse_after_drop = refuse_after_drop
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    def start(self) -> None:
        # A stopped controller has closed its event loop: each start serves the port anew.
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.sessions = 0

    def _drop_due(self) -> bool:
        with self.lock:
            if self.drop_after is None or len(self.messages) < self.drop_after:
                return False
            self.drop_after = None
            return True

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [message for message in self.messages if message["To"] == address]

    @staticmethod
    def subject(message: EmailMessage) -> str:
        # A folded header keeps its leading space in Python's parser; mail clients drop it.
        return str(message["Subject"]).strip()

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""
