"""Persian text normalisation.

Citizens type Arabic ي/ك on many keyboards, mix Persian, Arabic-Indic and Latin digits, and drop or
double the zero-width non-joiner (ZWNJ, U+200C). Every text is normalised once, at the input
boundary, so that storage, search and comparison all see one spelling.
"""

from __future__ import annotations

import re
import unicodedata

ZWNJ = "\u200c"

_LETTER_MAP = str.maketrans(
    {
        "\u064a": "\u06cc",  # ARABIC YEH -> FARSI YEH
        "\u0649": "\u06cc",  # ALEF MAKSURA -> FARSI YEH
        "\u0643": "\u06a9",  # ARABIC KAF -> KEHEH
        "\u0629": "\u0647",  # TEH MARBUTA -> HEH
        "\u06c0": "\u0647\u0654",  # HEH WITH YEH ABOVE (ۀ) -> HEH + HAMZA ABOVE (ه‌ٔ, Persian form)
        "\u06d5": "\u0647",  # AE -> HEH
        "\u200b": "",  # ZERO WIDTH SPACE
        "\ufeff": "",  # BYTE ORDER MARK
        "\u200e": "",  # LEFT-TO-RIGHT MARK
        "\u200f": "",  # RIGHT-TO-LEFT MARK
        "\u00a0": " ",  # NO-BREAK SPACE
    }
)

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_LATIN_DIGITS = "0123456789"
_TO_LATIN = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, _LATIN_DIGITS * 2)
_TO_PERSIAN = str.maketrans(_LATIN_DIGITS + _ARABIC_DIGITS, _PERSIAN_DIGITS * 2)

# Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef) and tatweel: dropped for search.
_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u0640]")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_MANY_ZWNJ = re.compile(ZWNJ + "{2,}")
# A ZWNJ next to a space or at a word edge joins nothing: remove it.
_STRAY_ZWNJ = re.compile(rf"(?<=\s){ZWNJ}|{ZWNJ}(?=\s)|^{ZWNJ}|{ZWNJ}$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")


def to_latin_digits(value: str) -> str:
    """Persian and Arabic-Indic digits to Latin, for codes, phone numbers and amounts."""
    return value.translate(_TO_LATIN)


def to_persian_digits(value: object) -> str:
    """Latin and Arabic-Indic digits to Persian, for display."""
    return str(value).translate(_TO_PERSIAN)


def normalize_text(value: str | None) -> str:
    """The one spelling Peygir stores: Persian letters, clean spaces and ZWNJ, NFC.

    Digits inside free text are left as the citizen wrote them (a Persian sentence keeps its
    Persian digits); use :func:`to_latin_digits` where a number is meant.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFC", value).translate(_LETTER_MAP)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _MANY_ZWNJ.sub(ZWNJ, text)
    text = _SPACES.sub(" ", text)
    text = _STRAY_ZWNJ.sub("", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def normalize_for_search(value: str | None) -> str:
    """A folded form for matching: normalised, no diacritics or ZWNJ, Latin digits, lower case.

    ZWNJ becomes a space so "می‌خواهم", "میخواهم" and "می خواهم" all meet at word boundaries
    the same way; the hamza on ۀ is dropped so "خانهٔ" and "خانه" match.
    """
    text = normalize_text(value)
    text = _DIACRITICS.sub("", text).replace("\u0654", "")
    text = text.replace(ZWNJ, " ")
    text = to_latin_digits(text).casefold()
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


_MOBILE = re.compile(r"^09\d{9}$")


def normalize_mobile(value: str | None) -> str | None:
    """An Iranian mobile number as 09xxxxxxxxx, or None when it is not one.

    Accepts Persian digits, spaces and dashes, and the +98 / 0098 / 98 prefixes.
    """
    if not value:
        return None
    digits = re.sub(r"[\s\-().]", "", to_latin_digits(value))
    if digits.startswith("+98"):
        digits = "0" + digits[3:]
    elif digits.startswith("0098"):
        digits = "0" + digits[4:]
    elif digits.startswith("98") and len(digits) == 12:
        digits = "0" + digits[2:]
    elif digits.startswith("9") and len(digits) == 10:
        digits = "0" + digits
    return digits if _MOBILE.match(digits) else None


def mask_mobile(value: str) -> str:
    """0912***4567: enough for a citizen to recognise their own number, not enough to call it."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]
