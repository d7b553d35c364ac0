"""The bot's buttons and reply keyboards (Bot API ``ReplyKeyboardMarkup``), in Persian.

A button sends its own label as the citizen's text, so a label is both what is shown and what is
recognised: ``button_is`` compares them loosely (no emoji, folded letters and digits) so a citizen
who types «انصراف» by hand is understood as well as one who taps «❌ انصراف».
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from peygir.core.text import normalize_for_search, to_persian_digits

# What is left of a label for matching: letters, digits and spaces.
_NOT_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
# Hamza seats people leave out when typing: «تایید» is «تأیید».
_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ی"})


def _key(label: str) -> str:
    return normalize_for_search(_NOT_WORD.sub(" ", label)).translate(_HAMZA)


def button_is(text: str, label: str) -> bool:
    """True when the citizen's ``text`` is the button ``label`` (tapped or typed)."""
    return bool(text) and _key(text) == _key(label)


def btn_register() -> str:
    return _("📝 ثبت پیام تازه")


def btn_track() -> str:
    return _("🔎 پیگیری با کد رهگیری")


def btn_my_cases() -> str:
    return _("📂 پیام‌های من")


def btn_rate() -> str:
    return _("⭐ امتیاز به پاسخ")


def btn_help() -> str:
    return _("❓ راهنما")


def btn_cancel() -> str:
    return _("❌ انصراف")


def btn_skip() -> str:
    return _("⏭ رد شدن")


def btn_confirm() -> str:
    return _("✅ تأیید و ثبت")


def btn_send_location() -> str:
    return _("📍 فرستادن موقعیت من")


def btn_send_contact() -> str:
    return _("📱 فرستادن شماره همراه من")


def btn_fixed_yes() -> str:
    return _("👍 بله، مشکل رفع شد")


def btn_fixed_no() -> str:
    return _("👎 خیر، رفع نشد")


def score_label(score: int) -> str:
    return "⭐" * score + " " + to_persian_digits(score)


def _markup(rows: Iterable[Sequence[str | dict[str, Any]]]) -> dict[str, Any]:
    return {
        "keyboard": [[item if isinstance(item, dict) else {"text": item} for item in row] for row in rows],
        "resize_keyboard": True,
    }


def main_keyboard() -> dict[str, Any]:
    return _markup([[btn_register()], [btn_track(), btn_my_cases()], [btn_rate(), btn_help()]])


def cancel_keyboard() -> dict[str, Any]:
    return _markup([[btn_cancel()]])


def contact_keyboard() -> dict[str, Any]:
    return _markup([[{"text": btn_send_contact(), "request_contact": True}], [btn_cancel()]])


def location_keyboard() -> dict[str, Any]:
    return _markup([[{"text": btn_send_location(), "request_location": True}], [btn_skip()], [btn_cancel()]])


def photo_keyboard() -> dict[str, Any]:
    return _markup([[btn_skip()], [btn_cancel()]])


def confirm_keyboard() -> dict[str, Any]:
    return _markup([[btn_confirm()], [btn_cancel()]])


def choices_keyboard(labels: Sequence[str], *, per_row: int = 2) -> dict[str, Any]:
    """The labels two to a row (the right-to-left client puts the first on the right), then cancel."""
    rows = [list(labels[start : start + per_row]) for start in range(0, len(labels), per_row)]
    return _markup([*rows, [btn_cancel()]])


def score_keyboard() -> dict[str, Any]:
    return _markup([[score_label(score)] for score in range(5, 0, -1)] + [[btn_cancel()]])


def fixed_keyboard() -> dict[str, Any]:
    return _markup([[btn_fixed_yes(), btn_fixed_no()], [btn_cancel()]])
