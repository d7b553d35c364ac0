"""Writes of the Open311 channel: client API keys, registering a request, a client's updates.

Keys are ``<prefix>.<secret>``: shown once, stored as a SHA-256 hash (they are long random strings, so
a slow hash adds nothing). Registration goes through ``cases.services.case_submit`` like every other
channel; updates through ``case_transition``, so the workflow table decides what a client may do.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from peygir.audit.services import audit_record
from peygir.cases.attachments import attachment_add
from peygir.cases.models import Case, CaseEvent
from peygir.cases.services import SubmitResult, case_submit, case_transition
from peygir.cases.tracking import clean_tracking_code
from peygir.core.errors import NotFound, PermissionDenied, RateLimited, ValidationError
from peygir.core.ratelimit import attempt_record, attempts_exceeded

from ...models import Open311Client, Open311Request, Open311Update
from .parsing import RequestSubmission, UpdateSubmission
from .selectors import service_published, update_public_id

RATE_WINDOW_SECONDS = 60
# FixMyStreet sends its own report id as this attribute; taken as the client's request id.
FMS_ID_ATTRIBUTE = "fixmystreet_id"
# mySociety's extended statuses, upper case as POSTed.
EXTENDED_STATUSES = frozenset(
    {
        "UNCHANGED",
        "OPEN",
        "CLOSED",
        "FIXED",
        "IN_PROGRESS",
        "PLANNED",
        "ACTION_SCHEDULED",
        "INVESTIGATING",
        "DUPLICATE",
        "NOT_COUNCILS_RESPONSIBILITY",
        "NO_FURTHER_ACTION",
        "INTERNAL_REFERRAL",
        "CANCELLED",
        "REOPEN",
        "FOR_TRIAGE",
    }
)
_REOPENING = frozenset({"OPEN", "REOPEN"})
# A reporter cannot close or dismiss a case by an update: only staff respond.
_CLOSING = frozenset(
    {"CLOSED", "FIXED", "DUPLICATE", "NOT_COUNCILS_RESPONSIBILITY", "NO_FURTHER_ACTION", "CANCELLED"}
)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open311_key_issue(*, client: Open311Client, actor: Any = None) -> str:
    """Give ``client`` (new or existing) a fresh API key and return it: the only time it is seen.

    The previous key stops working at once. Saves the client. Audited. Raises nothing.
    """
    with transaction.atomic():
        for _attempt in range(5):
            prefix = secrets.token_hex(4)
            if not Open311Client.objects.filter(prefix=prefix).exists():
                break
        key = f"{prefix}.{secrets.token_urlsafe(32)}"
        client.prefix = prefix
        client.key_hash = _hash(key)
        client.save()
        audit_record(
            actor=actor,
            action="open311.key_issue",
            object_type="intake.open311client",
            object_id=str(client.pk),
            after={"name": client.name, "prefix": prefix},
        )
    return key


def open311_client_create(
    *, name: str, rate_limit_per_minute: int = 60, actor: Any = None
) -> tuple[Open311Client, str]:
    """A new client application and its API key (returned once). Raises ValidationError on a blank
    name or a non-positive limit. Audited."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("نام برنامه را بنویسید."), code="name_required")
    if rate_limit_per_minute < 1:
        raise ValidationError(_("سقف درخواست در دقیقه باید مثبت باشد."), code="bad_rate_limit")
    client = Open311Client(name=name, rate_limit_per_minute=rate_limit_per_minute)
    return client, open311_key_issue(client=client, actor=actor)


def open311_client_authenticate(api_key: str | None) -> Open311Client:
    """The active client holding ``api_key``. Raises PermissionDenied (403) when it is missing,
    unknown, revoked or wrong."""
    if not api_key:
        raise PermissionDenied(_("api_key فرستاده نشده است؛ بدون کلید نمی‌توان درخواست ثبت کرد."))
    prefix = api_key.split(".", 1)[0]
    client = Open311Client.objects.filter(prefix=prefix, is_active=True).select_related("agent").first()
    if client is None or not hmac.compare_digest(client.key_hash, _hash(api_key)):
        raise PermissionDenied(_("api_key نامعتبر است؛ درخواست ثبت نشد."))
    return client


def open311_client_throttle(*, client: Open311Client) -> None:
    """Count one write by ``client``; RateLimited (429) once it has made ``rate_limit_per_minute``
    of them in the current minute (the refused call is not counted)."""
    key = f"open311:{client.pk}"
    if attempts_exceeded(key, limit=client.rate_limit_per_minute):
        raise RateLimited(
            _("بیش از %(limit)s درخواست در دقیقه؛ کمی بعد دوباره بفرستید.")
            % {"limit": client.rate_limit_per_minute}
        )
    attempt_record(key, window_seconds=RATE_WINDOW_SECONDS)


