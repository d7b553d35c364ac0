"""The backends the insights app can use, chosen by name in ``settings.INSIGHTS``.

A classifier backend turns texts into ``classifier.Prediction`` (top categories and message types
with probabilities) and gives similarity vectors for the duplicate finder; ``tfidf`` (the default,
``classifier.ModelBundle``) is registered here. An assistant backend summarises and drafts replies
(``llm.ChatAssistant``, off unless ``LLM_BACKEND`` names it). Register another with
``register_classifier`` / ``register_assistant`` in an AppConfig.ready() to replace the default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from .classifier import Prediction
from .store import insights_setting


class Classifier(Protocol):
    name: str
    version: str

    def predict(self, texts: Sequence[str], *, k: int = 3) -> list[Prediction]: ...

    def similarity_vectors(self, texts: Sequence[str]) -> Any: ...


class Assistant(Protocol):
    name: str

    def summarise(self, text: str) -> str: ...

    def draft_reply(self, *, text: str, category: str, unit: str) -> str: ...


def _tfidf() -> Classifier | None:
    from .training import bundle_ready

    return bundle_ready()


def _openai() -> Assistant | None:
    from .llm import ChatAssistant

    return ChatAssistant.from_settings()


CLASSIFIERS: dict[str, Callable[[], Classifier | None]] = {"tfidf": _tfidf}
ASSISTANTS: dict[str, Callable[[], Assistant | None]] = {"openai": _openai}


def register_classifier(name: str, loader: Callable[[], Classifier | None]) -> None:
    CLASSIFIERS[name] = loader


def register_assistant(name: str, loader: Callable[[], Assistant | None]) -> None:
    ASSISTANTS[name] = loader


def classifier() -> Classifier | None:
    """The configured classifier, or None when it has no model (nothing to train on yet)."""
    name = insights_setting("CLASSIFIER_BACKEND", "tfidf")
    try:
        loader = CLASSIFIERS[name]
    except KeyError as exc:
        raise LookupError(f"INSIGHTS['CLASSIFIER_BACKEND']: no classifier named '{name}'") from exc
    return loader()


def assistant() -> Assistant | None:
    """The configured LLM assistant, or None when none is configured (the default)."""
    name = insights_setting("LLM_BACKEND", "")
    if not name:
        return None
    try:
        loader = ASSISTANTS[name]
    except KeyError as exc:
        raise LookupError(f"INSIGHTS['LLM_BACKEND']: no assistant named '{name}'") from exc
    return loader()
