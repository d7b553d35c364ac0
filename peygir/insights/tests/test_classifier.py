from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peygir.insights.classifier import TextClassifier, input_hash, prepare
from peygir.insights.corpus import CorpusError, parse_tsv, read_corpus, read_tsv
from peygir.insights.evaluation import evaluate
from peygir.insights.store import bundle_current, bundle_files, bundle_load, bundle_save

from .conftest import DATA, SMALL, small_bundle


def test_prepare_folds_arabic_letters_digits_and_zwnj():
    assert prepare("كيسه‌هاي زباله ۱۲") == prepare("کیسه های زباله 12")
    assert input_hash("زباله‌ها") == input_hash("زباله ها")


def test_round_trip_through_a_versioned_file_predicts_the_same(tmp_path: Path):
    bundle = small_bundle()
    path = bundle_save(bundle, tmp_path)
    assert path.name == f"tfidf-char-{bundle.version}.joblib"
    loaded = bundle_load(path)
    texts = ["چراغ کوچه خاموش است", "سگ ولگرد در پارک"]
    before = bundle.predict(texts)
    after = loaded.predict(texts)
    assert [[s.label for s in p.category] for p in after] == [[s.label for s in p.category] for p in before]
    assert [p.best.probability for p in after] == [p.best.probability for p in before]
    assert [p.best.label for p in after] == ["lighting", "animals"]
    top = after[0].category
    assert len(top) == 3
    assert top[0].probability >= top[1].probability >= top[2].probability
    assert sum(s.probability for s in top) <= 1.0001


def test_the_newest_file_is_the_model_in_use(model, settings):
    assert bundle_current().version == model.version
    assert [path.name for path in bundle_files()] == [f"tfidf-char-{model.version}.joblib"]


def test_arabic_spelling_and_colloquial_text_still_classify():
    bundle = small_bundle()
    # Arabic ي and ك, Latin digits, colloquial spelling.
    prediction = bundle.predict(["چراغهاي كوچه 3 شبه خاموشه"])[0]
    assert prediction.best.label == "lighting"


def test_message_type_without_cases_is_the_prior_not_a_model():
    bundle = small_bundle()
    assert bundle.message_type.is_prior is True
    assert bundle.trained_on["type_source"] == "prior"
    assert bundle.predict(["هر متنی"])[0].message_type[0].label == "request"


def test_single_label_is_a_prior():
    classifier = TextClassifier.train(["الف ب", "ج د"], ["waste", "waste"])
    assert classifier.is_prior is True
    assert classifier.top(["هر چه"])[0][0].label == "waste"


def test_evaluation_report_on_the_held_out_file():
    report = evaluate(small_bundle().category, read_tsv(DATA / "heldout_small.tsv"))
    assert report.count == 5
    assert report.top3 == 1.0
    assert sum(sum(row) for row in report.confusion) == 5
    diagonal = sum(report.confusion[i][i] for i in range(len(report.labels)))
    assert report.accuracy == diagonal / 5
    assert report.labels == ["animals", "drainage", "lighting", "roads", "waste"]
    text = report.as_text()
    assert "accuracy:" in text and "top-3 accuracy:" in text and "macro-F1:" in text


@pytest.mark.django_db
def test_evaluate_command_prints_the_metrics_and_the_confusion_matrix(model, capsys):
    call_command("evaluate_classifier", "--file", str(DATA / "heldout_small.tsv"))
    out = capsys.readouterr().out
    assert f"model tfidf-char {model.version}" in out
    assert "examples: 5" in out
    assert "top-3 accuracy: 1.0000" in out
    assert "confusion matrix (rows: true, columns: predicted)" in out
    assert "macro-F1:" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        "label\ttext\nwaste\tزباله\n",  # wrong header
        "category\ttext\nwaste\tزباله\textra\n",  # three fields
        "category\ttext\nwaste\t\n",  # empty text
        "category\ttext\nnot_a_code\tزباله\n",  # unknown category
        "category\ttext\n",  # no examples
    ],
)
def test_evaluate_command_fails_on_a_malformed_file(model, tmp_path, content):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match="malformed file"):
        call_command("evaluate_classifier", "--file", str(path))


@pytest.mark.django_db
def test_evaluate_command_exits_non_zero_on_a_malformed_file(model, tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("category,text\nwaste,x\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "evaluate_classifier", "--file", str(path)]).execute()
    assert exit_info.value.code == 1


@pytest.mark.django_db
def test_evaluate_command_needs_a_model(tmp_path):
    with pytest.raises(CommandError, match="no model"):
        call_command("evaluate_classifier", "--file", str(SMALL))


@pytest.mark.django_db
def test_train_command_from_the_corpus_writes_a_new_version(settings, tmp_path, capsys, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "train_small.tsv").write_bytes(SMALL.read_bytes())
    monkeypatch.setattr("peygir.insights.corpus.CORPUS_DIR", corpus)
    call_command("train_classifier", "--source", "corpus")
    out = capsys.readouterr().out
    assert "48 category examples (corpus 48, db 0)" in out
    assert len(bundle_files()) == 1
    assert bundle_current().predict(["چاله بزرگ وسط خیابان"])[0].best.label == "roads"


@pytest.mark.django_db
def test_train_command_with_nothing_to_learn_fails(tmp_path, monkeypatch):
    monkeypatch.setattr("peygir.insights.corpus.CORPUS_DIR", tmp_path)
    with pytest.raises(CommandError, match="too little to train on"):
        call_command("train_classifier", "--source", "db")
    assert bundle_files() == []


def test_corpus_reader_names_the_line():
    with pytest.raises(CorpusError, match=r"<text>:3: expected 2"):
        parse_tsv("category\ttext\nwaste\tزباله\nroads\n")


def test_heldout_files_are_never_training_files():
    assert all(not example.text.startswith("category") for example in read_corpus("train", directory=DATA))
    assert read_corpus("train", directory=DATA) == []  # the tests' files are not named train_*.tsv


def test_the_one_message_fast_path_gives_the_same_probabilities_as_sklearn():
    classifier = small_bundle().category
    texts = ["چراغ کوچه خاموش است", "سگ ولگرد در پارک", "زباله و نخاله"]
    batch = classifier.probabilities(texts)  # sklearn's transform + predict_proba
    for i, text in enumerate(texts):
        single = classifier.probabilities([text])
        assert abs(single[0] - batch[i]).max() < 1e-5
