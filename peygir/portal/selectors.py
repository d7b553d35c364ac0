"""Reads of the citizen portal that carry rules: who may see which case page and which photo."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peygir.cases.models import Attachment, Case
from peygir.cases.selectors import access_case
from peygir.core.errors import NotFound


def _not_found() -> NotFound:
    return NotFound(_("پرونده‌ای با این شناسه پیدا نشد."))


def access_own_case(*, user: Any, public_id: Any) -> Case:
    """The case, if ``user`` is the citizen who registered it; otherwise NotFound.

    Staff who may see the case in their kartable get NotFound here too: this is the citizen's page.
    """
    case = access_case(user=user, public_id=public_id)
    if case.citizen_id is None or case.citizen_id != user.pk:
        raise _not_found()
    return case


def case_for_confirmation(*, user: Any, public_id: Any, registered_here: Iterable[str]) -> Case:
    """The just-registered case, for the browser session that registered it or its signed-in owner.

    ``registered_here`` holds the public ids this session registered. Raises NotFound otherwise.
    """
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise _not_found() from exc
    if str(key) not in set(registered_here):
        return access_own_case(user=user, public_id=key)
    case = Case.objects.select_related("unit", "category", "message_type").filter(public_id=key).first()
    if case is None:
        raise _not_found()
    return case


def case_public_photos(case: Case) -> QuerySet[Attachment]:
    """The photos of the case the citizen may see (never staff-internal ones)."""
    return case.attachments.filter(is_public=True).order_by("created_at", "id")


def case_public_photo(case: Case, public_id: Any) -> Attachment:
    """One public photo of the case. Raises NotFound for an unknown, foreign or internal photo."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise NotFound(_("عکس پیدا نشد.")) from exc
    photo = case_public_photos(case).filter(public_id=key).first()
    if photo is None:
        raise NotFound(_("عکس پیدا نشد."))
    return photo
