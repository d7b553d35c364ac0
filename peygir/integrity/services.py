"""Writes of the integrity channel on the reporter's side: a new report, the receipt, the reporter's
messages and evidence. Handler actions are in ``handling.py``; retention in ``retention.py``.

Every write seals what people wrote to the report's public key and appends to the channel's own
audit log in the same transaction; reporter actions are logged without an actor.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from nacl.public import PrivateKey

from peygir.core.db import compare_and_swap
from peygir.core.errors import Conflict, RateLimited, ValidationError
from peygir.core.text import normalize_text
from peygir.notifications.models import Notification
from peygir.notifications.services import notification_enqueue

from . import crypto, throttle
from .audit import REPORTER, integrity_audit_record
from .models import (
    EvidenceFile,
    Installation,
    IntegrityRole,
    KeyPair,
    Message,
    Report,
    ReportAccess,
    ReportIdentity,
)
from .storage import EncryptedBlob

# "history" is filled only for a case moved from the ordinary flow (its earlier notes).
ANSWER_FIELDS = ("what", "who", "where", "when", "how_known", "history")
IDENTITY_FIELDS = ("name", "contact", "note")
MAX_TEXT = 10_000


@dataclass(frozen=True)
class Opened:
    """A report opened with its receipt: the row and the report's private key."""

    report: Report
    private_key: PrivateKey


