"""The default working calendar of Tehran Municipality with the solar official holidays of 1404–1406.

Only holidays fixed in the Jalali (solar) calendar are seeded: their Gregorian dates follow from the
calendar itself. Lunar (Hijri) holidays — Tasua and Ashura, Eid al-Fitr, Eid al-Adha, and the rest —
depend on the official moon sighting and are announced each year, so the administrator enters them
yearly in the admin (BusinessCalendar → holidays, kind "lunar"); no lunar date is guessed here.
The reverse is a no-op: dropping the tables in 0001's reverse removes these rows.
"""

import jdatetime
from django.db import migrations

CALENDAR_NAME = "تقویم اداری شهرداری تهران"
YEARS = (1404, 1405, 1406)
# Python weekdays (Monday=0): Saturday–Wednesday 07:30–14:30; Thursday (3) and Friday (4) off.
OFFICE_HOURS = {
    "5": [["07:30", "14:30"]],
    "6": [["07:30", "14:30"]],
    "0": [["07:30", "14:30"]],
    "1": [["07:30", "14:30"]],
    "2": [["07:30", "14:30"]],
    "3": [],
    "4": [],
}
# (Jalali month, day, name)
SOLAR_HOLIDAYS = [
    (1, 1, "عید نوروز"),
    (1, 2, "عید نوروز"),
    (1, 3, "عید نوروز"),
    (1, 4, "عید نوروز"),
    (1, 12, "روز جمهوری اسلامی"),
    (1, 13, "روز طبیعت"),
    (3, 14, "رحلت امام خمینی"),
    (3, 15, "قیام ۱۵ خرداد"),
    (11, 22, "پیروزی انقلاب اسلامی"),
    (12, 29, "روز ملی شدن صنعت نفت"),
]


def seed(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    Holiday = apps.get_model("sla", "Holiday")
    calendar, created = BusinessCalendar.objects.get_or_create(
        name=CALENDAR_NAME, defaults={"is_default": True, "hours": OFFICE_HOURS}
    )
    if created and BusinessCalendar.objects.filter(is_default=True).exclude(pk=calendar.pk).exists():
        calendar.is_default = False
        calendar.save(update_fields=["is_default"])
    for year in YEARS:
        for month, day, name in SOLAR_HOLIDAYS:
            Holiday.objects.get_or_create(
                calendar=calendar,
                date=jdatetime.date(year, month, day).togregorian(),
                defaults={"name": name, "kind": "solar"},
            )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
