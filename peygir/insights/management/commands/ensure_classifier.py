"""manage.py ensure_classifier: train the first model when there is none (for `make run`); fast no-op otherwise."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from peygir.insights.store import bundle_files
from peygir.insights.training import TrainingError, classifier_train


class Command(BaseCommand):
    help = "Make sure a classifier model file exists: train one from the corpus and closed cases if not."

    def handle(self, *args: Any, **options: Any) -> None:
        files = bundle_files()
        if files:
            self.stdout.write(f"classifier ready: {files[-1].name}")
            return
        try:
            bundle, path = classifier_train(source="both")
        except TrainingError as exc:
            self.stderr.write(f"no classifier trained: {exc}")
            return
        self.stdout.write(f"classifier trained: {path.name} ({bundle.trained_on['seconds']} s)")
