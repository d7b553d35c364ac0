"""What the integrity pages share: encrypted uploads, the reporter's cookie, error pages."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .. import crypto
from ..models import EvidenceFile, Report
from ..services import Opened
from ..storage import EncryptedBlob, EncryptedUpload, EncryptingUploadHandler

REPORTER_COOKIE = "integrity_reporter"
REPORTER_PATH = "/integrity/"
View = Callable[..., HttpResponseBase]


def encrypted_uploads(view: View) -> View:
    """Files of this view are encrypted while they arrive (never a plaintext temporary file); any
    blob the view did not attach to a report is deleted afterwards, whatever happened."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        handler = EncryptingUploadHandler(request)
        request.upload_handlers = [handler]
        try:
            return protected(request, *args, **kwargs)
        finally:
            if handler.written:
                names = [blob.name for blob in handler.written]
                kept = set(EvidenceFile.objects.filter(blob__in=names).values_list("blob", flat=True))
                for blob in handler.written:
                    if blob.name not in kept:
                        blob.discard()

    return wrapper


def uploaded_blobs(request: HttpRequest, field: str = "evidence") -> list[EncryptedBlob]:
    return [item.blob for item in request.FILES.getlist(field) if isinstance(item, EncryptedUpload)]


def skipped_uploads(request: HttpRequest) -> int:
    for handler in getattr(request, "upload_handlers", []):
        if isinstance(handler, EncryptingUploadHandler):
            return handler.skipped
    return 0


def network(request: HttpRequest) -> str:
    """The keyed hash of the requester's network set by the privacy middleware."""
    return str(getattr(request, "integrity_network", "unknown"))


# --- The reporter's cookie -----------------------------------------------------------------------
# After the receipt opened a report, the browser holds the report's private key in a cookie sealed
# with a key derived from SECRET_KEY: the server keeps nothing between requests.


def _cookie_key() -> bytes:
    return hashlib.blake2b(settings.SECRET_KEY.encode(), person=b"integrity-rptr", digest_size=32).digest()


def _reporter_seconds() -> int:
    return int(getattr(settings, "INTEGRITY", {}).get("REPORTER_SECONDS", 1200))


def reporter_cookie_set(response: HttpResponse, opened: Opened) -> None:
    payload = json.dumps(
        {
            "r": str(opened.report.public_id),
            "v": opened.report.receipt_hash[:16],
            "k": crypto.b64(bytes(opened.private_key)),
            "e": int(time.time()) + _reporter_seconds(),
        }
    ).encode()
    response.set_cookie(
        REPORTER_COOKIE,
        crypto.b64(crypto.box_encrypt(_cookie_key(), payload)),
        path=REPORTER_PATH,
        httponly=True,
        samesite="Strict",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def reporter_cookie_clear(response: HttpResponse) -> None:
    response.delete_cookie(REPORTER_COOKIE, path=REPORTER_PATH, samesite="Strict")


def reporter_opened(request: HttpRequest) -> Opened | None:
    """The report this browser opened with its receipt, or None (no cookie, expired, changed
    receipt, erased report, or a cookie that does not open)."""
    from nacl.public import PrivateKey

    value = request.COOKIES.get(REPORTER_COOKIE)
    if not value:
        return None
    try:
        data = json.loads(crypto.box_decrypt(_cookie_key(), crypto.unb64(value)))
        if int(data["e"]) < time.time():
            return None
        report = Report.objects.filter(public_id=data["r"]).first()
        private_key = PrivateKey(crypto.unb64(data["k"]))
    except (crypto.DecryptionFailed, ValueError, KeyError, TypeError):
        return None
    if report is None or not crypto.constant_time_equal(report.receipt_hash[:16], str(data.get("v", ""))):
        return None
    if not crypto.constant_time_equal(bytes(private_key.public_key), bytes(report.public_key)):
        return None
    return Opened(report, private_key)
