"""The default text classifier: character n-gram TF-IDF over normalised Persian, a linear model, and
calibrated probabilities.

One ``TextClassifier`` predicts one label set (the 17 topic categories, or the 7 message types).
A ``ModelBundle`` holds both, with the version and what they were trained on; it is what a model file
under ``INSIGHTS["MODEL_DIR"]`` contains. Pure computation: no database, no settings.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import normalize

from peygir.core.text import normalize_for_search

# Below this many examples of the rarest label, calibration folds would hold too few examples.
_MIN_PER_LABEL_FOR_CALIBRATION = 3
# From this many examples on, training takes the large-data path: the linear model fitted once and
# calibrated on a held-out share (CALIBRATION_ROWS at most), and an earlier stop.
LARGE = 50_000
CALIBRATION_ROWS = 50_000
_MIN_PER_LABEL_FOR_SPLIT = 20


def prepare(text: str) -> str:
    """The one form every model sees: ``normalize_for_search`` (Arabic ي/ك folded, Latin digits,
    no ZWNJ or diacritics, lower case)."""
    return normalize_for_search(text)


def input_hash(text: str) -> str:
    """A stable fingerprint of what the model read (so a re-run on unchanged text is recognised)."""
    return hashlib.sha256(prepare(text).encode("utf-8")).hexdigest()


NGRAM_RANGE = (2, 5)
MAX_FEATURES = 300_000


def make_vectorizer(max_features: int | None = MAX_FEATURES) -> TfidfVectorizer:
    # char_wb n-grams survive typos, missing ZWNJ and colloquial endings better than words do;
    # sublinear tf keeps a repeated word from dominating a long message.
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        min_df=1,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )


def _word_grams(word: str, low: int, high: int) -> list[str]:
    """scikit-learn's char_wb n-grams of ONE word (padded with a space on each side)."""
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(low, high + 1):
        grams.extend(padded[offset : offset + n] for offset in range(max(1, size - n + 1)))
        if size <= n:  # a short word counts once
            break
    return grams


def _ngram_counts(
    docs: Sequence[str], low: int, high: int, vocabulary: dict[str, int] | None
) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Documents × n-gram counts, float32. char_wb n-grams never cross a word, so each DISTINCT word
    is cut into n-grams once (word-by-n-gram counts W) and the document-by-word counts D are
    multiplied by W in compiled code: the same counts as sklearn's analyzer, without running it over
    every word of every document. With ``vocabulary`` only its n-grams are counted (and its indices
    used); without, the n-grams are numbered as first seen and that numbering is returned."""
    words: dict[str, int] = {}
    indptr = array("q", [0])
    columns = array("i")
    for doc in docs:
        # sklearn lower-cases, folds runs of white space and splits: str.split() does both.
        for word in doc.lower().split():
            j = words.get(word)
            if j is None:
                j = words[word] = len(words)
            columns.append(j)
        indptr.append(len(columns))
    per_doc = _ones_matrix(columns, indptr, shape=(len(docs), len(words)))
    fixed = vocabulary is not None
    grams: dict[str, int] = vocabulary if vocabulary is not None else {}
    word_ptr = array("q", [0])
    gram_cols = array("i")
    for word in words:
        for gram in _word_grams(word, low, high):
            j = grams.get(gram)
            if j is None:
                if fixed:
                    continue
                j = grams[gram] = len(grams)
            gram_cols.append(j)
        word_ptr.append(len(gram_cols))
    per_word = _ones_matrix(gram_cols, word_ptr, shape=(len(words), len(grams)))
    # The product has no duplicate entries; its column indices are sorted by the callers.
    return sp.csr_matrix(per_doc @ per_word, dtype=np.float32), grams


def _ones_matrix(columns: array, indptr: array, *, shape: tuple[int, int]) -> sp.csr_matrix:
    """A CSR matrix of ones at ``columns``, row by row as ``indptr`` cuts them."""
    return sp.csr_matrix(
        (
            np.ones(len(columns), dtype=np.float32),
            np.frombuffer(columns, dtype=np.int32),
            np.frombuffer(indptr, dtype=np.int64),
        ),
        shape=shape,
    )


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf × idf, rows L2-normalised: what the vectorizer's transform computes."""
    np.log(counts.data, out=counts.data)  # in place: the counts are the caller's own copy
    counts.data += 1.0
    counts.data *= idf.astype(np.float32)[counts.indices]
    return sp.csr_matrix(normalize(counts, copy=False), dtype=np.float32)


