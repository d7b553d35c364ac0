"""Photos on cases: checked by content, size-limited, re-encoded without metadata before storage."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from peygir.audit.services import audit_record
from peygir.core.errors import ValidationError

from .models import Attachment, Case

MAX_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 3
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560
# Formats accepted by content (what Pillow finds in the bytes), never by file name or browser header.
ACCEPTED = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}


def photo_clean(data: bytes) -> tuple[bytes, str, str, int, int]:
    """Check that ``data`` is a JPEG, PNG or WebP photo and re-encode it without metadata.

    Returns (bytes, content type, extension, width, height). Raises ValidationError in Persian for
    anything else: too large, not an image, an unsupported format, a decompression bomb.
    """
    if len(data) > MAX_BYTES:
        raise ValidationError(_("حجم هر عکس باید کمتر از ۵ مگابایت باشد."), code="photo_too_large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            probe.verify()
        if fmt not in ACCEPTED:
            raise ValidationError(_("فقط عکس با قالب JPEG، PNG یا WebP پذیرفته می‌شود."), code="photo_type")
        with Image.open(io.BytesIO(data)) as opened:
            image: Image.Image = opened
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("ابعاد عکس بیش از حد بزرگ است."), code="photo_too_large")
            # Apply the EXIF rotation to the pixels, then drop every metadata block by re-encoding.
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            # Without info, no encoder writes EXIF, XMP, ICC or comments back (WebP would copy EXIF).
            image.info = {}
            clean = image
            out = io.BytesIO()
            save_kwargs: dict[str, Any] = {"optimize": True}
            if fmt == "JPEG":
                save_kwargs["quality"] = 85
            clean.save(out, format=fmt, **save_kwargs)
            content_type, extension = ACCEPTED[fmt]
            return out.getvalue(), content_type, extension, clean.width, clean.height
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("این پرونده یک عکس سالم نیست."), code="photo_invalid") from exc


def attachment_add(*, case: Case, data: bytes, actor: Any = None, is_public: bool = True) -> Attachment:
    """Attach a photo to ``case`` (at most three per case). Raises ValidationError; audited."""
    if case.attachments.count() >= MAX_PHOTOS:
        raise ValidationError(_("حداکثر سه عکس برای هر پیام پذیرفته می‌شود."), code="too_many_photos")
    body, content_type, extension, width, height = photo_clean(data)
    with transaction.atomic():
        attachment = Attachment(
            case=case,
            content_type=content_type,
            size=len(body),
            width=width,
            height=height,
            sha256=hashlib.sha256(body).hexdigest(),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            is_public=is_public,
        )
        attachment.file.save(f"{attachment.public_id}.{extension}", ContentFile(body), save=False)
        attachment.save()
        audit_record(
            actor=actor,
            action="case.attach",
            object_type="cases.case",
            object_id=str(case.public_id),
            after={
                "attachment": str(attachment.public_id),
                "sha256": attachment.sha256,
                "size": attachment.size,
            },
        )
    return attachment