def open311_request_submit(*, client: Open311Client, submission: RequestSubmission) -> SubmitResult:
    """Register a POSTed service request as a case on the ``open311`` channel, with its photos
    (``media``), in one transaction.

    The client's own ``client_request_id`` (or FixMyStreet's ``attribute[fixmystreet_id]``) makes the
    call idempotent per client: a retry returns the first case (``created=False``) and stores nothing.
    Without a description the service's name is the description. Raises NotFound for an unknown
    service, ValidationError from ``case_submit`` / ``attachment_add`` (then nothing is stored).
    Sets off what ``case_submit`` sets off (the confirmation SMS when a phone was given).
    """
    service = service_published(submission.service_code)
    attributes = dict(submission.attributes)
    request_id = submission.client_request_id
    if FMS_ID_ATTRIBUTE in attributes and not any(
        attribute.code == FMS_ID_ATTRIBUTE for attribute in service.attributes.all()
    ):
        fms_id = str(attributes.pop(FMS_ID_ATTRIBUTE) or "").strip()
        request_id = request_id or fms_id[:64]
    contact_name = f"{submission.first_name} {submission.last_name}".strip()
    with transaction.atomic():
        result = case_submit(
            channel=Case.Channel.OPEN311,
            external_id=f"{client.prefix}-{request_id}" if request_id else "",
            message_type=submission.message_type or "request",
            category=service.category.code,
            service_code=service.service_code,
            description=submission.description or service.name,
            lat=submission.lat,
            lon=submission.lon,
            address=submission.address_string or submission.address_id,
            attributes=attributes,
            contact_name=contact_name,
            contact_phone=submission.phone,
        )
        if result.created:
            Open311Request.objects.create(
                client=client,
                case=result.case,
                email=submission.email,
                device_id=submission.device_id,
                account_id=submission.account_id,
                media_url=submission.media_url,
            )
            for data in submission.media:
                attachment_add(case=result.case, data=data, is_public=True)
    return result


@dataclass(frozen=True)
class UpdateResult:
    update_id: str
    created: bool


def _update_action(case: Case, status: str) -> str:
    if case.phase == Case.Phase.AWAITING_CITIZEN and status not in _CLOSING:
        return "citizen_reply"
    if case.phase in (Case.Phase.RESPONDED, Case.Phase.CLOSED) and status in _REOPENING:
        return "object"
    raise ValidationError(
        _(
            "این به‌روزرسانی (%(status)s) در وضعیت کنونی پرونده معنایی ندارد: فقط پاسخ شهروند به پرسش "
            "کارشناس یا اعتراض (REOPEN) به پاسخ پذیرفته می‌شود."
        )
        % {"status": status},
        code="update_not_applicable",
    )


def open311_update_submit(*, client: Open311Client, submission: UpdateSubmission) -> UpdateResult:
    """Apply a mySociety update from the client that registered the case, as the citizen's word.

    On a case awaiting the citizen, any non-closing status is the citizen's reply (``citizen_reply``);
    on a responded or closed case, ``REOPEN``/``OPEN`` is an objection (``object``, within its window).
    Anything else is refused: clients never write staff notes or change a case otherwise. The
    action is taken in the name of the client's ``agent`` account. A retried ``update_id`` returns
    the first answer. Raises NotFound (unknown case, or not registered by this client),
    PermissionDenied (client without an agent account), ValidationError (bad status, update that
    does not apply), Conflict (objection window closed, concurrent change).
    Sets off the notifications of ``case_transition``.
    """
    earlier = Open311Update.objects.filter(client=client, update_id=submission.update_id).first()
    if earlier is not None:
        return UpdateResult(update_public_id(earlier.case, earlier.event), False)
    if submission.status not in EXTENDED_STATUSES:
        raise ValidationError(_("status «%(status)s» شناخته نیست.") % {"status": submission.status})
    code = clean_tracking_code(submission.service_request_id)
    case = (
        Case.objects.select_related("unit", "category", "priority").filter(tracking_code=code).first()
        if code
        else None
    )
    if case is None or not Open311Request.objects.filter(client=client, case=case).exists():
        raise NotFound(
            _("درخواستی با شناسه «%(id)s» که این برنامه ثبت کرده باشد پیدا نشد.")
            % {"id": submission.service_request_id}
        )
    if client.agent is None:
        raise PermissionDenied(_("این برنامه اجازه فرستادن به‌روزرسانی ندارد (کاربر ثبت تعریف نشده است)."))
    action = _update_action(case, submission.status)
    try:
        with transaction.atomic():
            case = case_transition(case=case, action=action, actor=client.agent, note=submission.description)
            event = CaseEvent.objects.filter(case=case).latest("created_at", "id")
            Open311Update.objects.create(
                client=client, update_id=submission.update_id, case=case, event=event
            )
    except IntegrityError:
        # The same update_id arrived twice at once: the other call applied it.
        earlier = Open311Update.objects.filter(client=client, update_id=submission.update_id).first()
        if earlier is None:
            raise
        return UpdateResult(update_public_id(earlier.case, earlier.event), False)
    return UpdateResult(update_public_id(case, event), True)
