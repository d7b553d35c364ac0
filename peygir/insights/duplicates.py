"""Possible duplicates: same or related category, the H3 neighbourhood, a time window, similar text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import h3
import numpy as np
from django.conf import settings
from django.utils import timezone

from peygir.cases.models import Case
from peygir.core.geo import h3_cell, valid_lat_lon

from .classifier import make_vectorizer, prepare
from .registry import classifier
from .store import insights_setting

# Categories whose reports often describe the same thing on the ground (a blocked gutter floods the
# road; a leaning wall on a building site is a safety matter): a case in one may duplicate the other.
RELATED: dict[str, set[str]] = {
    "drainage": {"roads"},
    "roads": {"drainage", "traffic"},
    "traffic": {"roads"},
    "safety": {"construction", "green", "lighting"},
    "construction": {"safety", "obstruction"},
    "green": {"safety"},
    "lighting": {"safety", "traffic"},
    "obstruction": {"construction"},
    "waste": {"pollution"},
    "pollution": {"waste"},
}
MAX_CANDIDATES = 300
FOLLOWABLE = (*Case.OPEN_PHASES, Case.Phase.RESPONDED)


@dataclass(frozen=True)
class Candidate:
    case: Case
    similarity: float


def related_categories(codes: Iterable[str]) -> set[str]:
    """The codes themselves and the categories the catalog relates them to."""
    result: set[str] = set()
    for code in codes:
        if code:
            result.add(code)
            result |= RELATED.get(code, set())
    return result


def neighbourhood(lat: float, lon: float, rings: int | None = None) -> list[str]:
    """The H3 cells within ``rings`` of the point's cell (the resolution cases are indexed at)."""
    cell = h3_cell(lat, lon, settings.PEYGIR["H3_RESOLUTION"])
    return list(h3.grid_disk(cell, rings if rings is not None else insights_setting("DUPLICATE_RINGS", 2)))


def _similarities(text: str, others: list[str]) -> np.ndarray:
    model = classifier()
    texts = [text, *others]
    if model is not None:
        vectors = model.similarity_vectors(texts)
    else:
        # No trained model yet: TF-IDF learnt on the candidates themselves (weaker IDF, same idea).
        vectors = make_vectorizer(max_features=None).fit_transform([prepare(t) for t in texts])
    scores = (vectors[1:] @ vectors[0].T).toarray().ravel()
    return np.asarray(scores, dtype=float)


def duplicate_candidates(
    *,
    text: str,
    lat: float | None,
    lon: float | None,
    categories: Iterable[str],
    exclude: Case | None = None,
    now: dt.datetime | None = None,
    limit: int = 5,
    visible_to: Any = None,
) -> list[Candidate]:
    """Cases that may report the same thing, most similar first.

    Open or responded cases, not merged, of one of ``categories`` or a related one, whose H3 cell is
    within ``DUPLICATE_RINGS`` of the point, registered in the last ``DUPLICATE_DAYS`` days, with a
    TF-IDF cosine of at least ``DUPLICATE_MIN_SIMILARITY``. No point, no candidates. ``visible_to``
    (a filter taking a case) drops cases the viewer may not see.
    """
    if lat is None or lon is None or not valid_lat_lon(lat, lon) or not prepare(text):
        return []
    codes = related_categories(categories)
    if not codes:
        return []
    now = now or timezone.now()
    days = insights_setting("DUPLICATE_DAYS", 14)
    queryset = (
        Case.objects.filter(
            h3_cell__in=neighbourhood(lat, lon),
            created_at__gte=now - dt.timedelta(days=days),
            category__code__in=codes,
            phase__in=FOLLOWABLE,
            duplicate_of__isnull=True,
        )
        .select_related("category", "unit")
        .order_by("-created_at")
    )
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    cases = [case for case in queryset[:MAX_CANDIDATES] if visible_to is None or visible_to(case)]
    if not cases:
        return []
    scores = _similarities(text, [case.description for case in cases])
    threshold = float(insights_setting("DUPLICATE_MIN_SIMILARITY", 0.3))
    found = [
        Candidate(case, round(float(score), 3))
        for case, score in zip(cases, scores, strict=True)
        if score >= threshold
    ]
    found.sort(key=lambda candidate: (-candidate.similarity, candidate.case.created_at))
    return found[:limit]
