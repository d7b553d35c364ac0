"""Demo cases for a fresh installation: real registrations and transitions through the services."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model

from peygir.org.models import Unit

from .models import Case
from .services import case_submit, case_transition

# (category, type, text) — what Tehran's citizens actually write about.
SAMPLES = [
    ("waste", "request", "زباله‌های کوچه از دو روز پیش جمع‌آوری نشده و بوی بدی پیچیده است."),
    ("roads", "report", "چاله بزرگی وسط خیابان ایجاد شده که برای موتورسواران خطرناک است."),
    ("green", "request", "درخت خشک‌شده کنار پیاده‌رو ممکن است روی عابران بیفتد؛ لطفاً هرس یا قطع کنید."),
    ("lighting", "report", "چراغ‌های پارک محله چند شب است خاموش است و شب‌ها تاریک و ناامن است."),
    ("drainage", "report", "جوی آب کنار خیابان گرفته و بعد از باران آب‌گرفتگی شدید شده است."),
    (
        "construction",
        "complaint",
        "ساختمان‌سازی همسایه بدون رعایت ایمنی گودبرداری کرده و دیوار ما ترک برداشته است.",
    ),
    (
        "obstruction",
        "complaint",
        "مغازه‌دار پیاده‌رو را با اجناس اشغال کرده و عابران مجبورند از خیابان رد شوند.",
    ),
    ("traffic", "suggestion", "نصب سرعت‌گیر جلوی مدرسه برای ایمنی دانش‌آموزان لازم است."),
    ("transit", "complaint", "اتوبوس‌های این خط صبح‌ها با تأخیر زیاد می‌آیند و ایستگاه شلوغ است."),
    ("animals", "report", "چند سگ بلاصاحب در پارک محله هستند و کودکان می‌ترسند."),
    ("social", "report", "یک کودک کار هر شب در این تقاطع دیده می‌شود و نیاز به حمایت دارد."),
    ("furniture", "request", "نیمکت‌های ایستگاه اتوبوس شکسته و سایبان ندارد."),
    ("pollution", "complaint", "کارگاه مجاور تا نیمه‌شب سروصدای زیادی دارد."),
    ("safety", "report", "دیوار قدیمی یک ساختمان متروکه در حال ریزش است و به پیاده‌رو مشرف است."),
    ("finance", "inquiry", "عوارض نوسازی ملک من دو بار محاسبه شده؛ چطور می‌توانم پیگیری کنم؟"),
    ("staff", "appreciation", "از رفتار محترمانه و پیگیری سریع کارشناس ناحیه سپاسگزارم."),
    ("culture", "inquiry", "برنامه کلاس‌های تابستانی فرهنگسرای محله کی اعلام می‌شود؟"),
]


def seed_cases(count: int = 120, *, seed: int = 137) -> int:
    """Register ``count`` demo cases over the districts and move some along the workflow.

    Idempotent: each case has a fixed channel message id, so running again registers nothing new.
    Returns how many were created now.
    """
    rng = random.Random(seed)
    districts = list(Unit.objects.filter(kind=Unit.Kind.DISTRICT).exclude(boundary=None).order_by("number"))
    if not districts:
        return 0
    users = get_user_model().objects
    officers = {
        6: users.filter(username="officer6").first(),
        7: users.filter(username="officer7").first(),
    }
    supervisor = users.filter(username="supervisor").first()
    created = 0
    from shapely.geometry import shape

    for index in range(count):
        category, kind, text = SAMPLES[index % len(SAMPLES)]
        district = districts[index % len(districts)] if index % 3 else districts[5 + index % 2]
        point = shape(district.boundary).representative_point()
        # Conduct complaints need a contact; a quarter of the rest stay anonymous.
        anonymous = index % 4 == 0 and category != "staff"
        lat = round(point.y + rng.uniform(-0.002, 0.002), 6)
        lon = round(point.x + rng.uniform(-0.002, 0.002), 6)
        result = case_submit(
            channel=rng.choice([Case.Channel.WEB, Case.Channel.APP, Case.Channel.PHONE, Case.Channel.SMS]),
            message_type=kind,
            category=category,
            description=text,
            lat=lat,
            lon=lon,
            address=f"{district.name}، خیابان نمونه {index + 1}",
            contact_phone=f"0912{rng.randrange(1000000, 9999999)}" if anonymous is False else "",
            anonymous=anonymous,
            external_id=f"demo-{index}",
        )
        if not result.created:
            continue
        created += 1
        case = result.case
        officer = officers.get(district.number or 0)
        if officer is None or case.unit_id != district.pk:
            continue
        step = index % 5
        if step >= 1:
            case = case_transition(case=case, action="accept", actor=officer)
        if step == 2:
            case = case_transition(
                case=case,
                action="request_info",
                actor=officer,
                note="لطفاً پلاک دقیق یا نشانی کامل را بفرمایید.",
            )
        if step >= 3:
            case = case_transition(
                case=case,
                action="respond",
                actor=officer,
                resolution="fixed",
                note="گروه خدمات شهری اعزام و مشکل برطرف شد. از اطلاع‌رسانی شما سپاسگزاریم.",
            )
        if step == 4 and supervisor is not None:
            case_transition(case=case, action="close", actor=supervisor)
    return created
