from functools import partial
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _enqueue_insights(sender: Any, case: Any, **kwargs: Any) -> None:
    """In the registering transaction: have the case classified and checked in the background
    (never in the request). Where tasks are rows in this database, a ``PendingCase`` row commits with
    the case, written with the registration's other deferred rows, and the periodic scan
    (``pending_cases_insights_task``) picks it up within seconds: no task row per case. With any
    other backend a task is enqueued after the commit, so it always finds the case."""
    from django.db import transaction

    from peygir.core.db import insert_row
    from peygir.core.tasks import tasks_are_rows_here

    from .models import PendingCase
    from .tasks import case_insights_task

    if tasks_are_rows_here():
        insert_row(PendingCase(case_id=case.pk), defer=True)
    else:
        transaction.on_commit(partial(case_insights_task.enqueue, case.pk))


class InsightsConfig(AppConfig):
    name = "peygir.insights"
    label = "insights"
    verbose_name = _("دستیار هوشمند و تحلیل")

    def ready(self) -> None:
        from peygir.cases.signals import case_registered

        case_registered.connect(_enqueue_insights, dispatch_uid="insights.case_registered")
