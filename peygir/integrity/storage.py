"""Encrypted evidence files on disk: random names, dates coarsened to the day, streamed in and out.

Uploads are encrypted while they arrive (``EncryptingUploadHandler``), so no plaintext copy ever
reaches a temporary file; case photos moved from the ordinary side go through the same writer.
The blob lives under ``MEDIA_ROOT/integrity/`` (the filesystem storage; see
docs/operations/integrity.md for object storage).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils import timezone

from . import crypto

FOLDER = "integrity"


def max_file_bytes() -> int:
    return int(getattr(settings, "INTEGRITY", {}).get("MAX_FILE_BYTES", 20 * 1024 * 1024))


def max_files() -> int:
    return int(getattr(settings, "INTEGRITY", {}).get("MAX_FILES", 5))


def _root() -> Path:
    path = Path(settings.MEDIA_ROOT) / FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def _day_start_timestamp() -> float:
    today = timezone.localdate()
    return dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone()).timestamp()


def coarsen_mtime(path: Path) -> None:
    """File times say the day, not the moment (like every date of the channel)."""
    stamp = _day_start_timestamp()
    os.utime(path, (stamp, stamp))


def blob_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def blob_delete(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        blob_path(name).unlink()


@dataclass
class EncryptedBlob:
    """An encrypted file written to disk and not yet tied to a report: its name, key and metadata."""

    name: str
    key: bytes
    filename: str
    content_type: str
    size: int = 0
    done: bool = field(default=False)

    def discard(self) -> None:
        blob_delete(self.name)


class BlobWriter:
    """Writes an encrypted blob under a random name, chunk by chunk."""

    def __init__(self, filename: str, content_type: str):
        self.blob = EncryptedBlob(
            name=f"{FOLDER}/{secrets.token_hex(16)}.bin",
            key=crypto.new_file_key(),
            filename=filename,
            content_type=content_type,
        )
        self._file: IO[bytes] = open(blob_path(self.blob.name), "wb")  # noqa: SIM115
        self._encryptor = crypto.StreamEncryptor(self.blob.key, self._file)

    def write(self, data: bytes) -> None:
        self._encryptor.write(data)
        if self._encryptor.plain_size > max_file_bytes():
            self.abort()
            raise SkipFile("too large")

    def close(self) -> EncryptedBlob:
        self._encryptor.close()
        self._file.close()
        coarsen_mtime(blob_path(self.blob.name))
        self.blob.size = self._encryptor.plain_size
        self.blob.done = True
        return self.blob

    def abort(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.blob.discard()


def blob_from_bytes(chunks: Iterable[bytes], *, filename: str, content_type: str) -> EncryptedBlob:
    _root()
    writer = BlobWriter(filename, content_type)
    for chunk in chunks:
        writer.write(chunk)
    return writer.close()


def blob_read(name: str, key: bytes) -> Iterator[bytes]:
    with open(blob_path(name), "rb") as source:
        yield from crypto.stream_decrypt(key, source)


class EncryptedUpload(UploadedFile):
    """What ``request.FILES`` holds for an integrity upload: the encrypted blob, not the bytes."""

    def __init__(self, blob: EncryptedBlob):
        super().__init__(file=None, name=blob.filename, content_type=blob.content_type, size=blob.size)
        self.blob = blob


class EncryptingUploadHandler(FileUploadHandler):
    """Encrypts each uploaded file as it arrives; too many or too large files are skipped."""

    def __init__(self, request: Any = None):
        super().__init__(request)
        self.writer: BlobWriter | None = None
        self.count = 0
        self.written: list[EncryptedBlob] = []
        # Files left out (too many, too large): the view tells the person.
        self.skipped = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.count += 1
        if self.count > max_files():
            self.skipped += 1
            raise SkipFile("too many files")
        _root()
        self.writer = BlobWriter(os.path.basename(self.file_name or "file"), self.content_type or "")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.writer is not None:
            try:
                self.writer.write(raw_data)
            except SkipFile:
                self.writer = None
                self.skipped += 1
                raise
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.writer is None:
            return None
        blob = self.writer.close()
        self.writer = None
        self.written.append(blob)
        if blob.size == 0:
            blob.discard()
            return None
        return EncryptedUpload(blob)

    def upload_interrupted(self) -> None:
        if self.writer is not None:
            self.writer.abort()
            self.writer = None
