"""Insights benchmark: held-out accuracy, classification speed on one core, training on 500,000 cases.

    .venv/bin/python bench/insights_bench.py [--cases 500000] [--json out.json]

1. Trains the default classifier (peygir.insights.classifier) on the starter corpus
   (peygir/insights/corpus/train_*.tsv) and scores it on the held-out files (heldout_*.tsv), which
   training never reads: accuracy, top-3 accuracy, macro-F1.
2. Classification speed on ONE core (BLAS and OpenMP pinned to one thread before numpy loads):
   messages per second one at a time (what the after-registration task does) and in batches of 1,000.
3. Training time on ``--cases`` synthetic cases: corpus messages sampled with variations (Arabic
   ي/ك, Persian or Latin digits, missing or extra ZWNJ, a dropped or doubled letter, greetings, an
   address or a plate number added), vectorised and fitted exactly as ``train_classifier`` does.
No database and no network.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()  # gettext_lazy labels in the lexicon need the app registry; nothing touches the database

from peygir.insights.classifier import TextClassifier, make_vectorizer, prepare  # noqa: E402
from peygir.insights.corpus import read_corpus  # noqa: E402
from peygir.insights.evaluation import evaluate  # noqa: E402

GREETINGS = ["سلام ", "با سلام و احترام، ", "سلام وقت بخیر ", "", "", "باسلام "]
ENDINGS = [" ممنون", " لطفا رسیدگی کنید", " خیلی وقته پیگیری می‌کنم", "", "", " با تشکر"]
STREETS = ["خیابان ولیعصر", "خیابان شریعتی", "کوچه نسترن", "بلوار کشاورز", "خیابان آزادی", "میدان انقلاب"]
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def vary(text: str, rng: random.Random) -> str:
    """One plausible rewrite of a citizen message."""
    out = rng.choice(GREETINGS) + text + rng.choice(ENDINGS)
    roll = rng.random()
    if roll < 0.25:
        out = out.replace("ی", "ي").replace("ک", "ك")
    elif roll < 0.5:
        out = out.replace("\u200c", rng.choice(["", " "]))
    if rng.random() < 0.4:
        number = str(rng.randint(1, 250))
        place = f" {rng.choice(STREETS)} پلاک {number}"
        out += place.translate(PERSIAN_DIGITS) if rng.random() < 0.5 else place
    if rng.random() < 0.15:
        out += f" پلاک ماشین {rng.randint(10, 99)}ب{rng.randint(100, 999)} ایران {rng.randint(10, 99)}"
    if len(out) > 8 and rng.random() < 0.3:
        i = rng.randrange(1, len(out) - 1)
        out = out[:i] + out[i + 1 :] if rng.random() < 0.5 else out[:i] + out[i] + out[i:]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=500_000)
    parser.add_argument("--json")
    args = parser.parse_args()
    result: dict[str, object] = {}

    train = read_corpus("train")
    heldout = read_corpus("heldout")
    if not train:
        raise SystemExit("no corpus: peygir/insights/corpus/train_*.tsv")
    started = time.perf_counter()
    classifier = TextClassifier.train([e.text for e in train], [e.label for e in train])
    result["corpus_train_examples"] = len(train)
    result["corpus_train_seconds"] = round(time.perf_counter() - started, 2)
    if heldout:
        report = evaluate(classifier, heldout)
        result.update(
            heldout_examples=report.count,
            heldout_accuracy=round(report.accuracy, 4),
            heldout_top3=round(report.top3, 4),
            heldout_macro_f1=round(report.macro_f1, 4),
        )
        print(report.as_text())

    rng = random.Random(7)
    texts = [vary(rng.choice(heldout or train).text, rng) for _ in range(5000)]
    started = time.perf_counter()
    for text in texts[:2000]:
        classifier.top([text], k=3)
    single = 2000 / (time.perf_counter() - started)
    started = time.perf_counter()
    for i in range(0, len(texts), 1000):
        classifier.top(texts[i : i + 1000], k=3)
    batch = len(texts) / (time.perf_counter() - started)
    result["classify_per_second_single"] = round(single)
    result["classify_per_second_batch"] = round(batch)

    started = time.perf_counter()
    samples = [rng.choice(train) for _ in range(args.cases)]
    docs = [prepare(vary(example.text, rng)) for example in samples]
    labels = [example.label for example in samples]
    synth = time.perf_counter() - started
    started = time.perf_counter()
    vectorizer = make_vectorizer()
    matrix = vectorizer.fit_transform(docs)
    vectorised = time.perf_counter() - started
    big = TextClassifier.train(docs, labels, vectorizer=vectorizer, matrix=matrix)
    total = time.perf_counter() - started
    result.update(
        synthetic_cases=args.cases,
        synthetic_make_seconds=round(synth, 1),
        train_vectorise_seconds=round(vectorised, 1),
        train_total_seconds=round(total, 1),
    )
    if heldout:
        result["synthetic_model_heldout_accuracy"] = round(evaluate(big, heldout).accuracy, 4)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
