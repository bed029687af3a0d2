"""A local SMTP server for tests: records what it accepts, refuses what a test scripts."""

import email
import email.policy
import socket
import threading
from collections import deque
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, sink: "SmtpSink") -> None:
        self.sink = sink

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        with self.sink.lock:
            if address in self.sink.refused:
                return "550 5.1.1 No such mailbox"
            if self.sink.replies:
                reply = self.sink.replies.popleft()
                if reply:
                    return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 Message accepted"


class SmtpSink:
    """`with SmtpSink() as sink:` listens on 127.0.0.1 at `sink.port`.

    `sink.script("451 4.7.1 Try again later", "")` answers the next recipients in turn ("" lets
    one through); `sink.refuse(address)` answers 550 for that address every time.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()
        self.replies: deque[str] = deque()
        self.lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpSink":
        self._controller.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._controller.stop()

    def script(self, *replies: str) -> None:
        with self.lock:
            self.replies.extend(replies)

    def refuse(self, address: str) -> None:
        with self.lock:
            self.refused.add(address)

    def messages_to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]