def pack(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")


def unpack(data: bytes) -> Any:
    return json.loads(data.decode("utf-8"))


def installation_salt() -> bytes:
    """This installation's receipt salt (made on first use, then fixed)."""
    row = Installation.objects.order_by("id").first()
    if row is None:
        with transaction.atomic():
            row = Installation.objects.select_for_update().order_by(
                "id"
            ).first() or Installation.objects.create(receipt_salt=crypto.new_salt())
    return bytes(row.receipt_salt)


def _clean_answers(answers: dict[str, str]) -> dict[str, str]:
    cleaned = {name: normalize_text(answers.get(name) or "")[:MAX_TEXT] for name in ANSWER_FIELDS}
    if not cleaned["what"]:
        raise ValidationError(_("بنویسید چه اتفاقی افتاده است."), code="what_required")
    return cleaned


def _clean_identity(identity: dict[str, str] | None) -> dict[str, str] | None:
    if not identity:
        return None
    cleaned = {name: normalize_text(identity.get(name) or "")[:1000] for name in IDENTITY_FIELDS}
    return cleaned if any(cleaned.values()) else None


def intake_handlers() -> list[tuple[Any, bytes]]:
    """Active handlers who receive new reports and have keys: (user, public key)."""
    user_ids = IntegrityRole.objects.filter(
        role=IntegrityRole.Role.HANDLER, is_active=True, receives_new=True, user__is_active=True
    ).values_list("user_id", flat=True)
    return [
        (keypair.user, bytes(keypair.public_key))
        for keypair in KeyPair.objects.filter(user_id__in=list(user_ids))
        .select_related("user")
        .order_by("user_id")
    ]


def channel_ready() -> bool:
    return bool(intake_handlers())


def _notify(users: Sequence[Any], *, kind: str, report: Report, subject: str, body: str, key: str) -> None:
    """An in-app notice to handlers; it names the report's short reference and nothing of its content."""
    for user in users:
        notification_enqueue(
            channel=Notification.Channel.INAPP,
            to_user=user,
            kind=kind,
            subject=subject,
            body=body,
            dedupe_key=f"{kind}:{report.public_id}:{key}:{user.pk}",
        )


def _handlers_of(report: Report) -> list[Any]:
    return [access.user for access in ReportAccess.objects.filter(report=report).select_related("user")]


def _attach(report: Report, blobs: Sequence[EncryptedBlob], author: str, today: Any) -> int:
    public_key = bytes(report.public_key)
    for blob in blobs:
        EvidenceFile.objects.create(
            report=report,
            author=author,
            blob=blob.name,
            key_box=crypto.seal(public_key, blob.key),
            meta_box=crypto.seal(
                public_key,
                pack({"name": blob.filename[:200], "type": blob.content_type[:100], "size": blob.size}),
            ),
            created_on=today,
        )
    return len(blobs)


def report_submit(
    *,
    answers: dict[str, str],
    identity: dict[str, str] | None = None,
    blobs: Sequence[EncryptedBlob] = (),
    channel: str = Report.Channel.WEB,
    actor: Any = None,
) -> tuple[Report, str]:
    """Register a report and return it with its receipt (to be shown once, never stored).

    A fresh key pair is made for the report; answers, identity and files are sealed to it; its
    private key is sealed to every intake handler with keys and wrapped under Argon2id(receipt).
    ``actor`` is the agent (phone) or supervisor (moved case) acting for the reporter, None on the
    web; in both former cases the reporter must change the receipt at first use. Raises
    ValidationError for an empty report, Conflict when no handler has keys yet (nobody could read
    it). Sets off: an in-app notice to the intake handlers. The blobs are deleted on failure.
    """
    try:
        cleaned = _clean_answers(answers)
        person = _clean_identity(identity)
        handlers = intake_handlers()
        if not handlers:
            raise Conflict(_("کانال گزارش فساد هنوز رسیدگی‌کننده‌ای با کلید ندارد؛ لطفاً بعداً تلاش کنید."))
        receipt = crypto.receipt_new()
        report_key = crypto.new_key_pair()
        public_key = bytes(report_key.public_key)
        salt = crypto.new_salt()
        reporter_key = crypto.derive_key(receipt, salt=salt, cost=crypto.key_cost())
        lookup = crypto.receipt_lookup_hash(receipt, installation_salt=installation_salt())
        today = timezone.localdate()
        with transaction.atomic():
            report = Report.objects.create(
                channel=channel,
                receipt_hash=lookup,
                reporter_salt=salt,
                reporter_box=crypto.wrap_private_key(reporter_key, report_key),
                public_key=public_key,
                answers=crypto.seal(public_key, pack(cleaned)),
                has_identity=person is not None,
                receipt_change_required=actor is not None,
                created_on=today,
                updated_on=today,
            )
            if person is not None:
                ReportIdentity.objects.create(report=report, box=crypto.seal(public_key, pack(person)))
            for user, handler_key in handlers:
                ReportAccess.objects.create(
                    report=report,
                    user=user,
                    sealed_key=crypto.seal(handler_key, bytes(report_key)),
                    granted_on=today,
                )
            files = _attach(report, blobs, Message.Author.REPORTER, today)
            integrity_audit_record(
                actor=REPORTER if actor is None else actor,
                action=f"report.submit.{channel}",
                report=report,
                data={
                    "files": files,
                    "identity": person is not None,
                    "handlers": [u.pk for u, _k in handlers],
                },
            )
            with override("fa"):
                _notify(
                    [user for user, _k in handlers],
                    kind="integrity_new",
                    report=report,
                    subject=_("گزارش تازه در کانال سلامت"),
                    body=_("گزارش تازه‌ای با شناسه %(ref)s رسیده است؛ دریافت آن را ظرف ۷ روز تأیید کنید.")
                    % {"ref": report.reference},
                    key="new",
                )
    except BaseException:
        for blob in blobs:
            blob.discard()
        raise
    return report, receipt


def report_open(*, receipt: str, network: str) -> Opened:
    """The report of ``receipt`` and its private key. Raises RateLimited when this network (or the
    whole channel) failed too often lately, ValidationError for a receipt that opens nothing (the
    same message whether it is malformed or unknown)."""
    if throttle.blocked(network):
        raise RateLimited(_("تلاش‌های نادرست بسیار بود؛ کمی بعد دوباره تلاش کنید."))
    wrong = ValidationError(_("این کد رسید گزارشی را باز نمی‌کند."), code="bad_receipt")
    digits = crypto.receipt_normalize(receipt)
    if digits is None:
        throttle.failure(network)
        raise wrong
    lookup = crypto.receipt_lookup_hash(digits, installation_salt=installation_salt())
    report = Report.objects.filter(receipt_hash=lookup).first()
    if report is None or not crypto.constant_time_equal(report.receipt_hash, lookup):
        throttle.failure(network)
        raise wrong
    key = crypto.derive_key(digits, salt=bytes(report.reporter_salt), cost=crypto.key_cost())
    try:
        private_key = crypto.unwrap_private_key(key, bytes(report.reporter_box))
    except crypto.DecryptionFailed:
        throttle.failure(network)
        raise wrong from None
    return Opened(report, private_key)


def receipt_change(*, opened: Opened, new_receipt: str) -> Report:
    """Replace the receipt (required after phone intake or a moved case, so whoever filed it for the
    reporter loses access): a new look-up hash, salt and wrapped key. Raises Conflict when the report
    changed meanwhile, ValidationError for a malformed new receipt."""
    digits = crypto.receipt_normalize(new_receipt)
    if digits is None:
        raise ValidationError(_("کد رسید تازه معتبر نیست."), code="bad_receipt")
    report = opened.report
    salt = crypto.new_salt()
    key = crypto.derive_key(digits, salt=salt, cost=crypto.key_cost())
    lookup = crypto.receipt_lookup_hash(digits, installation_salt=installation_salt())
    with transaction.atomic():
        try:
            changed = compare_and_swap(
                Report,
                pk=report.pk,
                expected={"version": report.version},
                changes={
                    "receipt_hash": lookup,
                    "reporter_salt": salt,
                    "reporter_box": crypto.wrap_private_key(key, opened.private_key),
                    "receipt_change_required": False,
                    "version": report.version + 1,
                },
            )
        except IntegrityError:
            raise Conflict(_("این کد رسید پذیرفته نشد؛ دوباره تلاش کنید.")) from None
        if not changed:
            raise Conflict()
        integrity_audit_record(actor=REPORTER, action="report.receipt_changed", report=report)
    report.refresh_from_db()
    return report


def reporter_message_post(*, opened: Opened, text: str) -> Message:
    """The reporter writes to the handlers. Raises ValidationError for an empty text, Conflict
    while the receipt must still be changed. Sets off: an in-app notice to the report's handlers."""
    report = opened.report
    if report.receipt_change_required:
        raise Conflict(_("نخست کد رسید را عوض کنید."))
    body = normalize_text(text)[:MAX_TEXT]
    if not body:
        raise ValidationError(_("متن پیام را بنویسید."), code="text_required")
    today = timezone.localdate()
    with transaction.atomic():
        message = Message.objects.create(
            report=report,
            author=Message.Author.REPORTER,
            box=crypto.seal(bytes(report.public_key), pack({"text": body})),
            created_on=today,
        )
        Report.objects.filter(pk=report.pk).update(updated_on=today)
        integrity_audit_record(actor=REPORTER, action="message.reporter", report=report)
        with override("fa"):
            _notify(
                _handlers_of(report),
                kind="integrity_reply",
                report=report,
                subject=_("پیام تازه گزارش‌دهنده"),
                body=_("گزارش‌دهنده در گزارش %(ref)s پیام تازه‌ای فرستاد.") % {"ref": report.reference},
                key=f"m{message.pk}",
            )
    return message


def reporter_evidence_add(*, opened: Opened, blobs: Sequence[EncryptedBlob]) -> int:
    """The reporter adds evidence files. Raises ValidationError when there is none, Conflict while
    the receipt must still be changed or the report is closed. The blobs are deleted on failure."""
    report = opened.report
    try:
        if report.receipt_change_required:
            raise Conflict(_("نخست کد رسید را عوض کنید."))
        if report.status == Report.Status.CLOSED:
            raise Conflict(_("این گزارش بسته شده است."))
        if not blobs:
            raise ValidationError(_("پرونده‌ای انتخاب نشده است."), code="file_required")
        today = timezone.localdate()
        with transaction.atomic():
            count = _attach(report, blobs, Message.Author.REPORTER, today)
            Report.objects.filter(pk=report.pk).update(updated_on=today)
            integrity_audit_record(
                actor=REPORTER, action="evidence.reporter", report=report, data={"files": count}
            )
    except BaseException:
        for blob in blobs:
            blob.discard()
        raise
    return count
