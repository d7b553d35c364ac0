"""The default text classifier: character n-gram TF-IDF over normalised Persian, a linear model, and
calibrated probabilities.

One ``TextClassifier`` predicts one label set (the 17 topic categories, or the 7 message types).
A ``ModelBundle`` holds both, with the version and what they were trained on; it is what a model file
under ``INSIGHTS["MODEL_DIR"]`` contains. Pure computation: no database, no settings.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

from peygir.core.text import normalize_for_search

# Below this many examples of the rarest label, calibration folds would hold too few examples.
_MIN_PER_LABEL_FOR_CALIBRATION = 3


def prepare(text: str) -> str:
    """The one form every model sees: ``normalize_for_search`` (Arabic ي/ك folded, Latin digits,
    no ZWNJ or diacritics, lower case)."""
    return normalize_for_search(text)


def input_hash(text: str) -> str:
    """A stable fingerprint of what the model read (so a re-run on unchanged text is recognised)."""
    return hashlib.sha256(prepare(text).encode("utf-8")).hexdigest()


def make_vectorizer(max_features: int | None = 300_000) -> TfidfVectorizer:
    # char_wb n-grams survive typos, missing ZWNJ and colloquial endings better than words do;
    # sublinear tf keeps a repeated word from dominating a long message.
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=1,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )


@dataclass(frozen=True)
class Scored:
    """One label with its calibrated probability."""

    label: str
    probability: float


@dataclass
class TextClassifier:
    """TF-IDF char n-grams + a linear model with calibrated probabilities over one label set.

    With a single label (too little data) it answers that label with probability 1: a prior, not a
    model; ``is_prior`` says so.
    """

    vectorizer: TfidfVectorizer | None = None
    model: Any = None
    labels: list[str] = field(default_factory=list)
    is_prior: bool = False
    prior: dict[str, float] = field(default_factory=dict)
    # The one-message fast path (see _fast_probabilities): built lazily, never pickled.
    _fast: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_fast"] = None
        return state

    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        labels: Sequence[str],
        *,
        prepared: bool = False,
        vectorizer: TfidfVectorizer | None = None,
        matrix: Any = None,
    ) -> TextClassifier:
        """Fit on ``texts`` with ``labels``. Pass ``vectorizer`` and ``matrix`` to reuse features."""
        if len(texts) != len(labels) or not texts:
            raise ValueError("texts and labels must be non-empty and of equal length")
        counts = Counter(labels)
        if len(counts) < 2:
            total = sum(counts.values())
            return cls(
                labels=sorted(counts),
                is_prior=True,
                prior={label: n / total for label, n in counts.items()},
            )
        if matrix is None:
            docs = list(texts) if prepared else [prepare(text) for text in texts]
            vectorizer = make_vectorizer()
            matrix = vectorizer.fit_transform(docs)
        base = SGDClassifier(
            loss="modified_huber",
            alpha=2e-5 if len(texts) > 20_000 else 1e-4,
            max_iter=60,
            tol=1e-3,
            class_weight="balanced",
            random_state=13,
        )
        rarest = min(counts.values())
        y = np.asarray(labels)
        if rarest >= _MIN_PER_LABEL_FOR_CALIBRATION:
            folds = min(3, rarest)
            # ensemble=False: calibrators learnt on cross-validated scores, then ONE model fitted on
            # all data, so prediction costs one linear model, not three.
            model: Any = CalibratedClassifierCV(base, method="sigmoid", cv=folds, ensemble=False)
        else:
            model = base
        model.fit(matrix, y)
        return cls(vectorizer=vectorizer, model=model, labels=[str(c) for c in model.classes_])

    def transform(self, texts: Sequence[str], *, prepared: bool = False) -> Any:
        if self.vectorizer is None:
            raise ValueError("a prior classifier has no features")
        docs = list(texts) if prepared else [prepare(text) for text in texts]
        return self.vectorizer.transform(docs)

    def _fast_parts(self) -> Any:
        """(analyzer, vocabulary, idf, coef, intercept, a, b) of a calibrated multi-class model, or False."""
        if self._fast is None:
            model = self.model
            parts: Any = False
            if isinstance(model, CalibratedClassifierCV) and len(model.calibrated_classifiers_) == 1:
                calibrated = model.calibrated_classifiers_[0]
                base = calibrated.estimator
                if len(self.labels) > 2 and len(calibrated.calibrators) == len(self.labels):
                    vectorizer = self.vectorizer
                    assert vectorizer is not None
                    parts = (
                        vectorizer.build_analyzer(),
                        vectorizer.vocabulary_,
                        np.asarray(vectorizer.idf_, dtype=np.float64),
                        np.asfortranarray(base.coef_, dtype=np.float64),
                        np.asarray(base.intercept_, dtype=np.float64),
                        np.asarray([c.a_ for c in calibrated.calibrators], dtype=np.float64),
                        np.asarray([c.b_ for c in calibrated.calibrators], dtype=np.float64),
                    )
            self._fast = parts
        return self._fast

    def _fast_probabilities(self, doc: str) -> np.ndarray | None:
        """The same numbers as vectorizer.transform + predict_proba for ONE prepared text, without
        building sparse matrices: what keeps one-at-a-time classification fast."""
        parts = self._fast_parts()
        if not parts:
            return None
        analyzer, vocabulary, idf, coef, intercept, a, b = parts
        counts = Counter(analyzer(doc))
        index: list[int] = []
        tf: list[float] = []
        for gram, n in counts.items():
            j = vocabulary.get(gram)
            if j is not None:
                index.append(j)
                tf.append(n)
        scores = intercept.copy()
        if index:
            idx = np.asarray(index)
            values = (1.0 + np.log(np.asarray(tf, dtype=np.float64))) * idf[idx]
            values /= np.sqrt(values @ values)
            scores += coef[:, idx] @ values
        proba = 1.0 / (1.0 + np.exp(a * scores + b))
        total = proba.sum()
        return np.asarray(proba / total if total > 0 else np.full(len(proba), 1.0 / len(proba)))

    def probabilities(self, texts: Sequence[str], *, prepared: bool = False) -> np.ndarray:
        """Rows of probabilities over ``self.labels`` (each row sums to 1)."""
        if self.is_prior:
            row = np.asarray([self.prior.get(label, 0.0) for label in self.labels], dtype=float)
            return np.tile(row, (len(texts), 1))
        if len(texts) == 1:
            fast = self._fast_probabilities(texts[0] if prepared else prepare(texts[0]))
            if fast is not None:
                return fast.reshape(1, -1)
        matrix = self.transform(texts, prepared=prepared)
        proba = np.asarray(self.model.predict_proba(matrix), dtype=float)
        sums = proba.sum(axis=1, keepdims=True)
        sums[sums == 0] = 1.0
        return np.asarray(proba / sums)

    def top(self, texts: Sequence[str], *, k: int = 3, prepared: bool = False) -> list[list[Scored]]:
        """The ``k`` most probable labels of each text, best first."""
        proba = self.probabilities(texts, prepared=prepared)
        k = min(k, len(self.labels))
        order = np.argsort(-proba, axis=1)[:, :k]
        return [
            [Scored(self.labels[j], round(float(proba[i, j]), 4)) for j in order[i]]
            for i in range(len(texts))
        ]


@dataclass
class ModelBundle:
    """What one model file holds: the category and message-type classifiers and their provenance."""

    version: str
    category: TextClassifier
    message_type: TextClassifier
    trained_on: dict[str, Any] = field(default_factory=dict)
    name: str = "tfidf-char"

    def predict(self, texts: Sequence[str], *, k: int = 3) -> list[Prediction]:
        docs = [prepare(text) for text in texts]
        categories = self.category.top(docs, k=k, prepared=True)
        types = self.message_type.top(docs, k=k, prepared=True)
        return [
            Prediction(category=cats, message_type=kinds)
            for cats, kinds in zip(categories, types, strict=True)
        ]

    def similarity_vectors(self, texts: Sequence[str]) -> Any:
        """L2-normalised TF-IDF rows (the category model's features): their dot product is the cosine."""
        return self.category.transform(texts)


@dataclass(frozen=True)
class Prediction:
    """The top categories and top message types of one text, best first."""

    category: list[Scored]
    message_type: list[Scored]

    @property
    def best(self) -> Scored:
        return self.category[0]
