"""Writes of the citizen portal: a web registration with its photos, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from peygir.cases.attachments import attachment_add
from peygir.cases.models import Case
from peygir.cases.services import SubmitResult, case_submit


def portal_case_register(
    *,
    token: str,
    message_type: str,
    category: str,
    description: str,
    lat: float | None,
    lon: float | None,
    address: str,
    photos: Sequence[bytes],
    user: Any,
    contact_name: str = "",
    contact_phone: str = "",
    anonymous: bool = False,
) -> SubmitResult:
    """Register a message sent from the portal's form, with up to three photos, in one transaction.

    ``token`` is the form's own id: it is the channel message id, so a double submit or a browser
    retry returns the first case (``created=False``) and attaches nothing again. A signed-in
    ``user`` is the citizen (their verified mobile is used). Raises ValidationError (Persian) from
    ``case_submit`` or ``attachment_add``; then nothing is stored. Sets off: the confirmation SMS
    (after commit, by ``case_submit``).
    """
    signed_in = getattr(user, "is_authenticated", False)
    with transaction.atomic():
        result = case_submit(
            channel=Case.Channel.WEB,
            external_id=token,
            message_type=message_type,
            category=category,
            description=description,
            lat=lat,
            lon=lon,
            address=address,
            citizen=user if signed_in else None,
            contact_name=contact_name,
            contact_phone=contact_phone,
            anonymous=anonymous,
            actor=user,
        )
        if result.created:
            for data in photos:
                attachment_add(case=result.case, data=data, actor=user, is_public=True)
    return result
