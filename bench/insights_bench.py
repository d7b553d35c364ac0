"""Insights benchmark: held-out accuracy, classification speed on one core, training on 500,000 cases.

    .venv/bin/python bench/insights_bench.py [--cases 500000] [--json out.json]

1. Trains the default classifier (peygir.insights.classifier) on the starter corpus
   (peygir/insights/corpus/train_*.tsv) and scores it on the held-out files (heldout_*.tsv), which
   training never reads: accuracy, top-3 accuracy, macro-F1.
2. Classification speed on ONE core (BLAS and OpenMP pinned to one thread before numpy loads):
   messages per second one at a time (what the after-registration task does) and in batches of 1,000.
3. Training time on ``--cases`` synthetic cases: corpus messages sampled with variations (Arabic
   ي/ك, Persian or Latin digits, missing or extra ZWNJ, a dropped or doubled letter, greetings, an
   address or a plate number added), each with a category and a message type, trained by
   ``training.bundle_train`` exactly as ``train_classifier`` does once the rows are read: text
   normalisation, features, the category model and the message-type model (``--no-types``: the
   category model only). The model trained on them is scored on the held-out files too.
   The load average is recorded: the figures depend on what else runs on the machine.
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

from peygir.insights.classifier import TextClassifier  # noqa: E402
from peygir.insights.corpus import Example, read_corpus  # noqa: E402
from peygir.insights.evaluation import evaluate  # noqa: E402
from peygir.insights.training import TrainingData, bundle_train  # noqa: E402

GREETINGS = ["سلام ", "با سلام و احترام، ", "سلام وقت بخیر ", "", "", "باسلام "]
ENDINGS = [" ممنون", " لطفا رسیدگی کنید", " خیلی وقته پیگیری می‌کنم", "", "", " با تشکر"]
STREETS = ["خیابان ولیعصر", "خیابان شریعتی", "کوچه نسترن", "بلوار کشاورز", "خیابان آزادی", "میدان انقلاب"]
TYPES = ["request", "complaint", "report", "suggestion", "criticism", "appreciation", "inquiry"]
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
    parser.add_argument("--no-types", action="store_true", help="train the category model only")
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

    # Synthetic cases: a corpus message rewritten, its category, and a message type (the usual type
    # of the category 70 % of the time, any type otherwise), so that BOTH models are trained, as
    # train_classifier does for closed cases.
    started = time.perf_counter()
    samples = [rng.choice(train) for _ in range(args.cases)]
    usual = {label: TYPES[i % len(TYPES)] for i, label in enumerate(sorted({e.label for e in train}))}
    cases = [Example(example.label, vary(example.text, rng)) for example in samples]
    kinds = [
        Example(usual[example.label] if rng.random() < 0.7 else rng.choice(TYPES), case.text)
        for example, case in zip(samples, cases, strict=True)
    ]
    result.update(synthetic_cases=args.cases, synthetic_make_seconds=round(time.perf_counter() - started, 1))
    del samples
    # Timed exactly as train_classifier does it after reading the database: normalising the text,
    # the n-gram features (once, shared), the category model and the message-type model.
    result["load_average_before_training"] = [round(x, 2) for x in os.getloadavg()]
    started = time.perf_counter()
    if args.no_types:
        kinds = []
    bundle = bundle_train(TrainingData(cases, kinds, {"db": len(cases)}))
    total = time.perf_counter() - started
    result.update(
        train_features_seconds=bundle.trained_on.get("features_seconds"),
        train_total_seconds=round(total, 1),
        train_type_model=bundle.trained_on["type_source"],
        train_features=len(bundle.category.vectorizer.vocabulary_) if bundle.category.vectorizer else 0,
    )
    if heldout:
        big = evaluate(bundle.category, heldout)
        result.update(
            synthetic_model_heldout_accuracy=round(big.accuracy, 4),
            synthetic_model_heldout_top3=round(big.top3, 4),
            synthetic_model_heldout_macro_f1=round(big.macro_f1, 4),
        )
    result["load_average_after_training"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
