from __future__ import annotations

import pytest

from peygir.insights.classifier import Scored
from peygir.insights.lexicon import corruption_hits, danger_hits

DANGEROUS = [
    ("بوی گاز شدیدی توی راه‌پله ساختمان پیچیده", "gas"),
    ("بو گاز میاد از کوچه، تو رو خدا زود بیاین", "gas"),
    ("لوله گاز جلوی خونه شکسته و صدای فس فس میاد", "gas"),
    ("دیوار مدرسه قدیمی داره میریزه، بچه ها از کنارش رد میشن", "collapse"),
    ("ديوار ساختمان كناري در حال ريزش است", "collapse"),  # Arabic ي and ك
    ("خطر ریزش ساختمان نیمه کاره در خیابان ۱۲", "collapse"),
    ("سیم برق افتاده روی زمین کنار پارک و جرقه میزنه", "cable"),
    ("کابل برق پاره شده و وسط پیاده رو افتاده", "cable"),
    ("یه بچه افتاده تو چاه کنار زمین بازی کمک کنید", "person"),
    ("کارگر ساختمانی زیر آوار مانده است", "person"),
    ("آب وارد خانه‌های کوچه شده و زیرزمین‌ها پر آب است", "flood"),
    ("آب رفته تو خونه ها، همه وسایل خراب شد", "flood"),
    ("ساختمان روبرو آتش گرفته و دود غلیظ بلند شده", "fire"),
]
CALM = [
    "زباله‌های کوچه سه روز است جمع‌آوری نشده",
    "چراغ کوچه خاموش است",
    "سیم کشی برق پارک نیاز به بازدید دارد",
    "پرداخت عوارض نوسازی در سامانه انجام نمی‌شود",
    "دیوار نویسی روی دیوار مدرسه زیاد شده",
    "لطفا آب نمای پارک را روشن کنید",
]


@pytest.mark.parametrize(("text", "code"), DANGEROUS)
def test_danger_is_recognised_in_written_examples(text, code):
    assert code in [hit.code for hit in danger_hits(text)]


@pytest.mark.parametrize("text", CALM)
def test_ordinary_messages_are_not_urgent(text):
    assert danger_hits(text) == []


def test_a_probable_safety_topic_written_as_dangerous_is_urgent():
    top = [Scored("safety", 0.8), Scored("roads", 0.1), Scored("green", 0.05)]
    hits = danger_hits("این گودال کنار مدرسه خیلی خطرناک است", top)
    assert [hit.code for hit in hits] == ["safety"]
    assert danger_hits("این گودال کنار مدرسه خیلی خطرناک است", [Scored("roads", 0.8)]) == []
    assert danger_hits("گودال کنار مدرسه را پر کنید", top) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("مامور شهرداری برای ندیدن تخلف ساختمان رشوه خواست", "bribe"),
        ("کارمند دفتر پیشخوان گفت زیرمیزی بدی کارت زود انجام میشه", "bribe"),
        ("شنیدم مسئول قرارداد اختلاس کرده", "embezzlement"),
        ("مجوز را با پارتی بازی به آشنایان خودشان دادند", "favouritism"),
        ("مدیر ناحیه از مقامش سوء استفاده کرده و زمین را به نام برادرش زده", "abuse"),
        ("در مناقصه آسفالت تبانی شده است", "abuse"),
    ],
)
def test_corruption_reports_are_flagged(text, code):
    assert code in [hit.code for hit in corruption_hits(text)]


@pytest.mark.parametrize("text", CALM)
def test_ordinary_messages_are_not_corruption(text):
    assert corruption_hits(text) == []
