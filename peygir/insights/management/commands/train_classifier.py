"""manage.py train_classifier [--source corpus|db|both]: train and save a new versioned model file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peygir.insights.corpus import CorpusError
from peygir.insights.training import SOURCES, TrainingError, classifier_train


class Command(BaseCommand):
    help = "Train the category (and message-type) classifier and save it as the newest model file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            choices=SOURCES,
            default="both",
            help="corpus: the starter corpus; db: the final categories of closed cases; both (default).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            bundle, path = classifier_train(source=options["source"])
        except (TrainingError, CorpusError) as exc:
            raise CommandError(str(exc)) from exc
        info = bundle.trained_on
        self.stdout.write(
            f"model {bundle.name} {bundle.version}: {info['category_examples']} category examples "
            f"(corpus {info.get('corpus', 0)}, db {info.get('db', 0)}), message type from {info['type_source']} "
            f"({info['type_examples']} examples), {info['seconds']} s\n{path}"
        )
