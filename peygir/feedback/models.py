"""What citizens say about the answers they got: satisfaction ratings of a case's response."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_COMMENT = 1000


class Rating(models.Model):
    """A citizen's rating of one response to their case (رضایت‌سنجی): stars, "was it fixed?", a comment.

    One per response: ``response_at`` is the case's ``responded_at`` when the rating was given, so a
    case that is reopened by an objection and answered again can be rated again.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="ratings")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    response_at = models.DateTimeField(_("زمان پاسخ"))
    score = models.PositiveSmallIntegerField(_("امتیاز"))
    fixed = models.BooleanField(_("مشکل رفع شد"))
    comment = models.TextField(_("توضیح"), blank=True, default="", max_length=MAX_COMMENT)
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        verbose_name = _("امتیاز رضایت")
        verbose_name_plural = _("امتیازهای رضایت")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="feedback_rating_score_range"
            ),
            models.UniqueConstraint(fields=["case", "response_at"], name="feedback_rating_one_per_response"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.score}"
