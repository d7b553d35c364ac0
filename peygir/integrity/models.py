"""The integrity channel's data: reports of corruption and misconduct, kept encrypted and apart.

Every field that carries what a reporter or a handler wrote is ciphertext (see ``crypto.py``);
the clear columns are the workflow (status, outcome, deadlines) and dates coarsened to the day.
Nothing here points at a request: no IP address, user agent, phone number or reporter account.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Installation(models.Model):
    """The one row holding this installation's salt for receipt look-up hashes (made on first use)."""

    receipt_salt = models.BinaryField(max_length=16)

    class Meta:
        verbose_name = _("تنظیمات رمزنگاری کانال سلامت")

    def __str__(self) -> str:
        return "installation"


class IntegrityRole(models.Model):
    """Who works in the integrity channel: handlers read assigned reports; custodians approve
    disclosures of a reporter's identity. ``receives_new`` handlers get every new report."""

    class Role(models.TextChoices):
        HANDLER = "handler", _("رسیدگی‌کننده")
        CUSTODIAN = "custodian", _("امین هویت")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("نقش"), max_length=12, choices=Role.choices)
    receives_new = models.BooleanField(_("دریافت گزارش‌های تازه"), default=True)
    is_active = models.BooleanField(_("فعال"), default=True)

    class Meta:
        verbose_name = _("نقش کانال سلامت")
        verbose_name_plural = _("نقش‌های کانال سلامت")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="integrity_integrityrole_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class KeyPair(models.Model):
    """A handler's (or custodian's) key pair: the private key wrapped under a key derived from the
    account password, and again under a printable recovery key. Without one nobody can be assigned."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    public_key = models.BinaryField(max_length=32)
    password_salt = models.BinaryField(max_length=16)
    password_box = models.BinaryField()
    recovery_salt = models.BinaryField(max_length=16)
    recovery_box = models.BinaryField()
    kdf_ops = models.PositiveIntegerField()
    kdf_mem = models.PositiveBigIntegerField()
    created_on = models.DateField()

    class Meta:
        verbose_name = _("جفت‌کلید")
        verbose_name_plural = _("جفت‌کلیدها")

    def __str__(self) -> str:
        return f"keys of {self.user_id}"


class Report(models.Model):
    """One disclosure. ``answers`` is sealed to ``public_key``; the private key exists only sealed
    per authorised handler (``ReportAccess``) and wrapped under the reporter's receipt-derived key
    (``reporter_box``). ``receipt_hash`` (Argon2id, look-up costs) is how the reporter finds it."""

    class Status(models.TextChoices):
        NEW = "new", _("تازه")
        ACKNOWLEDGED = "acknowledged", _("دریافت تأیید شد")
        INVESTIGATING = "investigating", _("در حال بررسی")
        REFERRED = "referred", _("ارجاع به مرجع صالح")
        CLOSED = "closed", _("بسته‌شده")

    class Outcome(models.TextChoices):
        NONE = "", _("—")
        SUBSTANTIATED = "substantiated", _("تخلف احراز شد")
        UNSUBSTANTIATED = "unsubstantiated", _("تخلف احراز نشد")
        INSUFFICIENT = "insufficient", _("شواهد کافی نبود")
        REFERRED = "referred", _("به مرجع صالح سپرده شد")
        OUT_OF_SCOPE = "out_of_scope", _("خارج از حیطه کانال")

    class Channel(models.TextChoices):
        WEB = "web", _("وب")
        PHONE = "phone", _("تلفن (به نمایندگی)")
        CASE = "case", _("انتقال از پرونده عادی")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("کانال"), max_length=8, choices=Channel.choices)
    receipt_hash = models.CharField(max_length=64, unique=True)
    reporter_salt = models.BinaryField(max_length=16)
    reporter_box = models.BinaryField()
    public_key = models.BinaryField(max_length=32)
    answers = models.BinaryField()
    has_identity = models.BooleanField(_("هویت محرمانه دارد"), default=False)
    receipt_change_required = models.BooleanField(default=False)
    status = models.CharField(_("وضعیت"), max_length=16, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(_("نتیجه"), max_length=16, choices=Outcome.choices, default="", blank=True)
    created_on = models.DateField(_("تاریخ ثبت"))
    acknowledged_on = models.DateField(_("تاریخ تأیید دریافت"), null=True, blank=True)
    feedback_on = models.DateField(_("تاریخ بازخورد"), null=True, blank=True)
    closed_on = models.DateField(_("تاریخ بستن"), null=True, blank=True)
    expires_on = models.DateField(_("تاریخ پاک‌شدن"), null=True, blank=True)
    # The day of the last reporter or handler message: the reporter's page says "new reply".
    updated_on = models.DateField()
    retention_warned_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("گزارش سلامت")
        verbose_name_plural = _("گزارش‌های سلامت")
        ordering = ["-created_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) | ~Q(status="closed"),
                name="integrity_report_closed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["expires_on"], name="integrity_report_expiry")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """A short reference for handlers (never the receipt)."""
        return str(self.public_id)[:8].upper()


class ReportIdentity(models.Model):
    """The reporter's confidential identity, sealed to the report and shown only after a custodian
    approved a handler's request (``IdentityRequest``)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="identity")
    box = models.BinaryField()

    def __str__(self) -> str:
        return f"identity of {self.report_id}"


