"""Tracking codes: nine digits, the last a Damm check digit.

Digits only, because the code is read aloud on the phone and typed on any keyboard (Persian digits
are accepted and converted). The Damm check digit catches every single-digit mistake and every
swap of two adjacent digits, so a mistyped code is rejected instead of matching another case.
"""

from __future__ import annotations

import re
import secrets

from peygir.core.text import to_latin_digits

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
BODY_LENGTH = 8
CODE_LENGTH = BODY_LENGTH + 1
_SEPARATORS = re.compile(r"[\s\-_]")


def damm_digit(digits: str) -> int:
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return interim


def generate_tracking_code() -> str:
    """A fresh random code; uniqueness is enforced by the database (the caller retries)."""
    body = str(secrets.randbelow(9) + 1) + "".join(str(secrets.randbelow(10)) for _ in range(BODY_LENGTH - 1))
    return body + str(damm_digit(body))


def clean_tracking_code(value: str | None) -> str | None:
    """The code in canonical form, or None when it cannot be a valid code (wrong length, check digit)."""
    if not value:
        return None
    code = _SEPARATORS.sub("", to_latin_digits(value))
    if len(code) != CODE_LENGTH or not code.isdigit() or code[0] == "0":
        return None
    return code if damm_digit(code) == 0 else None
