"""What a Bot API update carries, read once at the boundary into plain values.

Only private chats are served: in a group the chat is not one citizen. Text is normalised here
(``normalize_text``); a contact carries the messenger's own ``user_id`` of the person it belongs to,
which is how the bot tells a citizen's own number from one forwarded from their address book.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peygir.core.text import normalize_text


class Kind:
    TEXT = "text"
    COMMAND = "command"
    LOCATION = "location"
    CONTACT = "contact"
    PHOTO = "photo"
    OTHER = "other"


@dataclass(frozen=True)
class Incoming:
    """One message of a private chat, as the conversation needs it."""

    update_id: int
    chat_id: str
    sender_id: str
    kind: str
    text: str = ""
    command: str = ""
    lat: float | None = None
    lon: float | None = None
    contact_user_id: str = ""
    contact_phone: str = ""
    file_id: str = ""
    file_size: int | None = None


def _id(value: Any) -> str:
    """A chat or user id as text; ids are integers (up to 52 bits) in the Bot API."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return ""
    text = str(value).strip()
    return text if text.lstrip("-").isdigit() and len(text) <= 32 else ""


def update_id_of(update: Any) -> int | None:
    if not isinstance(update, dict):
        return None
    value = update.get("update_id")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def chat_id_of(update: dict[str, Any]) -> str:
    """The chat an update belongs to, whatever its kind ("" when it names none)."""
    for key in ("message", "edited_message", "channel_post", "my_chat_member", "callback_query"):
        part = update.get(key)
        if isinstance(part, dict):
            if key == "callback_query":
                part = part.get("message") or {}
            chat = part.get("chat") if isinstance(part, dict) else None
            if isinstance(chat, dict):
                return _id(chat.get("id"))
    return ""


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _photo(message: dict[str, Any]) -> tuple[str, int | None] | None:
    """The file id (and size) of the largest version of a photo, or of an image sent as a file."""
    sizes = message.get("photo")
    if isinstance(sizes, list):
        candidates = [
            size for size in sizes if isinstance(size, dict) and isinstance(size.get("file_id"), str)
        ]
        if candidates:
            best = max(
                candidates, key=lambda size: int(size.get("width") or 0) * int(size.get("height") or 0)
            )
            file_size = best.get("file_size")
            return best["file_id"], file_size if isinstance(file_size, int) else None
    document = message.get("document")
    if (
        isinstance(document, dict)
        and str(document.get("mime_type", "")).startswith("image/")
        and isinstance(document.get("file_id"), str)
    ):
        file_size = document.get("file_size")
        return document["file_id"], file_size if isinstance(file_size, int) else None
    return None


def incoming_from(update: dict[str, Any]) -> Incoming | None:
    """The private-chat message of an update, or None for anything else (edits, groups, buttons
    of other bots, membership changes): those are recorded and left unanswered."""
    update_id = update_id_of(update)
    message = update.get("message")
    if update_id is None or not isinstance(message, dict):
        return None
    chat = message.get("chat")
    sender = message.get("from")
    if not isinstance(chat, dict) or chat.get("type") != "private" or not isinstance(sender, dict):
        return None
    chat_id, sender_id = _id(chat.get("id")), _id(sender.get("id"))
    if not chat_id or not sender_id:
        return None
    base: dict[str, Any] = {"update_id": update_id, "chat_id": chat_id, "sender_id": sender_id}
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        cleaned = normalize_text(text)
        if cleaned.startswith("/"):
            # "/start@CityBot payload": the command without the bot's name, then its argument.
            head, _sep, rest = cleaned.partition(" ")
            command = head[1:].split("@", 1)[0].casefold()
            return Incoming(**base, kind=Kind.COMMAND, command=command, text=rest.strip())
        return Incoming(**base, kind=Kind.TEXT, text=cleaned)
    location = message.get("location")
    if isinstance(location, dict):
        lat, lon = _float(location.get("latitude")), _float(location.get("longitude"))
        if lat is not None and lon is not None:
            return Incoming(**base, kind=Kind.LOCATION, lat=lat, lon=lon)
    contact = message.get("contact")
    if isinstance(contact, dict):
        return Incoming(
            **base,
            kind=Kind.CONTACT,
            contact_user_id=_id(contact.get("user_id")),
            contact_phone=str(contact.get("phone_number") or "")[:32],
        )
    photo = _photo(message)
    if photo is not None:
        caption = message.get("caption")
        return Incoming(
            **base,
            kind=Kind.PHOTO,
            file_id=photo[0],
            file_size=photo[1],
            text=normalize_text(caption) if isinstance(caption, str) else "",
        )
    return Incoming(**base, kind=Kind.OTHER)


def summary_of(update: dict[str, Any], incoming: Incoming | None) -> str:
    """What is kept of an update as the inbound message's text: the text itself, or a short mark."""
    if incoming is None:
        kinds = [key for key in update if key != "update_id"]
        return f"[{kinds[0] if kinds else 'empty'}]"[:100]
    if incoming.kind == Kind.COMMAND:
        return f"/{incoming.command} {incoming.text}".strip()
    if incoming.kind == Kind.TEXT:
        return incoming.text
    if incoming.kind == Kind.LOCATION:
        return f"[location {incoming.lat:.6f},{incoming.lon:.6f}]"
    if incoming.kind == Kind.CONTACT:
        # The number itself is not kept here: a refused contact may be someone else's.
        return "[contact]"
    if incoming.kind == Kind.PHOTO:
        return f"[photo] {incoming.text}".strip()
    return "[other]"
