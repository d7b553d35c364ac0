"""The arithmetic of a text message: encoding, parts, fitting a text into a budget, quiet hours.

An SMS is 140 bytes. Text that fits the GSM 03.38 alphabet travels as 7-bit septets: 160 per
message, 153 per part of a concatenated message (the rest carries the concatenation header).
Anything else, Persian included, travels as UCS-2: 70 characters, 67 per part. One Persian letter
therefore turns a 160-character message into a 70-character one, and every part is billed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from zoneinfo import ZoneInfo

# GSM 03.38: the basic table (one septet) and the extension table (escape + septet = two).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

# Quiet hours are a rule of Tehran's clock, whatever the server's time zone.
TEHRAN = ZoneInfo("Asia/Tehran")

# Characters dropped before an ellipsis, so a cut text does not end "،…".
_TRAILING = " \t\n\r،,.;:؛-—"


def sms_is_gsm7(text: str) -> bool:
    """Whether the text can travel in the 7-bit GSM alphabet (otherwise it goes as UCS-2)."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def sms_length(text: str) -> int:
    """The text's length in the units its encoding counts: septets for GSM-7, UTF-16 code units
    for UCS-2 (a character outside the Basic Multilingual Plane, an emoji, takes two)."""
    if sms_is_gsm7(text):
        return len(text) + sum(ch in GSM7_EXTENDED for ch in text)
    return len(text.encode("utf-16-le")) // 2


def sms_parts(text: str) -> int:
    """How many SMS parts the text is sent (and billed) as: GSM-7 160 / 153, UCS-2 70 / 67.

    An empty text is still one message.
    """
    length = sms_length(text)
    single, part = (GSM7_SINGLE, GSM7_PART) if sms_is_gsm7(text) else (UCS2_SINGLE, UCS2_PART)
    if length <= single:
        return 1
    return math.ceil(length / part)


def _with_kept(head: str, keep: list[str]) -> str:
    ellipsis = "..." if sms_is_gsm7(head + "".join(keep)) else "…"
    lost = [token for token in keep if token not in head]
    return head.rstrip(_TRAILING) + ellipsis + "".join(" " + token for token in lost)


def sms_fit(text: str, *, max_parts: int = 2, keep: Iterable[str] = ()) -> str:
    """The text itself if it fits in ``max_parts`` parts, else shortened on purpose to fit.

    The cut falls on the last word boundary that fits and is marked with an ellipsis; every
    ``keep`` string (the tracking code, a link) that the text contains survives whole: one that
    would fall in the cut part is appended after the ellipsis. Only a text without a usable word
    boundary is cut mid-word. Raises nothing.
    """
    if max_parts < 1:
        raise ValueError("max_parts must be at least 1")
    if sms_parts(text) <= max_parts:
        return text
    tokens = [token for token in dict.fromkeys(keep) if token and token in text]
    for cut in range(len(text) - 1, 0, -1):
        if not text[cut].isspace():
            continue
        candidate = _with_kept(text[:cut], tokens)
        if candidate.strip(_TRAILING + "….") and sms_parts(candidate) <= max_parts:
            return candidate
    for cut in range(len(text) - 1, -1, -1):
        candidate = _with_kept(text[:cut], tokens)
        if sms_parts(candidate) <= max_parts:
            return candidate
    # Even the kept strings alone are too long: nothing polite is left to do but cut them.
    joined = " ".join(tokens)
    while joined and sms_parts(joined) > max_parts:
        joined = joined[:-1]
    return joined


def quiet_hours_end(at: dt.datetime, window: str) -> dt.datetime | None:
    """When the quiet period that ``at`` falls in ends (an aware datetime), or None if ``at`` is
    outside it. ``window`` is ``"HH:MM-HH:MM"`` in Tehran time and may run past midnight
    (``"22:00-07:00"``); an empty window means no quiet hours. Raises ValueError for a malformed one.
    """
    if not window.strip():
        return None
    start_text, end_text = (part.strip() for part in window.split("-", 1))
    start = dt.time.fromisoformat(start_text)
    end = dt.time.fromisoformat(end_text)
    local = at.astimezone(TEHRAN)
    now = local.time()
    if start <= end:
        if not start <= now < end:
            return None
        end_day = local.date()
    else:
        if end <= now < start:
            return None
        end_day = local.date() + dt.timedelta(days=1) if now >= start else local.date()
    return dt.datetime.combine(end_day, end, tzinfo=TEHRAN)
