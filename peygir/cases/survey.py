"""The satisfaction survey's single-use link: ``/survey/<tracking code>-<signature>/``.

The signature is a keyed hash (SECRET_KEY, salt ``peygir.feedback.survey``) of the tracking code and
the time of the response being rated, cut to 16 base64 characters (96 bits): short enough for the
response SMS, impossible to guess, and bound to one response — a case answered again after an
objection gets a new link, and the old one stops matching. "Single use" is the rating's own
constraint (one rating per response); no token table is needed.

It lives with the case because the response SMS (``notify.case_responded``) carries the link;
the survey itself (``peygir.feedback``) checks it.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.core.signing import b64_encode
from django.utils.crypto import salted_hmac

from .models import Case

SALT = "peygir.feedback.survey"  # kept: links already sent stay valid
SIGNATURE_LENGTH = 16


def _signature(tracking_code: str, responded_at: dt.datetime) -> str:
    value = f"{tracking_code}:{responded_at.astimezone(dt.UTC).isoformat()}"
    digest = salted_hmac(SALT, value, algorithm="sha256").digest()
    return b64_encode(digest)[:SIGNATURE_LENGTH].decode()


def survey_token(case: Case) -> str:
    """The survey token of the case's current response. Raises ValueError when it has none."""
    if case.responded_at is None:
        raise ValueError("a case without a response has no survey")
    return f"{case.tracking_code}-{_signature(case.tracking_code, case.responded_at)}"


@dataclass(frozen=True)
class ParsedToken:
    tracking_code: str
    signature: str


def survey_token_parse(token: str) -> ParsedToken | None:
    """The parts of a well-formed token, or None (then the link is simply bad)."""
    code, sep, signature = (token or "").partition("-")
    if not sep or not code.isdigit() or len(code) > 12 or len(signature) != SIGNATURE_LENGTH:
        return None
    return ParsedToken(tracking_code=code, signature=signature)


def survey_token_matches(case: Case, signature: str) -> bool:
    """True when ``signature`` was made for the case's current response (constant-time compare)."""
    if case.responded_at is None:
        return False
    expected = _signature(case.tracking_code, case.responded_at)
    return hmac.compare_digest(expected.encode(), signature.encode())
