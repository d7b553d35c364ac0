"""Demo data of the call center: knowledge-base articles, two clinic experts and their open slots.

For local demonstration only (``make run``), like the organization's personas; idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from peygir.catalog.models import Category
from peygir.org.demo import DEMO_PASSWORD
from peygir.org.models import Membership, Unit

from .clinic import clinic_slots_publish
from .knowledge import article_save
from .models import Article, Expert

ARTICLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "زباله جمع‌آوری‌نشده: چه بپرسیم و کجا بفرستیم",
        "نشانی دقیق (خیابان، کوچه، پلاک یا نشانه نزدیک) و از چه زمانی زباله مانده است را بپرسید. "
        "جمع‌آوری زباله خانگی با منطقه‌ای است که نقطه در آن است؛ نخاله ساختمانی را هم ثبت کنید و "
        "بگویید اگر سازنده مشخص است، نشانی کارگاه را هم بدهد. مهلت پاسخ ۲۴ ساعت است.",
        ("waste",),
    ),
    (
        "آب‌گرفتگی و جوی گرفته",
        "اگر آب وارد خانه یا زیرزمین شده یا خطر برق‌گرفتگی هست، پیام را «فوری» ثبت کنید و به شهروند "
        "بگویید برق طبقه را قطع کند و در صورت خطر جانی با ۱۲۵ تماس بگیرد. برای جوی و دریچه گرفته، "
        "نشانی و طول تقریبی مسیر گرفته را بپرسید.",
        ("drainage", "safety"),
    ),
    (
        "چراغ خاموش معابر و پارک",
        "شماره پایه چراغ (روی بدنه پایه نوشته شده) بهترین نشانی است. اگر کابل بیرون‌زده یا جرقه "
        "دیده می‌شود، پیام را در دسته «ایمنی و حوادث» ثبت کنید، نه روشنایی.",
        ("lighting", "safety"),
    ),
    (
        "عوارض نوسازی و پرداخت",
        "عوارض نوسازی هر سال برای املاک شهر تهران صادر می‌شود و از درگاه پرداخت شهرداری یا دفاتر "
        "خدمات الکترونیک شهر پرداخت می‌شود. برای اعتراض به مبلغ، شهروند باید با کد نوسازی ملک به "
        "دفتر منطقه مراجعه کند؛ پیام «درخواست بررسی» با کد نوسازی ثبت شود.",
        ("finance",),
    ),
    (
        "ساخت‌وساز بدون پروانه و گودبرداری خطرناک",
        "نشانی دقیق، نوع کار (تخریب، گودبرداری، افزایش طبقه) و ساعت‌هایی که کار می‌شود را بپرسید. "
        "اگر گود بدون حفاظ است یا دیوار همسایه ترک برداشته، پیام را فوری ثبت کنید.",
        ("construction", "safety"),
    ),
    (
        "سگ بلاصاحب و حیوان آسیب‌دیده",
        "تعداد، رفتار (تهاجمی یا نه) و محل دقیق را بپرسید. برای حیوان آسیب‌دیده، اگر شهروند می‌تواند "
        "کنار حیوان بماند شماره تماس بگیرید تا گروه اعزامی هماهنگ کند.",
        ("animals",),
    ),
)

EXPERTS = (
    ("expert-legal", "مشاور حقوقی کلینیک ۱۳۷", Expert.Topic.LEGAL, "deputy-urban-planning"),
    ("expert-planning", "مشاور شهرسازی کلینیک ۱۳۷", Expert.Topic.URBAN_PLANNING, "deputy-urban-planning"),
)


def seed_callcenter_demo(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Articles (when the knowledge base is empty), the two experts, and a week of slots for each
    from tomorrow 09:00 Tehran time (slots already published are kept). Returns what was created."""
    now = now or timezone.now()
    User = get_user_model()
    supervisor = User.objects.filter(username="supervisor").first()
    created = {"articles": 0, "experts": 0, "slots": 0}
    if not Article.objects.exists():
        for title, body, codes in ARTICLES:
            article_save(
                actor=supervisor,
                title=title,
                body=body,
                categories=list(Category.objects.filter(code__in=codes)),
            )
            created["articles"] += 1
    tehran = dt.timezone(dt.timedelta(hours=3, minutes=30))
    tomorrow = (now.astimezone(tehran) + dt.timedelta(days=1)).date()
    for username, title, topic, unit_code in EXPERTS:
        user, made = User.objects.get_or_create(
            username=username, defaults={"first_name": title, "password": make_password(DEMO_PASSWORD)}
        )
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is not None:
            Membership.objects.get_or_create(user=user, unit=unit, role=Membership.Role.OFFICER)
        expert, made = Expert.objects.get_or_create(user=user, defaults={"title": title, "topic": topic})
        created["experts"] += int(made)
        for day in range(5):
            first = dt.datetime.combine(tomorrow + dt.timedelta(days=day), dt.time(9, 0), tzinfo=tehran)
            created["slots"] += len(
                clinic_slots_publish(expert=expert, actor=supervisor, first=first, count=6, minutes=20)
            )
    return created
