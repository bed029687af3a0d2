"""A fake Telegram Bot API on 127.0.0.1 for tests and benchmarks, standard library only.

It answers as Telegram does (401 for a wrong token, 400 for a message Telegram would refuse),
records every request and every message it posted, and plays scripted behaviours one per send:
throttling, errors, a blocked chat, and a request held unanswered until released::

    with FakeBotApi(token="123:abc") as api:
        api.script(too_many_requests(retry_after=3), ok())
        client = BotApi(token=api.token, base_url=api.base_url, timeout=1.0)
"""

import contextlib
import http
import json
import select
import socket
import socketserver
import threading
import time
from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FAKE_TOKEN = "123456:fake-token"
# Telegram's method names are case-insensitive; these are the ones that post a message.
SENDING_METHODS = frozenset({"sendmessage", "sendphoto"})
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# A long poll here waits at most this long, whatever timeout the client asked for.
UPDATES_WAIT_LIMIT_SECONDS = 2.0
_HANG_POLL_SECONDS = 0.01
# Telegram's HTML parse mode: any other tag is refused.
_TELEGRAM_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)


@dataclass(frozen=True)
class FakeRequest:
    """One request as it arrived: the method name as the client spelled it."""

    method: str
    params: dict[str, Any]
    time: float


@dataclass(frozen=True)
class PostedMessage:
    """One message the fake posted; `text` is the message's text or the photo's caption, as
    sent (HTML when parse_mode is "HTML")."""

    chat_id: int | str
    text: str
    photo: str | None
    message_id: int
    parse_mode: str | None
    params: dict[str, Any]
    time: float


@dataclass(frozen=True)
class Reply:
    """Answer a send with `status`: 200 posts the message, anything else refuses it."""

    status: int
    description: str = ""
    retry_after: int | None = None


@dataclass(frozen=True)
class Hang:
    """Hold a send unanswered until release_hung(); it posts nothing if the client leaves
    first."""


Behaviour = Reply | Hang


def ok() -> Reply:
    return Reply(status=200)


def too_many_requests(retry_after: int) -> Reply:
    return Reply(
        status=429,
        description=f"Too Many Requests: retry after {retry_after}",
        retry_after=retry_after,
    )


def server_error(status: int = 500) -> Reply:
    return Reply(status=status, description=http.HTTPStatus(status).phrase)


def forbidden(description: str = "Forbidden: bot was blocked by the user") -> Reply:
    return Reply(status=403, description=description)


def bad_request(description: str) -> Reply:
    return Reply(status=400, description=description)


def hang() -> Hang:
    return Hang()


