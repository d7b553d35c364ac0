"""Labelled text files (``category<TAB>text`` with that header) and the starter corpus beside this module.

The starter corpus is ``corpus/train_*.tsv`` (what training reads) and ``corpus/heldout_*.tsv``
(written independently, never read by training; what accuracy is reported on).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
HEADER = ("category", "text")


class CorpusError(ValueError):
    """A labelled file that does not follow the format; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    label: str
    text: str


def read_tsv(path: Path | str, *, labels: Iterable[str] | None = None) -> list[Example]:
    """The examples of one file. Raises CorpusError for a missing or wrong header, a line without
    exactly two tab-separated fields, an empty label or text, or (with ``labels``) an unknown label."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path}: not UTF-8 text") from exc
    return parse_tsv(content, name=str(path), labels=labels)


def parse_tsv(content: str, *, name: str = "<text>", labels: Iterable[str] | None = None) -> list[Example]:
    known = set(labels) if labels is not None else None
    lines = content.splitlines()
    if not lines or tuple(field.strip() for field in lines[0].split("\t")) != HEADER:
        raise CorpusError(f"{name}:1: the header must be 'category<TAB>text'")
    examples: list[Example] = []
    reader = csv.reader(io.StringIO("\n".join(lines[1:])), delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue  # blank lines are allowed
        if len(row) != 2:
            raise CorpusError(f"{name}:{number}: expected 2 tab-separated fields, found {len(row)}")
        label, text = row[0].strip(), row[1].strip()
        if not label or not text:
            raise CorpusError(f"{name}:{number}: empty category or text")
        if known is not None and label not in known:
            raise CorpusError(f"{name}:{number}: unknown category '{label}'")
        examples.append(Example(label, text))
    if not examples:
        raise CorpusError(f"{name}: no examples")
    return examples


def corpus_files(kind: str = "train", directory: Path | None = None) -> list[Path]:
    """The starter corpus files of ``kind`` ("train" or "heldout"), sorted."""
    return sorted((directory or CORPUS_DIR).glob(f"{kind}_*.tsv"))


def read_corpus(
    kind: str = "train", *, labels: Iterable[str] | None = None, directory: Path | None = None
) -> list[Example]:
    examples: list[Example] = []
    for path in corpus_files(kind, directory):
        examples.extend(read_tsv(path, labels=labels))
    return examples
