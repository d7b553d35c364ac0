"""Accuracy, top-3 accuracy, macro-F1 and the confusion matrix of a classifier on labelled examples."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.metrics import f1_score

from .classifier import TextClassifier
from .corpus import Example


@dataclass(frozen=True)
class Report:
    count: int
    accuracy: float
    top3: float
    macro_f1: float
    labels: list[str]
    # confusion[i][j]: examples of labels[i] predicted as labels[j].
    confusion: list[list[int]]

    def as_text(self) -> str:
        lines = [
            f"examples: {self.count}",
            f"accuracy: {self.accuracy:.4f}",
            f"top-3 accuracy: {self.top3:.4f}",
            f"macro-F1: {self.macro_f1:.4f}",
            "",
            "confusion matrix (rows: true, columns: predicted)",
        ]
        width = max(6, *(len(label) for label in self.labels)) + 1
        lines.append(" " * width + "".join(label[:6].rjust(7) for label in self.labels))
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append(label.ljust(width) + "".join(str(n).rjust(7) for n in row))
        return "\n".join(lines)


def evaluate(classifier: TextClassifier, examples: Sequence[Example]) -> Report:
    """Score ``classifier`` on ``examples``; labels the model never saw count as errors."""
    tops = classifier.top([example.text for example in examples], k=3)
    truth = [example.label for example in examples]
    predicted = [top[0].label for top in tops]
    labels = sorted(set(truth) | set(predicted))
    index = {label: i for i, label in enumerate(labels)}
    confusion = [[0] * len(labels) for _ in labels]
    for true, guess in zip(truth, predicted, strict=True):
        confusion[index[true]][index[guess]] += 1
    count = len(examples)
    correct = sum(1 for true, guess in zip(truth, predicted, strict=True) if true == guess)
    in_top3 = sum(1 for true, top in zip(truth, tops, strict=True) if true in {s.label for s in top})
    macro = f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0)
    return Report(
        count=count,
        accuracy=correct / count if count else 0.0,
        top3=in_top3 / count if count else 0.0,
        macro_f1=float(macro),
        labels=labels,
        confusion=confusion,
    )
