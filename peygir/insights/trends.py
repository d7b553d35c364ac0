"""Emerging topics: terms whose share of a district's cases this week rose against its baseline."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from peygir.cases.models import Case
from peygir.core.text import normalize_for_search

# Function words and the words nearly every message has (they carry no topic).
STOPWORDS = frozenset(
    [
        "از",
        "به",
        "در",
        "که",
        "این",
        "آن",
        "را",
        "با",
        "و",
        "یا",
        "برای",
        "تا",
        "است",
        "هست",
        "نیست",
        "شده",
        "شد",
        "میشه",
        "می",
        "شود",
        "بود",
        "بوده",
        "هم",
        "ما",
        "من",
        "شما",
        "او",
        "ایشان",
        "های",
        "ها",
        "یک",
        "دو",
        "چند",
        "هر",
        "همه",
        "روی",
        "رو",
        "توی",
        "تو",
        "داخل",
        "کنار",
        "جلوی",
        "پشت",
        "بین",
        "زیر",
        "بالا",
        "پایین",
        "خیلی",
        "بسیار",
        "لطفا",
        "لطفاً",
        "سلام",
        "باتشکر",
        "تشکر",
        "ممنون",
        "خواهشمند",
        "است",
        "هستند",
        "کنید",
        "کنیم",
        "کند",
        "کرده",
        "کردن",
        "کردند",
        "کردیم",
        "دارد",
        "داره",
        "دارند",
        "نمی",
        "نه",
        "اگر",
        "ولی",
        "اما",
        "چون",
        "چرا",
        "چه",
        "کی",
        "کجا",
        "کدام",
        "هیچ",
        "اینجا",
        "آنجا",
        "اونجا",
        "همین",
        "همان",
        "اون",
        "ای",
        "بی",
        "مورد",
        "محترم",
        "شهرداری",
        "منطقه",
        "ناحیه",
        "خیابان",
        "کوچه",
        "پلاک",
        "روز",
        "روزه",
        "هفته",
        "ماه",
        "سال",
        "مدت",
        "الان",
        "هنوز",
        "دیگر",
        "دیگه",
        "باید",
        "بدون",
        "بعد",
        "قبل",
        "پیش",
        "سر",
        "جا",
        "ساعت",
        "شب",
        "صبح",
        "عصر",
        "امروز",
        "دیروز",
        "بر",
        "پس",
        "اش",
        "نیز",
        "ام",
        "ات",
        "اند",
        "ی",
    ]
)
_WORD = re.compile(r"[\u0600-\u06ffa-z]{2,}")
SMOOTHING = 0.5


@dataclass(frozen=True)
class Term:
    term: str
    count: int
    baseline_count: int
    score: float  # natural log of (this week's share / baseline share), smoothed


def week_start(day: dt.date) -> dt.date:
    """The Saturday that starts the (Iranian) week of ``day``."""
    return day - dt.timedelta(days=(day.weekday() - 5) % 7)


def terms_of(text: str) -> set[str]:
    """The distinct words (2+ letters, no stopwords) and adjacent word pairs of a text."""
    words = [word for word in _WORD.findall(normalize_for_search(text)) if word not in STOPWORDS]
    return set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}


def emerging_terms(
    *,
    district_ids: Iterable[int],
    week: dt.date,
    baseline_weeks: int = 8,
    min_count: int = 3,
    min_ratio: float = 2.0,
    limit: int = 10,
    max_cases: int = 100_000,
) -> dict[int, list[Term]]:
    """Per district, the terms of the week starting ``week`` whose share of the district's cases is at
    least ``min_ratio`` times their share over the ``baseline_weeks`` before, seen in at least
    ``min_count`` cases this week. The log-ratio is smoothed so a term never seen before does not
    score infinity. Read only."""
    start = week_start(week)
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start - dt.timedelta(weeks=baseline_weeks), dt.time(), tzinfo=tz)
    current_from = dt.datetime.combine(start, dt.time(), tzinfo=tz)
    end = current_from + dt.timedelta(weeks=1)
    rows = (
        Case.objects.filter(district_id__in=list(district_ids), created_at__gte=begin, created_at__lt=end)
        .order_by()
        .values_list("district_id", "created_at", "description")[:max_cases]
    )
    now_counts: dict[int, Counter[str]] = defaultdict(Counter)
    base_counts: dict[int, Counter[str]] = defaultdict(Counter)
    now_docs: Counter[int] = Counter()
    base_docs: Counter[int] = Counter()
    for district_id, created_at, description in rows:
        terms = terms_of(description)
        if created_at >= current_from:
            now_counts[district_id].update(terms)
            now_docs[district_id] += 1
        else:
            base_counts[district_id].update(terms)
            base_docs[district_id] += 1
    threshold = math.log(min_ratio)
    result: dict[int, list[Term]] = {}
    for district_id, counts in now_counts.items():
        docs, bdocs = now_docs[district_id], base_docs[district_id]
        found = []
        for term, count in counts.items():
            if count < min_count:
                continue
            base = base_counts[district_id][term]
            score = math.log((count + SMOOTHING) / (docs + 2 * SMOOTHING)) - math.log(
                (base + SMOOTHING) / (bdocs + 2 * SMOOTHING)
            )
            if score >= threshold:
                found.append(Term(term, count, base, round(score, 2)))
        # A pair that rose carries its words with it: keep the pair, drop the words it explains.
        pairs = {term.term for term in found if " " in term.term}
        covered = {word for pair in pairs for word in pair.split()}
        found = [term for term in found if " " in term.term or term.term not in covered]
        found.sort(key=lambda term: (-term.score, -term.count, term.term))
        if found:
            result[district_id] = found[:limit]
    return result
