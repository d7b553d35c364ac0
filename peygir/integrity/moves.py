"""Moving an ordinary case that is really a corruption report into the integrity channel.

A 137-center supervisor does it. The report is built from the case's content (description,
place, attributes, earlier notes, inbound message texts, photos; the contact as confidential
identity), the case is closed through ``case_transition(action="withdraw")`` (a neutral public
note), and then every trace of the content is removed from the ordinary side, all in one
transaction. The receipt is returned to be shown to the supervisor once: they pass it on by phone
and the reporter must change it at first use (``receipt_change_required``); it is never sent by
SMS, because the outbox keeps message bodies.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from peygir.audit.services import audit_record
from peygir.cases.models import Attachment, Case, CaseEvent
from peygir.cases.services import case_transition
from peygir.core.errors import Conflict
from peygir.core.text import to_persian_digits
from peygir.feedback.models import Rating, ResponseReview
from peygir.insights.models import Prediction
from peygir.intake.models import InboundMessage, Open311Request
from peygir.notifications.models import Notification

from .models import Report
from .services import report_submit
from .storage import EncryptedBlob, blob_from_bytes


def _case_content(case: Case) -> tuple[dict[str, str], dict[str, str] | None]:
    inbound = [
        text
        for text in InboundMessage.objects.filter(case=case).values_list("text", flat=True)
        if text and text != case.description
    ]
    what = "\n\n".join([case.description, *inbound]).strip()
    where = case.address
    if case.lat is not None and case.lon is not None:
        where = f"{where} ({case.lat:.5f}, {case.lon:.5f})".strip()
    history = []
    for event in CaseEvent.objects.filter(case=case).order_by("created_at", "id"):
        for note in (event.public_note, event.internal_note):
            if note:
                history.append(f"{event.get_kind_display()}: {note}")
    if case.response_text:
        history.append(case.response_text)
    if case.attributes:
        history.append(", ".join(f"{key}: {value}" for key, value in sorted(case.attributes.items())))
    answers = {
        "what": what or _("(پرونده متنی نداشت)"),
        "where": where,
        "when": case.created_at.date().isoformat(),
        "how_known": _("انتقال از پرونده عادی (%(category)s)")
        % {"category": case.category.name if case.category is not None else "—"},
        "history": "\n".join(history),
    }
    contact = [case.contact_phone]
    if case.citizen_id is not None:
        contact.append(getattr(case.citizen, "mobile", "") or "")
    identity = {"name": case.contact_name, "contact": " / ".join(sorted({c for c in contact if c}))}
    return answers, (identity if any(identity.values()) else None)


def _photo_blobs(case: Case) -> list[EncryptedBlob]:
    blobs = []
    for attachment in Attachment.objects.filter(case=case):
        with attachment.file.open("rb") as source:
            blobs.append(
                blob_from_bytes(
                    iter(lambda: source.read(64 * 1024), b""),
                    filename=f"photo-{attachment.pk}.{str(attachment.file.name).rsplit('.', 1)[-1]}",
                    content_type=attachment.content_type,
                )
            )
    return blobs


def case_move_to_integrity(*, case: Case, supervisor: Any) -> tuple[Report, str]:
    """Turn ``case`` into an integrity report and empty it; returns the report and its receipt.

    Raises what ``case_transition`` raises for a supervisor who may not withdraw this case
    (NotFound, PermissionDenied, Conflict for a closed case) and Conflict when the channel has no
    handler with keys; nothing changes then. Sets off: the in-app notice to intake handlers.
    Attachment files are deleted after commit.
    """
    if not case.is_open and case.phase != Case.Phase.RESPONDED:
        raise Conflict(_("این پرونده بسته شده است."), code="closed")
    answers, identity = _case_content(case)
    blobs = _photo_blobs(case)
    files = [str(attachment.file.name) for attachment in Attachment.objects.filter(case=case)]
    tracking = [case.tracking_code, to_persian_digits(case.tracking_code)]
    try:
        with transaction.atomic():
            report, receipt = report_submit(
                answers=answers, identity=identity, blobs=blobs, channel=Report.Channel.CASE, actor=supervisor
            )
            case = case_transition(case=case, action="withdraw", actor=supervisor)
            withdrawn = (
                CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.WITHDRAWN).order_by("-id").first()
            )
            others = CaseEvent.objects.filter(case=case)
            if withdrawn is not None:
                others = others.exclude(pk=withdrawn.pk)
            events = others.update(public_note="", internal_note="")
            # A referral's or return's reason is free text kept in the event's data.
            others.filter(kind__in=[CaseEvent.Kind.REFERRED, CaseEvent.Kind.RETURNED]).update(data={})
            # What other apps keep of the text: ratings' comments, reviews' notes, the classifier's
            # matched phrases.
            ratings = Rating.objects.filter(case=case).update(comment="")
            ResponseReview.objects.filter(case=case).update(note="")
            predictions = Prediction.objects.filter(case=case).delete()[0]
            Case.objects.filter(pk=case.pk).update(
                description="",
                search_text="",
                address="",
                attributes={},
                lat=None,
                lon=None,
                h3_cell="",
                contact_name="",
                contact_phone="",
                citizen=None,
                is_anonymous=True,
                response_text="",
                version=F("version") + 1,
            )
            attachments = Attachment.objects.filter(case=case).delete()[0]
            inbound = InboundMessage.objects.filter(case=case).update(text="", reply="")
            Open311Request.objects.filter(case=case).update(
                email="", device_id="", account_id="", media_url=""
            )
            outbox = Q(dedupe_key__contains=str(case.public_id))
            for code in tracking:
                outbox |= Q(body__contains=code) | Q(subject__contains=code)
            Notification.objects.filter(outbox, status=Notification.Status.PENDING).update(
                status=Notification.Status.CANCELLED
            )
            notices = Notification.objects.filter(outbox).update(body="", subject="", payload={})
            audit_record(
                actor=supervisor,
                action="case.content_removed",
                object_type="cases.case",
                object_id=str(case.public_id),
                after={
                    "events": events,
                    "attachments": attachments,
                    "inbound": inbound,
                    "notifications": notices,
                    "ratings": ratings,
                    "predictions": predictions,
                },
            )

            def _remove_files() -> None:
                for name in files:
                    Attachment.file.field.storage.delete(name)

            transaction.on_commit(_remove_files)
    except BaseException:
        for blob in blobs:
            blob.discard()
        raise
    return report, receipt
