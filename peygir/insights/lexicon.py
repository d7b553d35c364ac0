"""Written lexicons: danger (urgency) and corruption or misconduct, over ``normalize_for_search`` text.

Patterns match the folded form (Arabic ي/ك already Persian, ZWNJ as a space, Latin digits), in
formal and colloquial spelling (میاد/می‌آید، خونه/خانه). Each hit says which rule fired, so a flag
is always explainable. Pure functions, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .classifier import Scored, prepare

_W = r"[^ ]*"  # the rest of a word (suffixes: ها، ی، ش …)


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{part})" for part in parts))


# (code, label shown to staff, pattern)
DANGER_RULES: list[tuple[str, object, re.Pattern[str]]] = [
    (
        "gas",
        _("بوی گاز یا نشت گاز"),
        _rx(
            r"بو(?:ی)? ?(?:شدید )?گاز",
            r"نشت(?:ی)? (?:لوله )?گاز",
            r"گاز (?:نشت|بیرون|پس) ?(?:می ?ز|کرده|میده|می دهد|زده)",
            r"لوله(?: ی)? گاز .{0,20}(?:شکست|ترکید|سوراخ|پاره|آسیب)",
            r"گاز ?گرفتگی",
        ),
    ),
    (
        "collapse",
        _("ریزش دیوار یا ساختمان"),
        _rx(
            r"(?:دیوار|ساختمان|سقف|بالکن|نما|سازه|داربست|تیر|جرثقیل|پل)"
            + _W
            + r" .{0,40}(?:در حال (?:ریزش|ریختن|فرو ?ریختن|سقوط|افتادن)|داره (?:می ?)?(?:ریزه|ریزد|افته|افتد|میفته|ریز)|"
            r"ریزش (?:کرده|کرد|میکنه|می کند)|کج شده (?:و|داره)|فرو ?ریخت|رو به ریزش)",
            r"(?:خطر|احتمال|امکان) (?:ریزش|فرو ?ریختن|سقوط)",
            r"ریزش (?:دیوار|ساختمان|سقف|بالکن|آوار)",
            r"داره (?:می ?)?ریزه",
        ),
    ),
    (
        "cable",
        _("سیم یا کابل برق خطرناک"),
        _rx(
            r"(?:سیم|کابل)" + _W + r"(?: (?:برق|فشار قوی))?" + r" .{0,30}(?:افتاده|پاره|لخت|روی زمین|رو زمین|"
            r"آویزون|آویزان|ول شده|جرقه|بیرون زده)",
            r"برق ?گرفتگی",
            r"برق (?:گرفت|میگیره|می گیره|می گیرد)",
            r"جرقه (?:میزنه|می زنه|می زند|زد)",
            r"تیر برق .{0,25}(?:افتاده|شکسته|کج)",
        ),
    ),
    (
        "person",
        _("جان کسی در خطر است"),
        _rx(
            r"(?:بچه|کودک|آدم|فرد|شخص|کارگر|پیرمرد|پیرزن|خانم|آقا|مرد|زن|عابر)"
            + _W
            + r" .{0,30}(?:افتاده (?:تو|توی|داخل|درون|ته) (?:چاه|گودال|کانال|جوی)|گیر (?:افتاده|کرده)|در خطر|غرق|"
            r"زیر آوار|بیهوش|مصدوم|زخمی)",
            r"خطر (?:جانی|مرگ)",
            r"جان .{0,25}در خطر",
            r"(?:کمک|نجات) (?:فوری|سریع)",
            r"زیر آوار",
            r"(?:افتاد|افتاده|سقوط کرد) (?:تو|توی|داخل|درون|ته) (?:چاه|گودال)",
        ),
    ),
    (
        "flood",
        _("آب به خانه‌ها رفته است"),
        _rx(
            r"آب .{0,35}(?:وارد|رفته|رفت|ریخته|اومده|آمده|افتاده) .{0,20}?(?:خانه|خونه|منزل|منازل|زیرزمین|پارکینگ|مغازه|واحد)",
            r"آب .{0,15}(?:خانه|خونه|منزل|منازل|زیرزمین|پارکینگ)"
            + _W
            + r" .{0,15}(?:رو |را )?(?:گرفته|برده|پر کرده)",
            r"(?:خانه|خونه|منازل|زیرزمین|پارکینگ)" + _W + r" .{0,20}(?:آب گرفت|آب ?گرفتگی|زیر آب|پر آب)",
            r"سیل(?:اب)? (?:آمده|اومده|راه افتاده|جاری|زده)",
            r"سیلاب",
        ),
    ),
    (
        "fire",
        _("آتش‌سوزی"),
        _rx(r"آتش ?سوزی", r"(?:آتش|آتیش) (?:گرفته|گرفت|زده)", r"دود غلیظ", r"شعله (?:ور|کشیده)"),
    ),
]

CORRUPTION_RULES: list[tuple[str, object, re.Pattern[str]]] = [
    (
        "bribe",
        _("رشوه"),
        _rx(r"رشوه", r"زیر ?میزی", r"حق ?(?:و )?حساب", r"شیرینی (?:خواست|گرفت|می ?خواد|می ?خواست|بده)"),
    ),
    ("embezzlement", _("اختلاس"), _rx(r"اختلاس", r"بالا کشیدن (?:بودجه|پول)", r"حیف و میل")),
    (
        "favouritism",
        _("پارتی‌بازی"),
        _rx(r"پارتی ?بازی", r"پارتی (?:داشت|دارن|دارند|داره)", r"رانت", r"آشنا ?بازی"),
    ),
    (
        "abuse",
        _("سوءاستفاده از مقام"),
        _rx(
            r"سو ?ء? ?استفاده (?:از )?(?:مقام|موقعیت|قدرت|جایگاه|سمت|اختیارات)",
            r"(?:مقام|موقعیت|قدرت|جایگاه|سمت|پست)" + _W + r" .{0,15}سو ?ء? ?استفاده",
            r"تبانی",
            r"باج (?:گرفت|خواست|می ?گیر|می ?خواست|دادم|بدم)",
            r"پول (?:خواست|گرفت|می ?خواست) (?:تا|که|وگرنه)",
            r"فساد (?:مالی|اداری)",
        ),
    ),
]

# "Classifier features": a safety-topic message that also says it is dangerous is urgent even when
# no written danger rule names the hazard.
_GENERIC_DANGER = re.compile(r"خطرناک|خطر|فوری|اورژانس|حادثه")
SAFETY_CATEGORY = "safety"
SAFETY_MIN_PROBABILITY = 0.6


@dataclass(frozen=True)
class Hit:
    code: str
    label: str
    excerpt: str


def _scan(rules: list[tuple[str, object, re.Pattern[str]]], text: str) -> list[Hit]:
    folded = prepare(text)
    hits: list[Hit] = []
    for code, label, pattern in rules:
        match = pattern.search(folded)
        if match:
            hits.append(Hit(code, str(label), match.group(0)))
    return hits


def danger_hits(text: str, top: Sequence[Scored] = ()) -> list[Hit]:
    """Why ``text`` is urgent (empty when it is not): the danger rules that fire and, given the
    classifier's top categories, a probable safety topic written as dangerous."""
    hits = _scan(DANGER_RULES, text)
    if not hits and top:
        best = top[0]
        generic = _GENERIC_DANGER.search(prepare(text))
        if best.label == SAFETY_CATEGORY and best.probability >= SAFETY_MIN_PROBABILITY and generic:
            hits.append(Hit("safety", str(_("موضوع ایمنی با نشانه خطر")), generic.group(0)))
    return hits


def corruption_hits(text: str) -> list[Hit]:
    """Why ``text`` reads like a corruption or misconduct report (empty when it does not)."""
    return _scan(CORRUPTION_RULES, text)