def fit_features(
    docs: Sequence[str], *, max_features: int | None = MAX_FEATURES
) -> tuple[TfidfVectorizer, sp.csr_matrix]:
    """``make_vectorizer(max_features).fit_transform(docs)`` for prepared ``docs``, several times
    faster on large data: the same vocabulary, idf and matrix (up to 1e-6; which n-grams of equal
    frequency survive the ``max_features`` cut may differ). Returns a fitted ``TfidfVectorizer``
    (what the model file holds and ``transform`` uses) and the training matrix."""
    vectorizer = make_vectorizer(max_features)
    low, high = vectorizer.ngram_range
    counts, grams = _ngram_counts(docs, low, high, None)
    if not grams:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    terms = sorted(grams)  # sklearn numbers the features in sorted order
    order = np.fromiter((grams[term] for term in terms), dtype=np.int64, count=len(terms))
    if max_features is not None and len(terms) > max_features:
        totals = np.asarray(counts.sum(axis=0)).ravel()[order]
        keep = np.sort(np.argsort(-totals, kind="stable")[:max_features])
        terms = [terms[i] for i in keep]
        order = order[keep]
    if len(order) < len(grams):
        counts = sp.csr_matrix(counts[:, order])
    else:  # renumber in place: column order[i] becomes column i
        renumber = np.empty(len(order), dtype=counts.indices.dtype)
        renumber[order] = np.arange(len(order), dtype=counts.indices.dtype)
        counts.indices = renumber[counts.indices]
    counts.has_sorted_indices = False
    counts.sort_indices()
    frequency = np.bincount(counts.indices, minlength=len(order))
    n = counts.shape[0]
    idf = np.log((1.0 + n) / (1.0 + frequency)) + 1.0
    vectorizer.vocabulary_ = {term: i for i, term in enumerate(terms)}
    vectorizer.idf_ = idf
    return vectorizer, _tfidf(counts, idf)


def transform_features(vectorizer: TfidfVectorizer, docs: Sequence[str]) -> sp.csr_matrix:
    """``vectorizer.transform(docs)`` for prepared ``docs`` (a fitted char_wb vectorizer), faster
    on batches the same way as ``fit_features``."""
    if vectorizer.analyzer != "char_wb" or not vectorizer.lowercase or vectorizer.preprocessor:
        return sp.csr_matrix(vectorizer.transform(docs))  # not one of ours: sklearn's own path
    low, high = vectorizer.ngram_range
    counts, _ = _ngram_counts(docs, low, high, vectorizer.vocabulary_)
    counts.sort_indices()
    return _tfidf(counts, np.asarray(vectorizer.idf_, dtype=np.float64))


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
        jobs: int | None = None,
    ) -> TextClassifier:
        """Fit on ``texts`` with ``labels``. Pass ``vectorizer`` and ``matrix`` to reuse features;
        ``jobs`` > 1 fits the one-versus-rest models of the labels in parallel threads."""
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
            vectorizer, matrix = fit_features(docs)
        large = len(texts) >= LARGE
        base = SGDClassifier(
            loss="modified_huber",
            alpha=2e-5 if len(texts) > 20_000 else 1e-4,
            max_iter=60,
            tol=1e-3,
            # On large data the loss settles within two or three passes; five more to confirm it
            # would double the time for nothing.
            n_iter_no_change=2 if large else 5,
            class_weight="balanced",
            random_state=13,
            n_jobs=jobs,
        )
        rarest = min(counts.values())
        y = np.asarray(labels)
        model: Any
        if large and rarest >= _MIN_PER_LABEL_FOR_SPLIT:
            # Plenty of data: fit the linear model once on 90 %, the sigmoids on the other 10 %
            # (at most CALIBRATION_ROWS), instead of fitting it folds + 1 times.
            held = min(CALIBRATION_ROWS, len(texts) // 10)
            fit_rows, calibration_rows = train_test_split(
                np.arange(len(texts)), test_size=held, stratify=y, random_state=13
            )
            base.fit(matrix[fit_rows], y[fit_rows])
            # A frozen model is not refitted: the folds only split its scores (cv=2: the fewest).
            model = CalibratedClassifierCV(FrozenEstimator(base), method="sigmoid", cv=2)
            model.fit(matrix[calibration_rows], y[calibration_rows])
        elif rarest >= _MIN_PER_LABEL_FOR_CALIBRATION:
            folds = min(3, rarest)
            # ensemble=False: calibrators learnt on cross-validated scores, then ONE model fitted on
            # all data, so prediction costs one linear model, not three.
            model = CalibratedClassifierCV(base, method="sigmoid", cv=folds, ensemble=False)
            model.fit(matrix, y)
        else:
            model = base
            model.fit(matrix, y)
        return cls(vectorizer=vectorizer, model=model, labels=[str(c) for c in model.classes_])

    def transform(self, texts: Sequence[str], *, prepared: bool = False) -> Any:
        if self.vectorizer is None:
            raise ValueError("a prior classifier has no features")
        docs = list(texts) if prepared else [prepare(text) for text in texts]
        return transform_features(self.vectorizer, docs)

    def _fast_parts(self) -> Any:
        """(analyzer, vocabulary, idf, coef, intercept, a, b) of a calibrated multi-class model, or False."""
        if self._fast is None:
            model = self.model
            parts: Any = False
            if isinstance(model, CalibratedClassifierCV) and len(model.calibrated_classifiers_) == 1:
                calibrated = model.calibrated_classifiers_[0]
                base = calibrated.estimator
                if isinstance(base, FrozenEstimator):  # the large-data path
                    base = base.estimator
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
