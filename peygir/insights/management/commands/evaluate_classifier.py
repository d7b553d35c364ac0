"""manage.py evaluate_classifier --file data.tsv: accuracy, top-3, macro-F1 and the confusion matrix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peygir.catalog.models import Category
from peygir.insights.corpus import CorpusError, read_tsv
from peygir.insights.evaluation import evaluate
from peygir.insights.store import bundle_load
from peygir.insights.training import bundle_ready


class Command(BaseCommand):
    help = "Score the classifier in use on a tab-separated file with the header 'category<TAB>text'."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", required=True, help="category<TAB>text, UTF-8, with that header")
        parser.add_argument("--model", help="a model file to score instead of the one in use")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = set(Category.objects.values_list("code", flat=True)) or None
        try:
            examples = read_tsv(options["file"], labels=codes)
        except CorpusError as exc:
            raise CommandError(f"malformed file: {exc}") from exc
        bundle = bundle_load(Path(options["model"])) if options.get("model") else bundle_ready()
        if bundle is None:
            raise CommandError("no model: run `manage.py train_classifier` first")
        self.stdout.write(f"model {bundle.name} {bundle.version}")
        self.stdout.write(evaluate(bundle.category, examples).as_text())