class FakeBotApi:
    """A Bot API server for one bot, on a port the OS picks. All state is guarded by one lock;
    read .requests and .messages after the calls that fill them have returned."""

    def __init__(self, *, token: str = FAKE_TOKEN, latency: float = 0.0) -> None:
        self.token = token
        # Seconds added to each send, as a real network and Telegram add them.
        self.latency = latency
        self.requests: list[FakeRequest] = []
        self.messages: list[PostedMessage] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._script: deque[Behaviour] = deque()
        self._blocked_chats: set[str] = set()
        self._last_message_id: dict[str, int] = {}
        self._updates: list[dict[str, Any]] = []
        self._last_update_id = 0
        self._hung: list[threading.Event] = []
        self._connections: set[socket.socket] = set()
        self._stopping = False
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "FakeBotApi":
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("The fake Bot API is not started.")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> "FakeBotApi":
        """Listen on 127.0.0.1 and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("The fake Bot API is already started.")
        self._stopping = False
        self._server = _Server(self)
        # A short poll interval: stop() waits for the serving loop to notice it.
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="fake-bot-api",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop every connection; a held request posts nothing."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        with self._changed:
            self._stopping = True
            for event in self._hung:
                event.set()
            self._changed.notify_all()
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _drop(connection)
        server.server_close()
        thread.join()
        self._server = None
        self._thread = None

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours, each consumed by one send; a send finding none succeeds."""
        with self._lock:
            self._script.extend(behaviours)

    def block_chat(self, chat_id: int | str) -> None:
        """Every send to the chat answers 403 as when the user blocked the bot (before, and
        without consuming, the script)."""
        with self._lock:
            self._blocked_chats.add(str(chat_id))

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates, numbering it after the last one when it has no
        update_id; returns its update_id."""
        with self._changed:
            update = dict(update)
            update.setdefault("update_id", self._last_update_id + 1)
            self._last_update_id = max(self._last_update_id, update["update_id"])
            self._updates.append(update)
            self._changed.notify_all()
            return int(update["update_id"])

    def wait_for_hung(self, timeout: float) -> bool:
        """Whether a request is being held, waiting up to `timeout` seconds for one."""
        with self._changed:
            return self._changed.wait_for(lambda: bool(self._hung), timeout)

    @property
    def hung_count(self) -> int:
        """Requests held now (a request stops counting when released or when its client
        leaves)."""
        with self._lock:
            return len(self._hung)

    def release_hung(self) -> int:
        """Let every held request go on as a success; returns how many there were."""
        with self._lock:
            released, self._hung = self._hung, []
        for event in released:
            event.set()
        return len(released)

    def messages_to(self, chat_id: int | str) -> list[PostedMessage]:
        with self._lock:
            return [message for message in self.messages if str(message.chat_id) == str(chat_id)]

    def reset(self) -> None:
        """Forget requests, messages, script, blocked chats and pending updates; message ids
        start again at 1."""
        with self._lock:
            self.requests.clear()
            self.messages.clear()
            self._script.clear()
            self._blocked_chats.clear()
            self._last_message_id.clear()
            self._updates.clear()

    # --- Called by the request handler, in its thread --------------------------------------

    def _connection_opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)
            stopping = self._stopping
        if stopping:
            _drop(connection)

    def _connection_closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def _answer(
        self, *, path: str, query: str, body: bytes, content_type: str, connection: socket.socket
    ) -> tuple[int, dict[str, Any]] | None:
        """The status and JSON to answer with, or None to answer nothing (the client left)."""
        arrived = time.monotonic()
        token, _, method = path.removeprefix("/bot").partition("/")
        params = _params(query, body, content_type)
        with self._lock:
            self.requests.append(FakeRequest(method=method, params=params or {}, time=arrived))
        if not path.startswith("/bot") or not method:
            return _error(404, "Not Found")
        if token != self.token:
            return _error(401, "Unauthorized")
        if params is None:
            return _error(400, "Bad Request: can't parse the request body")
        name = method.lower()
        if name in SENDING_METHODS:
            return self._send(name, params, connection)
        if name == "getupdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        if name in ("setwebhook", "deletewebhook", "answercallbackquery"):
            return 200, {"ok": True, "result": True}
        if name == "getme":
            bot_id = self.token.partition(":")[0]
            return 200, {
                "ok": True,
                "result": {
                    "id": int(bot_id) if bot_id.isdigit() else 1,
                    "is_bot": True,
                    "first_name": "Birge test bot",
                    "username": "birge_test_bot",
                },
            }
        return _error(404, "Not Found: method not found")

    def _send(
        self, name: str, params: dict[str, Any], connection: socket.socket
    ) -> tuple[int, dict[str, Any]] | None:
        if self.latency:
            time.sleep(self.latency)
        chat_key = str(params.get("chat_id", ""))
        with self._lock:
            if chat_key in self._blocked_chats:
                behaviour: Behaviour = forbidden()
            else:
                behaviour = self._script.popleft() if self._script else ok()
        if isinstance(behaviour, Hang):
            if not self._hold(connection):
                return None
            behaviour = ok()
        if behaviour.status != 200:
            return _error(behaviour.status, behaviour.description, behaviour.retry_after)
        refusal = _refusal(name, params)
        if refusal:
            return _error(400, refusal)
        with self._lock:
            message_id = self._last_message_id.get(chat_key, 0) + 1
            self._last_message_id[chat_key] = message_id
            is_photo = name == "sendphoto"
            message = PostedMessage(
                chat_id=params["chat_id"],
                text=str(params.get("caption" if is_photo else "text") or ""),
                photo=str(params["photo"]) if is_photo else None,
                message_id=message_id,
                parse_mode=params.get("parse_mode"),
                params=params,
                time=time.monotonic(),
            )
            self.messages.append(message)
        return 200, {
            "ok": True,
            "result": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": message.chat_id},
                ("caption" if is_photo else "text"): message.text,
            },
        }

    def _hold(self, connection: socket.socket) -> bool:
        """Hold the request until released (True) or until its client leaves or the fake
        stops (False)."""
        released = threading.Event()
        with self._changed:
            self._hung.append(released)
            self._changed.notify_all()
        try:
            while not released.wait(_HANG_POLL_SECONDS):
                if _client_gone(connection):
                    return False
            # Released at the moment the client gave up: it would never see the answer.
            return not self._stopping and not _client_gone(connection)
        finally:
            with self._lock:
                if released in self._hung:
                    self._hung.remove(released)

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        wait = min(float(params.get("timeout") or 0), UPDATES_WAIT_LIMIT_SECONDS)
        with self._changed:
            # As Telegram does: an offset confirms, and forgets, every update before it.
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._changed.wait_for(lambda: bool(self._updates) or self._stopping, wait)
            return [dict(update) for update in self._updates[:limit]]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeBotApi) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer's own looks its host name up in DNS, which tests must not touch.
        socketserver.TCPServer.server_bind(self)
        self.server_name = "127.0.0.1"
        self.server_port = self.server_address[1]

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out or a connection stop() dropped: nothing to report.
        pass


class _Handler(BaseHTTPRequestHandler):
    # Keep-alive, as Telegram serves: the client reuses its connection as in production.
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.fake._connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._connection_closed(self.connection)

    def do_GET(self) -> None:
        self._respond(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._respond(self.rfile.read(length) if length else b"")

    def _respond(self, body: bytes) -> None:
        url = urlsplit(self.path)
        answer = self.server.fake._answer(
            path=url.path,
            query=url.query,
            body=body,
            content_type=self.headers.get("Content-Type", ""),
            connection=self.connection,
        )
        if answer is None:
            self.close_connection = True
            return
        status, payload = answer
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        # Tests read .requests; a line per request on stderr would only bury their output.
        pass


def _error(
    status: int, description: str, retry_after: int | None = None
) -> tuple[int, dict[str, Any]]:
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        payload["parameters"] = {"retry_after": retry_after}
    return status, payload


def _params(query: str, body: bytes, content_type: str) -> dict[str, Any] | None:
    """The request's parameters from its query string and its JSON or form body; None when
    the body cannot be read."""
    params: dict[str, Any] = dict(parse_qsl(query))
    if not body:
        return params
    media_type = content_type.partition(";")[0].strip().lower()
    try:
        if media_type == "application/json":
            decoded = json.loads(body)
            if not isinstance(decoded, dict):
                return None
            params.update(decoded)
        elif media_type == "application/x-www-form-urlencoded":
            params.update(parse_qsl(body.decode(), strict_parsing=True))
        else:
            return None
    except ValueError:
        return None
    return params


def _refusal(name: str, params: dict[str, Any]) -> str:
    """Telegram's description of why it would refuse this send, or "" when it would post."""
    if params.get("chat_id") in (None, ""):
        return "Bad Request: chat_id is empty"
    is_photo = name == "sendphoto"
    if is_photo and not params.get("photo"):
        return "Bad Request: there is no photo in the request"
    text = str(params.get("caption" if is_photo else "text") or "")
    if not is_photo and not text.strip():
        return "Bad Request: message text is empty"
    if str(params.get("parse_mode", "")).lower() == "html":
        parser = _TelegramHtml()
        parser.feed(text)
        parser.close()
        if parser.problem:
            return f"Bad Request: can't parse entities: {parser.problem}"
        text = "".join(parser.text)
    # Telegram counts the text after parsing entities, in UTF-16 code units.
    length = len(text.encode("utf-16-le")) // 2
    if is_photo and length > CAPTION_LIMIT:
        return "Bad Request: message caption is too long"
    if not is_photo and length > TEXT_LIMIT:
        return "Bad Request: message is too long"
    return ""


class _TelegramHtml(HTMLParser):
    """The text of an HTML message, and the first thing in it Telegram would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.problem = ""
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TELEGRAM_TAGS:
            self.problem = self.problem or f'Unsupported start tag "{tag}"'
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1] != tag:
            self.problem = self.problem or f'Unexpected end tag "{tag}"'
            return
        self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def close(self) -> None:
        super().close()
        if self._open:
            self.problem = (
                self.problem or f'Can\'t find end tag corresponding to start tag "{self._open[-1]}"'
            )


def _client_gone(connection: socket.socket) -> bool:
    # A closed connection reads as ready with nothing to read; peeking leaves any bytes there.
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _drop(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
