"""The messages Peygir sends, as editable templates (the wording of peygir/cases/notify.py)."""

from django.db import migrations

TEMPLATES = [
    ("case_registered", "sms", "شهروند گرامی، پیام شما در سامانه ۱۳۷ ثبت شد. کد رهگیری: {tracking_code}"),
    ("case_referred", "sms", "پیام {tracking_code} شما برای رسیدگی به «{unit}» ارجاع شد. سامانه ۱۳۷"),
    (
        "info_requested",
        "sms",
        "شهروند گرامی، برای رسیدگی به پیام {tracking_code} توضیح بیشتری لازم است. لطفاً سر بزنید: {track_url}",
    ),
    (
        "case_responded",
        "sms",
        "شهروند گرامی، به پیام {tracking_code} پاسخ داده شد. دیدن پاسخ و نظرسنجی: {track_url}",
    ),
    ("case_closed", "sms", "پیام {tracking_code} در سامانه ۱۳۷ بسته شد. از همراهی شما سپاسگزاریم."),
    ("sla_warning", "inapp", "مهلت پاسخ پرونده {tracking_code} رو به پایان است."),
    ("case_overdue", "inapp", "مهلت پاسخ پرونده {tracking_code} در {unit} گذشته است."),
]


def seed(apps, schema_editor):
    NotificationTemplate = apps.get_model("notifications", "NotificationTemplate")
    for kind, channel, body in TEMPLATES:
        NotificationTemplate.objects.get_or_create(kind=kind, channel=channel, defaults={"body": body})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_outbox_delivery_and_templates")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
