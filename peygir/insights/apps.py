from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _enqueue_insights(sender: Any, case: Any, **kwargs: Any) -> None:
    """After a registration commits: classify and check it in the background (never in the request)."""
    from .tasks import case_insights_task

    case_insights_task.enqueue(case.pk)


class InsightsConfig(AppConfig):
    name = "peygir.insights"
    label = "insights"
    verbose_name = _("دستیار هوشمند و تحلیل")

    def ready(self) -> None:
        from peygir.cases.signals import case_registered

        case_registered.connect(_enqueue_insights, dispatch_uid="insights.case_registered")
