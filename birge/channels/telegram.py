"""The Telegram Bot API over HTTP: one method per call the platform makes, and errors sorted by
what the caller should do next (wait, retry with backoff, or give up on the message or the chat).

The token is a password: it appears in no exception message, no repr and no log line written
here. Text is sent in Telegram's HTML parse mode; html_text and html_link build it from plain
text, and text_fit cuts plain text so that its escaped form fits Telegram's limits.
"""

import html
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Telegram's limits for one message's text and one photo's caption.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
ELLIPSIS = "…"

# Descriptions Telegram gives when a chat is unreachable for good, not for this one message.
_GONE_FORBIDDEN = (
    "bot was blocked by the user",
    "user is deactivated",
    "bot was kicked",
    "bot is not a member",
    "group chat was deleted",
)
_GONE_BAD_REQUEST = ("chat not found",)


class TelegramError(Exception):
    """A call to the Bot API that did not return a result."""

    def __init__(
        self,
        description: str,
        *,
        method: str,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.description = description
        self.method = method
        self.status = status
        self.retry_after = retry_after
        status_text = f"HTTP {status}" if status is not None else "no answer"
        super().__init__(f"Telegram {method}: {status_text}: {description}")


class RetryLater(TelegramError):
    """Telegram is throttling the bot: retry the same call after `retry_after` seconds (None
    when the answer did not say how long)."""


class TransientError(TelegramError):
    """No usable answer (a 5xx, a timeout, a refused or broken connection, a body that is not
    the API's JSON): the call may succeed if retried with backoff. A timed-out message may
    still have been posted."""


class PermanentError(TelegramError):
    """Telegram refused the call (a 4xx): the same call will fail again and is never retried."""

    @property
    def chat_gone(self) -> bool:
        """True when the chat can never be reached again (the user blocked the bot or deleted
        the account, the bot left the group, the chat does not exist): the subscription should
        end. False for every other refusal, including a wrong token, so that a configuration
        mistake never unsubscribes anyone."""
        description = self.description.lower()
        if self.status == 403:
            return any(phrase in description for phrase in _GONE_FORBIDDEN)
        if self.status == 400:
            return any(phrase in description for phrase in _GONE_BAD_REQUEST)
        return False


@dataclass
class BotApi:
    """A client of one bot. An instance belongs to one thread: it keeps a requests.Session
    (connection reuse), which is not safe to share between threads."""

    token: str = field(repr=False)
    base_url: str
    timeout: float
    _session: requests.Session | None = field(default=None, init=False, repr=False, compare=False)

    def call(self, method: str, **params: Any) -> Any:
        """The `result` of the API method called with `params` (None values left out); raises
        RetryLater, TransientError or PermanentError when there is none."""
        return self._post(method, params, timeout=self.timeout)

    def send_message(
        self, *, chat_id: int | str, text: str, reply_markup: dict[str, Any] | None = None
    ) -> int:
        """Post `text` (already HTML) to the chat without a link preview; returns the message's
        id in that chat."""
        result = self.call(
            "sendMessage",
            chat_id=chat_id,
            text=text,
            parse_mode="HTML",
            link_preview_options={"is_disabled": True},
            reply_markup=reply_markup,
        )
        return _message_id("sendMessage", result)

    def send_photo(self, *, chat_id: int | str, photo: str, caption: str) -> int:
        """Post the photo at the URL `photo` with `caption` (already HTML); returns the message's
        id in that chat."""
        result = self.call(
            "sendPhoto", chat_id=chat_id, photo=photo, caption=caption, parse_mode="HTML"
        )
        return _message_id("sendPhoto", result)

    def answer_callback_query(self, *, callback_query_id: str, text: str = "") -> None:
        """Stop the button's spinner, showing `text` as a notification when it is not empty."""
        self.call("answerCallbackQuery", callback_query_id=callback_query_id, text=text or None)

    def set_webhook(self, *, url: str, secret_token: str) -> None:
        """Have Telegram post updates to `url`, with `secret_token` in each call's
        X-Telegram-Bot-Api-Secret-Token header."""
        self.call("setWebhook", url=url, secret_token=secret_token)

    def get_updates(self, *, offset: int | None, timeout: int) -> list[dict[str, Any]]:
        """The updates from `offset` on (confirming those before it), waiting up to `timeout`
        seconds for one to arrive."""
        # Telegram holds a long poll open for `timeout` seconds: the HTTP timeout must outlast it.
        result = self._post(
            "getUpdates", {"offset": offset, "timeout": timeout}, timeout=timeout + self.timeout
        )
        if not isinstance(result, list):
            raise TransientError("the result is not a list of updates", method="getUpdates")
        return result

    def _post(self, method: str, params: dict[str, Any], *, timeout: float) -> Any:
        if self._session is None:
            self._session = requests.Session()
        body = {name: value for name, value in params.items() if value is not None}
        failure: TelegramError
        try:
            response = self._session.post(
                f"{self.base_url}/bot{self.token}/{method}", json=body, timeout=timeout
            )
        except requests.RequestException as error:
            failure = _request_failure(method, error, token=self.token)
        else:
            return _result(method, response)
        # Raised outside the except block so that requests' exception, whose message and
        # request hold the URL with the token, is not chained to it (and so not logged with it).
        raise failure


def _request_failure(method: str, error: Exception, *, token: str) -> TelegramError:
    description = f"{type(error).__name__}: {error}"
    if token:
        description = description.replace(token, "<token>")
    if isinstance(
        error,
        requests.exceptions.InvalidURL
        | requests.exceptions.InvalidSchema
        | requests.exceptions.MissingSchema,
    ):
        # TELEGRAM_API_BASE_URL is wrong: retrying cannot help.
        return PermanentError(description, method=method)
    return TransientError(description, method=method)


def _result(method: str, response: Any) -> Any:
    status: int = response.status_code
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        answer = None
    if answer is not None and answer.get("ok") is True and 200 <= status < 300:
        return answer.get("result")
    description = (answer or {}).get("description")
    if not isinstance(description, str) or not description:
        description = response.reason or "no description"
    if answer is None:
        description = f"the answer is not the API's JSON ({description})"
    parameters = (answer or {}).get("parameters")
    retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
    if not isinstance(retry_after, int | float) or isinstance(retry_after, bool):
        retry_after = None
    if status == 429 or retry_after is not None:
        raise RetryLater(description, method=method, status=status, retry_after=retry_after)
    if 400 <= status < 500:
        raise PermanentError(description, method=method, status=status)
    raise TransientError(description, method=method, status=status)


def _message_id(method: str, result: Any) -> int:
    message_id = result.get("message_id") if isinstance(result, dict) else None
    if not isinstance(message_id, int):
        # Telegram said ok, so the message is most likely posted: retrying would post it twice.
        raise PermanentError("the result has no message_id", method=method, status=200)
    return message_id


def bot_api() -> BotApi:
    """A client of the bot configured in settings; raises ImproperlyConfigured when
    TELEGRAM_BOT_TOKEN is empty."""
    token: str = settings.TELEGRAM_BOT_TOKEN
    if not token:
        raise ImproperlyConfigured("TELEGRAM_BOT_TOKEN is empty: the bot cannot call Telegram.")
    return BotApi(
        token=token,
        base_url=settings.TELEGRAM_API_BASE_URL.rstrip("/"),
        timeout=settings.TELEGRAM_TIMEOUT_SECONDS,
    )


def html_text(text: str) -> str:
    """`text` shown as itself in Telegram's HTML parse mode (&, < and > escaped; quotes need no
    escaping there outside an attribute)."""
    return html.escape(text, quote=False)


def html_link(url: str, label: str) -> str:
    """A link to `url` reading `label`, both escaped for Telegram's HTML parse mode."""
    href = html_text(url).replace('"', "&quot;")
    return f'<a href="{href}">{html_text(label)}</a>'


def _telegram_length(text: str) -> int:
    # Telegram measures text in UTF-16 code units: an emoji outside the BMP counts as two.
    return len(text.encode("utf-16-le")) // 2


def text_fit(text: str, limit: int) -> str:
    """`text` itself when html_text(text) fits in `limit`; otherwise its beginning, cut at a
    word boundary and ended with "…", such that html_text(result) fits. Lengths are counted
    as Telegram counts them (UTF-16 code units), never fewer than len()."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    # The escaped length is an upper bound of what Telegram counts (it counts after parsing
    # the entities), so a text that fits here fits there, in a caption or in a message.
    if _telegram_length(html_text(text)) <= limit:
        return text
    budget = limit - _telegram_length(ELLIPSIS)
    used = 0
    end = 0
    for char in text:
        used += _telegram_length(html_text(char))
        if used > budget:
            break
        end += 1
    head = text[:end]
    if not text[end].isspace():
        last_space = max((index for index, char in enumerate(head) if char.isspace()), default=-1)
        # A cut in the middle of a word is kept when the last space is in the first half: one
        # long URL must not shrink the text to a few words.
        if last_space >= end // 2:
            head = head[:last_space]
    return head.rstrip() + ELLIPSIS
