"""The fast feature path (word-level n-gram counts) against scikit-learn's, and the large-data path."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from peygir.insights import classifier as classifier_module
from peygir.insights.classifier import (
    TextClassifier,
    fit_features,
    make_vectorizer,
    prepare,
    transform_features,
)
from peygir.insights.corpus import Example, read_tsv
from peygir.insights.store import bundle_load, bundle_save
from peygir.insights.training import TrainingData, bundle_train

from .conftest import DATA, SMALL

ODD = ["", "   ", "a", "AB  cd\tEF\n", "ی", "x" * 40, "چراغ  چراغ چراغ", "pelak 12ب345 iran 10"]


def _docs() -> list[str]:
    return [prepare(e.text) for e in read_tsv(SMALL)] + ODD


def test_fit_features_gives_sklearns_vocabulary_idf_and_matrix():
    docs = _docs()
    vectorizer, matrix = fit_features(docs, max_features=None)
    reference = make_vectorizer(None)
    expected = reference.fit_transform(docs)
    assert vectorizer.vocabulary_ == reference.vocabulary_
    assert np.abs(vectorizer.idf_ - reference.idf_).max() < 1e-6
    assert matrix.shape == expected.shape
    assert matrix.dtype == np.float32
    assert abs(matrix - expected).max() < 1e-6


def test_transform_features_gives_sklearns_transform_on_unseen_text():
    vectorizer, _ = fit_features(_docs())
    unseen = [prepare(e.text) for e in read_tsv(DATA / "heldout_small.tsv")] + ODD + ["zzz qqq"]
    fast = transform_features(vectorizer, unseen)
    expected = vectorizer.transform(unseen)
    assert fast.shape == expected.shape == (len(unseen), len(vectorizer.vocabulary_))
    assert abs(fast - expected).max() < 1e-6
    assert fast[len(unseen) - 1].nnz == 0  # nothing known: an empty row, not an error


def test_max_features_keeps_the_most_frequent_ngrams():
    docs = _docs()
    vectorizer, matrix = fit_features(docs, max_features=200)
    reference = make_vectorizer(200)
    reference.fit(docs)
    assert len(vectorizer.vocabulary_) == matrix.shape[1] == 200
    # The same cut up to n-grams of equal frequency at its edge.
    assert len(set(vectorizer.vocabulary_) & set(reference.vocabulary_)) >= 190
    assert abs(transform_features(vectorizer, docs) - matrix).max() < 1e-6


def test_fit_features_refuses_an_empty_vocabulary():
    with pytest.raises(ValueError, match="empty vocabulary"):
        fit_features(["", "  "])


def _many() -> list[Example]:
    # Six labels × 40: the small corpus five times over, each copy with its own suffix.
    return [
        Example(e.label, f"{e.text} {tail}")
        for tail in ("", "لطفا", "ممنون", "فوری", "سلام")
        for e in read_tsv(SMALL)
    ]


def test_large_data_path_calibrates_on_a_held_out_share(monkeypatch, tmp_path):
    monkeypatch.setattr(classifier_module, "LARGE", 100)
    monkeypatch.setattr(classifier_module, "_MIN_PER_LABEL_FOR_SPLIT", 10)
    examples = _many()
    classifier = TextClassifier.train([e.text for e in examples], [e.label for e in examples])
    assert isinstance(classifier.model, CalibratedClassifierCV)
    assert isinstance(classifier.model.calibrated_classifiers_[0].estimator, FrozenEstimator)
    assert len(classifier.model.calibrated_classifiers_) == 1
    texts = ["چراغ کوچه خاموش است", "سگ ولگرد در پارک", "زباله و نخاله"]
    batch = classifier.probabilities(texts)
    for i, text in enumerate(texts):
        assert classifier._fast_probabilities(prepare(text)) is not None
        assert abs(classifier.probabilities([text])[0] - batch[i]).max() < 1e-5
    assert classifier.top(texts[:2], k=1)[0][0].label == "lighting"
    assert classifier.top(texts[:2], k=1)[1][0].label == "animals"
    bundle = bundle_train(TrainingData(examples, [], {"corpus": len(examples)}))
    loaded = bundle_load(bundle_save(bundle, tmp_path))
    assert [p.best.label for p in loaded.predict(texts[:2])] == ["lighting", "animals"]


def test_the_message_type_model_reuses_the_category_features():
    corpus = read_tsv(SMALL)
    cases = [Example(e.label, f"{e.text} شماره {i}") for i, e in enumerate(_many())]
    kinds = [Example("complaint" if i % 3 else "request", e.text) for i, e in enumerate(cases)]
    bundle = bundle_train(TrainingData(corpus + cases, kinds, {"corpus": len(corpus), "db": len(cases)}))
    assert bundle.trained_on["type_source"] == "db"
    assert bundle.message_type.vectorizer is bundle.category.vectorizer
    assert bundle.message_type.labels == ["complaint", "request"]
    assert bundle.trained_on["features_seconds"] <= bundle.trained_on["seconds"]
    # Texts that are not the tail of the category data: features of their own.
    other = [Example(k.label, k.text + " دیگر") for k in kinds]
    separate = bundle_train(TrainingData(corpus, other, {"corpus": len(corpus)}))
    assert separate.message_type.vectorizer is not separate.category.vectorizer
    assert separate.message_type.labels == ["complaint", "request"]
