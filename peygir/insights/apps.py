from functools import partial
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _enqueue_insights(sender: Any, case: Any, **kwargs: Any) -> None:
    """In the registering transaction: classify and check the case in the background (never in the
    request). With the database task backend the task row commits with the case (no extra commit);
    with any other backend it is enqueued after the commit, so the task always finds the case."""
    from django.db import transaction

    from peygir.core.tasks import tasks_are_rows_here

    from .tasks import case_insights_task

    if tasks_are_rows_here():
        case_insights_task.enqueue(case.pk)
    else:
        transaction.on_commit(partial(case_insights_task.enqueue, case.pk))


class InsightsConfig(AppConfig):
    name = "peygir.insights"
    label = "insights"
    verbose_name = _("دستیار هوشمند و تحلیل")

    def ready(self) -> None:
        from peygir.cases.signals import case_registered

        case_registered.connect(_enqueue_insights, dispatch_uid="insights.case_registered")
