"""Training the default model bundle from the starter corpus, the city's closed cases, or both."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from peygir.cases.models import Case
from peygir.catalog.models import Category

from .classifier import ModelBundle, TextClassifier, fit_features, prepare
from .corpus import Example, read_corpus
from .store import bundle_current, bundle_files, bundle_save, insights_setting

logger = logging.getLogger(__name__)
SOURCES = ("corpus", "db", "both")
# Without this many labelled cases of at least two types, the message type falls back to the prior.
MIN_TYPE_EXAMPLES = 30
DB_LIMIT = 500_000
_auto_lock = threading.Lock()


class TrainingError(Exception):
    """Nothing (or too little) to train on; the message says what is missing."""


@dataclass(frozen=True)
class TrainingData:
    categories: list[Example]
    message_types: list[Example]
    sources: dict[str, int]


def _db_cases() -> Any:
    # The final, staff-confirmed category: closed cases, except rejected-as-invalid ones and those
    # withdrawn to the integrity channel (closed without a resolution, their text removed).
    return (
        Case.objects.filter(phase=Case.Phase.CLOSED, category__isnull=False)
        .exclude(Q(resolution="") | Q(resolution=Case.Resolution.INVALID))
        .order_by("-closed_at")
    )


def db_examples(limit: int = DB_LIMIT) -> tuple[list[Example], list[Example]]:
    """(category examples, message-type examples) from the city's closed cases, newest first."""
    rows = _db_cases().values_list("category__code", "message_type__code", "description")[:limit]
    categories: list[Example] = []
    kinds: list[Example] = []
    for category, kind, text in rows:
        if text:
            categories.append(Example(category, text))
            kinds.append(Example(kind, text))
    return categories, kinds


def training_data(source: str = "corpus") -> TrainingData:
    if source not in SOURCES:
        raise TrainingError(f"unknown source '{source}' (corpus, db or both)")
    codes = set(Category.objects.values_list("code", flat=True))
    categories: list[Example] = []
    kinds: list[Example] = []
    sources: dict[str, int] = {}
    if source in ("corpus", "both"):
        corpus = read_corpus("train", labels=codes or None)
        categories.extend(corpus)
        sources["corpus"] = len(corpus)
    if source in ("db", "both"):
        db_categories, db_kinds = db_examples()
        categories.extend(db_categories)
        kinds.extend(db_kinds)
        sources["db"] = len(db_categories)
    if len({example.label for example in categories}) < 2:
        raise TrainingError(
            "too little to train on: the corpus files (peygir/insights/corpus/train_*.tsv) or closed "
            "cases must hold at least two categories"
        )
    return TrainingData(categories, kinds, sources)


def _version(examples: Sequence[Example]) -> str:
    digest = hashlib.sha256()
    for example in examples:
        digest.update(f"{example.label}\t{example.text}\n".encode())
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")[:-3]
    return f"{stamp}-{digest.hexdigest()[:8]}"


def bundle_train(data: TrainingData) -> ModelBundle:
    """Fit both classifiers on one set of features. The message type is learnt from cases only (the
    corpus has no types); with too few, it is the prior of the types seen (or "request"), not a model."""
    started = time.perf_counter()
    docs = [prepare(example.text) for example in data.categories]
    vectorizer, matrix = fit_features(docs)
    features_seconds = time.perf_counter() - started
    # Threads for the one-versus-rest fits; 1 by default (the figures in docs/insights.md are on one
    # core, and the server's other processes need theirs).
    jobs = int(insights_setting("TRAIN_JOBS", 1) or 1)
    category = TextClassifier.train(
        docs,
        [example.label for example in data.categories],
        vectorizer=vectorizer,
        matrix=matrix,
        jobs=jobs,
    )
    type_counts = Counter(example.label for example in data.message_types)
    if len(data.message_types) >= MIN_TYPE_EXAMPLES and len(type_counts) >= 2:
        texts = [example.text for example in data.message_types]
        kinds = [example.label for example in data.message_types]
        tail = len(docs) - len(texts)
        if tail >= 0 and all(
            example.text == text for example, text in zip(data.categories[tail:], texts, strict=True)
        ):
            # The cases' texts are the last rows of the category data (training_data puts the
            # corpus first): reuse their features instead of cutting the n-grams again.
            message_type = TextClassifier.train(
                docs[tail:], kinds, prepared=True, vectorizer=vectorizer, matrix=matrix[tail:], jobs=jobs
            )
        else:
            message_type = TextClassifier.train(texts, kinds, jobs=jobs)
        type_source = "db"
    else:
        total = sum(type_counts.values())
        prior = {label: n / total for label, n in type_counts.items()} if total else {"request": 1.0}
        message_type = TextClassifier(labels=sorted(prior), is_prior=True, prior=prior)
        type_source = "prior"
    return ModelBundle(
        version=_version(data.categories),
        category=category,
        message_type=message_type,
        trained_on={
            **data.sources,
            "category_examples": len(data.categories),
            "type_examples": len(data.message_types),
            "type_source": type_source,
            "features_seconds": round(features_seconds, 2),
            "seconds": round(time.perf_counter() - started, 2),
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
    )


def classifier_train(*, source: str = "corpus") -> tuple[ModelBundle, Any]:
    """Train a bundle from ``source`` and save it as the newest model file. Returns (bundle, path).

    Raises TrainingError when there is too little to train on, CorpusError for a malformed corpus file.
    """
    bundle = bundle_train(training_data(source))
    return bundle, bundle_save(bundle)


def bundle_ready() -> ModelBundle | None:
    """The model in use; with none on disk and ``INSIGHTS["AUTO_TRAIN"]``, one trained now from the
    corpus and the closed cases (a fresh install classifies from its first case). None when there is
    nothing to train on."""
    bundle = bundle_current()
    if bundle is not None or not insights_setting("AUTO_TRAIN", True):
        return bundle
    with _auto_lock:
        if bundle_files():
            return bundle_current()
        try:
            bundle, path = classifier_train(source="both")
        except TrainingError as exc:
            logger.warning("no classifier: %s", exc)
            return None
        logger.info("trained the first classifier %s", path)
        return bundle_current()
