"""What the AI said about a case, and what staff made of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingCase(models.Model):
    """A registered case the classifier has not read yet.

    Written in the registering transaction where tasks are rows in this database (one key, no task
    row per case); ``cases_pending_insights_run``, every few seconds (``PERIODIC_TASKS``), classifies the
    case and deletes the row in one transaction.
    """

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("پرونده")
    )

    class Meta:
        verbose_name = _("پرونده در انتظار دستیار")
        verbose_name_plural = _("پرونده‌های در انتظار دستیار")

    def __str__(self) -> str:
        return str(self.case_id)


class Prediction(models.Model):
    """One run of the classifier and the written detectors on a case's text (after registration).

    ``input_hash`` fingerprints the normalised text the model read: a re-run of the same model on the
    same text is recognised and not stored twice. ``applied`` says the AI set the category itself
    (confidence at or above ``INSIGHTS["AUTO_CLASSIFY_THRESHOLD"]``).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", db_index=False)
    model_name = models.CharField(_("مدل"), max_length=64)
    model_version = models.CharField(_("نسخه مدل"), max_length=64)
    input_hash = models.CharField(max_length=64)
    category_code = models.CharField(_("دسته پیش‌بینی‌شده"), max_length=32)
    confidence = models.FloatField(_("اطمینان"))
    # [{"label": code, "probability": p}, …] best first.
    top = models.JSONField(default=list, blank=True)
    message_type_code = models.CharField(max_length=32, blank=True, default="")
    message_type_confidence = models.FloatField(null=True, blank=True)
    # The case's category when the prediction was made (empty: it had none).
    category_before = models.CharField(max_length=32, blank=True, default="")
    applied = models.BooleanField(_("اعمال خودکار"), default=False)
    urgent = models.BooleanField(_("فوری"), default=False)
    priority_raised = models.BooleanField(default=False)
    # [{"code", "label", "excerpt"}, …]: which written rule fired.
    urgency_reasons = models.JSONField(default=list, blank=True)
    corruption = models.BooleanField(_("شبیه گزارش فساد"), default=False)
    corruption_reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("پیش‌بینی")
        verbose_name_plural = _("پیش‌بینی‌ها")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "model_version", "input_hash"], name="insights_prediction_unique_run"
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0, confidence__lte=1),
                name="insights_prediction_confidence_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.category_code}:{self.confidence:.2f}"


class PredictionFeedback(models.Model):
    """What became of a prediction: accepted by staff, overridden by staff, or the final category.

    ``final`` rows (the category when the case closed) are what the weekly accuracy is measured on;
    the closed cases themselves are what ``train_classifier --source db`` learns from.
    """

    class Kind(models.TextChoices):
        ACCEPTED = "accepted", _("پذیرفته کارشناس")
        OVERRIDDEN = "overridden", _("تغییر به دست کارشناس")
        FINAL = "final", _("دسته نهایی در بستن")

    prediction = models.ForeignKey(Prediction, on_delete=models.CASCADE, related_name="feedback")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    predicted_code = models.CharField(max_length=32)
    final_code = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("بازخورد پیش‌بینی")
        verbose_name_plural = _("بازخوردهای پیش‌بینی")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prediction", "kind"], name="insights_predictionfeedback_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.prediction_id}:{self.kind}"

    @property
    def is_correct(self) -> bool:
        return self.predicted_code == self.final_code
