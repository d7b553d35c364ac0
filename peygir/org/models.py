"""The municipality's organization: a tree of units and the staff who work in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """An organizational unit that can own cases: the 137 center, a deputy, a district, an area, …

    The tree is stored as a materialised ``path`` of zero-padded primary keys ("000001/000007/000031/",
    maintained by ``org.services``) so that "this unit and everything under it" is one indexed prefix
    query. The 137 center is the root; deputies, districts, organizations and companies are its
    children; areas sit under their district; departments under a deputy or a district.
    """

    class Kind(models.TextChoices):
        CENTER = "center", _("مرکز ۱۳۷")
        DEPUTY = "deputy", _("معاونت")
        DISTRICT = "district", _("منطقه")
        AREA = "area", _("ناحیه")
        ORGANIZATION = "organization", _("سازمان")
        COMPANY = "company", _("شرکت")
        DEPARTMENT = "department", _("اداره")

    kind = models.CharField(_("نوع"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("نام"), max_length=200)
    name_en = models.CharField(_("نام انگلیسی"), max_length=200, blank=True)
    # A stable code for configuration and imports: "center", "district-6", "district-6-area-2", "org-waste".
    code = models.SlugField(_("کد"), max_length=64, unique=True)
    number = models.PositiveSmallIntegerField(_("شماره"), null=True, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("فعال"), default=True)
    # Boundary as GeoJSON (Polygon or MultiPolygon, WGS84); districts and areas have one.
    boundary = models.JSONField(_("مرز"), null=True, blank=True)
    boundary_source = models.CharField(_("منبع مرز"), max_length=200, blank=True)
    # Bumped on every save; the point-in-polygon cache compares (count, max id, max updated_at).
    updated_at = models.DateTimeField(_("آخرین تغییر"), auto_now=True)

    class Meta:
        verbose_name = _("واحد")
        verbose_name_plural = _("واحدها")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number", "parent"], name="org_unit_unique_number_in_parent"
            ),
            # There is one 137 center: routing falls back to it.
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="center"), name="org_unit_single_center"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to this unit (itself included), read from ``path``."""
        return [int(segment) for segment in self.path.split("/") if segment]

    @property
    def depth(self) -> int:
        return self.path.count("/")


class Membership(models.Model):
    """A staff member's role in a unit; the role reaches the unit and every unit under it."""

    class Role(models.TextChoices):
        OFFICER = "officer", _("کارشناس")
        MANAGER = "manager", _("مدیر")
        SUPERVISOR = "supervisor", _("ناظر")
        AGENT = "agent", _("کارشناس پاسخگو")
        ADMIN = "admin", _("مدیر سامانه")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("نقش"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("فعال"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("عضویت")
        verbose_name_plural = _("عضویت‌ها")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="org_membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
