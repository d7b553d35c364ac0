"""What citizens say about the answers they got, and what the 137 center makes of those answers:
satisfaction ratings of a case's response and supervisors' quality reviews of responses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_COMMENT = 1000
MAX_REVIEW_NOTE = 2000


class Rating(models.Model):
    """A citizen's rating of one response to their case (رضایت‌سنجی): stars, "was it fixed?", a comment.

    One per response: ``response_at`` is the case's ``responded_at`` when the rating was given, so a
    case that is reopened by an objection and answered again can be rated again. ``citizen`` is the
    signed-in citizen who rated it on the portal or the bot; an answer through the survey link sent
    by SMS (no sign-in) has none.
    """

    class Source(models.TextChoices):
        PORTAL = "portal", _("درگاه شهروندی")
        SURVEY = "survey", _("پیوند نظرسنجی")
        BOT = "bot", _("پیام‌رسان")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="ratings")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    response_at = models.DateTimeField(_("زمان پاسخ"))
    score = models.PositiveSmallIntegerField(_("امتیاز"))
    fixed = models.BooleanField(_("مشکل رفع شد"))
    comment = models.TextField(_("توضیح"), blank=True, default="", max_length=MAX_COMMENT)
    source = models.CharField(_("مسیر"), max_length=8, choices=Source.choices, default=Source.PORTAL)
    # The answer reopened the case (Action.OBJECT): "not fixed" or a low score inside the window.
    objected = models.BooleanField(_("منجر به اعتراض"), default=False)
    # A low score or a comment: it waits in the supervisors' review queue until a ResponseReview
    # of the same response exists.
    flagged = models.BooleanField(_("نیازمند بازبینی"), default=False)
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
        indexes = [
            # The supervisors' review queue: flagged ratings, newest first.
            models.Index(
                fields=["-created_at", "-id"], condition=Q(flagged=True), name="feedback_rating_flagged"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.score}"


class ResponseReview(models.Model):
    """A 137-center supervisor's verdict on the quality of one response to a case (بازبینی کیفیت پاسخ).

    Counted apart from the citizen's own score: a response may satisfy the citizen and still be
    poor (wrong, rude, copied), or the other way round. One per response (``response_at`` is the
    case's ``responded_at`` that was reviewed).
    """

    class Verdict(models.TextChoices):
        POOR = "poor", _("پاسخ بی‌کیفیت")
        ACCEPTABLE = "acceptable", _("پاسخ قابل‌قبول")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="response_reviews")
    response_at = models.DateTimeField(_("زمان پاسخ"))
    # The unit that gave the reviewed response (the case may move on after a reopening).
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("واحد"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("بازبین")
    )
    verdict = models.CharField(_("نتیجه بازبینی"), max_length=12, choices=Verdict.choices)
    note = models.TextField(_("توضیح"), blank=True, default="", max_length=MAX_REVIEW_NOTE)
    created_at = models.DateTimeField(_("زمان بازبینی"), auto_now_add=True)

    class Meta:
        verbose_name = _("بازبینی پاسخ")
        verbose_name_plural = _("بازبینی‌های پاسخ")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "response_at"], name="feedback_responsereview_one_per_response"
            ),
        ]
        indexes = [models.Index(fields=["unit", "verdict", "created_at"], name="feedback_review_unit")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.verdict}"
