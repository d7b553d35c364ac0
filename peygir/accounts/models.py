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

    class Meta:
        verbose_name = _("کاربر")
        verbose_name_plural = _("کاربران")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username
