"""People who use Peygir: citizens (signed in by mobile number) and staff (password + roles)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Anyone who signs in. Citizens have a verified ``mobile``; staff have memberships in units."""

    mobile = models.CharField(_("تلفن همراه"), max_length=11, unique=True, null=True, blank=True)
    mobile_verified_at = models.DateTimeField(_("تأیید تلفن همراه"), null=True, blank=True)
    display_name = models.CharField(_("نام نمایشی"), max_length=150, blank=True)
    # The private chat with the city's messenger bot (Bale or Telegram) that the citizen linked by
    # sharing their own contact: where a case registered on the bot is told about its progress.
    bot_chat_id = models.CharField(
        _("شناسه گفت‌وگو در پیام‌رسان"), max_length=32, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("کاربر")
        verbose_name_plural = _("کاربران")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class OneTimeCode(models.Model):
    """A sign-in code sent to a mobile number: 6 digits, stored only as a keyed hash, single use."""

    mobile = models.CharField(max_length=11, db_index=True)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("کد یک‌بارمصرف")
        verbose_name_plural = _("کدهای یک‌بارمصرف")
        indexes = [models.Index(fields=["ip", "created_at"], name="accounts_otp_ip_recent")]

    def __str__(self) -> str:
        return f"{self.mobile} @ {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token for the API (mobile app, integrations); only its SHA-256 is stored."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("نام"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("توکن API")
        verbose_name_plural = _("توکن‌های API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
