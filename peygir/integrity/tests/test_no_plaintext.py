"""A scan of every integrity table and stored file for known plaintext."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from peygir.integrity.services import report_open, reporter_message_post
from peygir.notifications.models import Notification

from .conftest import receipt_of, submit_web, unlocked

MARKERS = {
    "what": "MARKER-WHAT-رشوه-پروانه",
    "who": "MARKER-WHO-مدیر",
    "where": "MARKER-WHERE-منطقه",
    "name": "MARKER-NAME-پرستو",
    "contact": "MARKER-CONTACT-0912",
    "file_name": "MARKER-FILENAME-سند.pdf",
    "file_body": "MARKER-FILEBODY-secret-ledger",
    "reply": "MARKER-REPLY-پاسخ",
    "question": "MARKER-QUESTION-پرسش",
    "decision": "MARKER-DECISION-تصمیم",
    "authority": "MARKER-AUTHORITY-بازرسی",
    "reason": "MARKER-REASON-دلیل",
}


def _table_dump() -> str:
    parts = []
    with connection.cursor() as cursor:
        for model in apps.get_app_config("integrity").get_models():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        parts.append(bytes(value).decode("utf-8", "replace"))
                        parts.append(bytes(value).hex())
                    else:
                        parts.append(str(value))
    return "\n".join(parts)


@pytest.mark.django_db
def test_no_known_plaintext_in_any_integrity_table_or_stored_file(handler_a, custodian, settings):
    client = Client()
    response = submit_web(
        client,
        {
            "what": MARKERS["what"],
            "who": MARKERS["who"],
            "where": MARKERS["where"],
            "identify": "on",
            "name": MARKERS["name"],
            "contact": MARKERS["contact"],
        },
        files=[SimpleUploadedFile(MARKERS["file_name"], MARKERS["file_body"].encode() * 5000)],
    )
    receipt = receipt_of(response)
    opened = report_open(receipt=receipt, network="test")
    reporter_message_post(opened=opened, text=MARKERS["reply"])
    staff = unlocked(handler_a)
    base = f"/staff/integrity/r/{opened.report.public_id}/"
    staff.post(f"{base}message/", {"text": MARKERS["question"]})
    staff.post(f"{base}status/", {"status": "acknowledged"})
    staff.post(
        f"{base}decision/",
        {"kind": "referral", "authority": MARKERS["authority"], "text": MARKERS["decision"]},
    )
    staff.post(f"{base}identity/", {"reason": MARKERS["reason"]})
    # Everything is readable through the keys...
    page = staff.get(base).content.decode()
    for name in ("what", "who", "reply", "question", "decision", "authority"):
        assert MARKERS[name] in page, name

    dump = _table_dump()
    files = list((Path(settings.MEDIA_ROOT) / "integrity").rglob("*"))
    assert len(files) == 1
    blobs = b"".join(path.read_bytes() for path in files if path.is_file())
    for name, marker in MARKERS.items():
        assert marker not in dump, name
        assert marker.encode().hex() not in dump, name
        assert marker.encode() not in blobs, name
        assert not any(marker in path.name for path in files), name
    assert receipt not in dump
    # ...and nothing of it went out through the notifications outbox.
    outbox = " ".join(f"{n.subject} {n.body} {n.payload}" for n in Notification.objects.all())
    for marker in MARKERS.values():
        assert marker not in outbox
