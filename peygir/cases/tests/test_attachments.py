from __future__ import annotations

import io

import pytest
from PIL import Image

from peygir.cases.attachments import MAX_BYTES, attachment_add
from peygir.cases.models import Attachment
from peygir.core.errors import ValidationError


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 42.0, 0.0), 3: "E", 4: (51.0, 24.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_gps_and_camera_metadata_are_stripped_before_storage(case6):
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825) is not None
    attachment = attachment_add(case=case6, data=data)
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert dict(image.getexif()) == {}
        assert image.info.get("exif") is None
        assert image.size == (64, 48)
    assert attachment.content_type == "image/jpeg"


def test_type_is_decided_by_content_not_by_name(case6):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="PNG")
    attachment = attachment_add(case=case6, data=out.getvalue())
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.7 not a photo", "photo_invalid"),
        (b"GIF89a" + b"\x00" * 100, "photo_invalid"),
        (b"\xff" * (MAX_BYTES + 1), "photo_too_large"),
    ],
)
def test_non_photos_are_refused_and_nothing_is_stored(case6, data, code):
    with pytest.raises(ValidationError) as caught:
        attachment_add(case=case6, data=data)
    assert caught.value.code == code
    assert Attachment.objects.count() == 0


def test_gif_is_not_accepted(case6):
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationError) as caught:
        attachment_add(case=case6, data=out.getvalue())
    assert caught.value.code == "photo_type"


def test_at_most_three_photos_per_case(case6):
    for _ in range(3):
        attachment_add(case=case6, data=jpeg_with_gps())
    with pytest.raises(ValidationError) as caught:
        attachment_add(case=case6, data=jpeg_with_gps())
    assert caught.value.code == "too_many_photos"
    assert case6.attachments.count() == 3


def test_webp_metadata_is_stripped_too(case6):
    image = Image.new("RGB", (20, 20))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (35.0, 42.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="WEBP", exif=exif)
    attachment = attachment_add(case=case6, data=out.getvalue())
    with attachment.file.open("rb") as stored, Image.open(stored) as saved:
        assert saved.info.get("exif") in (None, b"")
