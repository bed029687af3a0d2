"""What the bot reads from a Telegram update: one flat view of the shapes it handles.

Telegram sends a dozen kinds of update with optional fields everywhere; everything the
conversation needs is read here once, so a missing or odd field is a kind it answers politely,
never an exception deeper in.
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Incoming:
    update_id: int
    kind: str  # one of the KIND_* below
    chat_id: str = ""
    private: bool = False
    language_code: str = ""
    text: str = ""
    forwarded: bool = False
    callback_id: str = ""
    callback_data: str = ""

    @property
    def command(self) -> tuple[str, str]:
        """("/name", "argument") for a command message, ("", "") otherwise; "/ask@birge_bot"
        reads as "/ask"."""
        if self.kind != KIND_TEXT or self.forwarded or not self.text.startswith("/"):
            return "", ""
        head, _, argument = self.text.partition(" ")
        return head.partition("@")[0].lower(), argument.strip()


KIND_TEXT = "text"  # a message with text, or a caption under a photo or a document
KIND_MEDIA = "media"  # a sticker, a photo without a caption, a voice message, a location…
KIND_EDITED = "edited"
KIND_BUTTON = "button"  # a press on an inline keyboard's button
KIND_BLOCKED = "blocked"  # the citizen blocked the bot or deleted the chat
KIND_OTHER = "other"  # anything else: a channel post, a poll, a member joining a group


def _chat(message: dict[str, Any]) -> tuple[str, bool]:
    chat = message.get("chat")
    if not isinstance(chat, dict) or "id" not in chat:
        return "", False
    return str(chat["id"]), chat.get("type") == "private"


def _language_code(container: dict[str, Any]) -> str:
    sender = container.get("from")
    code = sender.get("language_code") if isinstance(sender, dict) else None
    return code[:2].lower() if isinstance(code, str) else ""


def incoming_read(update: dict[str, Any]) -> Incoming:
    """The update as the conversation sees it; `update` has an integer update_id."""
    update_id = int(update["update_id"])
    message = update.get("message")
    if isinstance(message, dict):
        chat_id, private = _chat(message)
        text = message.get("text")
        if not isinstance(text, str):
            text = message.get("caption")
        forwarded = any(
            key in message for key in ("forward_origin", "forward_from", "forward_date")
        )
        return Incoming(
            update_id=update_id,
            kind=KIND_TEXT if isinstance(text, str) and text.strip() else KIND_MEDIA,
            chat_id=chat_id,
            private=private,
            language_code=_language_code(message),
            text=text if isinstance(text, str) else "",
            forwarded=forwarded,
        )
    edited = update.get("edited_message")
    if isinstance(edited, dict):
        chat_id, private = _chat(edited)
        return Incoming(
            update_id=update_id,
            kind=KIND_EDITED,
            chat_id=chat_id,
            private=private,
            language_code=_language_code(edited),
        )
    callback = update.get("callback_query")
    if isinstance(callback, dict) and isinstance(callback.get("id"), str):
        chat_id, private = _chat(callback.get("message") or {})
        data = callback.get("data")
        return Incoming(
            update_id=update_id,
            kind=KIND_BUTTON,
            chat_id=chat_id,
            private=private,
            language_code=_language_code(callback),
            callback_id=callback["id"],
            callback_data=data if isinstance(data, str) else "",
        )
    member = update.get("my_chat_member")
    if isinstance(member, dict):
        chat_id, private = _chat(member)
        status = (member.get("new_chat_member") or {}).get("status")
        if private and status == "kicked":
            return Incoming(update_id=update_id, kind=KIND_BLOCKED, chat_id=chat_id, private=True)
    return Incoming(update_id=update_id, kind=KIND_OTHER)