class ReportAccess(models.Model):
    """The report's private key sealed to one authorised handler: the only way a handler reads it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sealed_key = models.BinaryField()
    granted_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="integrity_reportaccess_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.user_id}"


class Message(models.Model):
    """One message of the conversation between the reporter and the handlers, sealed to the report."""

    class Author(models.TextChoices):
        REPORTER = "reporter", _("گزارش‌دهنده")
        HANDLER = "handler", _("رسیدگی‌کننده")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    box = models.BinaryField()
    is_feedback = models.BooleanField(default=False)
    created_on = models.DateField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(author="reporter", handler__isnull=True)
                | Q(author="handler", handler__isnull=False),
                name="integrity_message_author_consistent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.author}:{self.pk}"


class EvidenceFile(models.Model):
    """An evidence file: the blob stream-encrypted under ``key_box``'s random key, its name and
    type in ``meta_box``; both boxes sealed to the report. The stored file name is random."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    author = models.CharField(max_length=10, choices=Message.Author.choices)
    blob = models.FileField(upload_to="integrity/", max_length=200)
    key_box = models.BinaryField()
    meta_box = models.BinaryField()
    created_on = models.DateField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.public_id)


class Decision(models.Model):
    """A recorded decision on a report (a referral to the competent authority, a closure…), sealed
    to the report; printed and forwarded by hand, never sent anywhere by the system."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("ارجاع به مرجع صالح")
        CLOSURE = "closure", _("بستن گزارش")
        OTHER = "other", _("تصمیم دیگر")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    box = models.BinaryField()
    created_on = models.DateField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.kind}"


class IdentityRequest(models.Model):
    """A handler's request to see the reporter's identity. The reason is sealed to the report and to
    each custodian who had keys when it was asked (``custodian_boxes``: user id → base64)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("در انتظار امین")
        APPROVED = "approved", _("تأییدشده")
        DENIED = "denied", _("ردشده")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identity_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason_box = models.BinaryField()
    custodian_boxes = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    custodian = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_on = models.DateField()
    decided_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "requester"],
                condition=Q(status="pending"),
                name="integrity_identityrequest_one_pending",
            )
        ]

    def __str__(self) -> str:
        return str(self.public_id)


class AuditQuerySet(models.QuerySet["IntegrityAuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("integrity audit entries are append-only")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise PermissionError("integrity audit entries are append-only")


class IntegrityAuditEntry(models.Model):
    """The channel's own audit log: append-only and hash-chained, dated to the day. Reporter actions
    carry no actor; no entry holds network data or any content of a report."""

    day = models.DateField()
    actor_id = models.PositiveBigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=64)
    report_ref = models.CharField(max_length=36, blank=True, default="")
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["prev_hash"], name="integrity_integrityauditentry_chain"),
        ]
        indexes = [models.Index(fields=["report_ref", "id"], name="integrity_audit_report")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("integrity audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("integrity audit entries are append-only")
