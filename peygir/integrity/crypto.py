"""The cryptography of the integrity channel (INTEGRITY.md, after GlobaLeaks), all of it PyNaCl.

- Key pairs (Curve25519) and sealed boxes: anything written for a report is sealed to the report's
  public key; the report's private key is sealed to each authorised handler's public key.
- Secret boxes (XSalsa20-Poly1305) wrap a private key under a key derived with Argon2id from a
  password, a recovery key or a receipt.
- Argon2id with two separate parameter sets: ``lookup`` (a deterministic hash of the receipt under
  the installation's salt, stored to find the report) and ``key`` (a per-report random salt, never
  stored as such), so the stored hash is never the key.
- Files: streaming XChaCha20-Poly1305 (libsodium secretstream) in fixed-size chunks under a random
  per-file key, itself sealed to the report.

Nothing here touches the database; costs come from ``settings.INTEGRITY``.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import nacl.bindings as sodium
import nacl.pwhash.argon2id as argon2id
import nacl.utils
from django.conf import settings
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

from peygir.core.text import to_latin_digits

SALT_BYTES = argon2id.SALTBYTES
KEY_BYTES = SecretBox.KEY_SIZE
CHUNK_BYTES = 64 * 1024
STREAM_HEADER_BYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
STREAM_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL

# A receipt: 25 random decimal digits (log2(10**25) ≈ 83 bits, above GlobaLeaks' audited 80), shown
# in five groups of five. Digits read well on the phone and type on any keyboard, Persian included.
RECEIPT_DIGITS = 25
RECEIPT_GROUP = 5
# The printable recovery key of a handler: 32 random bytes in base32, groups of four.
RECOVERY_GROUP = 4


class DecryptionFailed(Exception):
    """A ciphertext did not open: the wrong key, or changed bytes."""


@dataclass(frozen=True)
class Cost:
    """Argon2id costs: passes over memory and memory in bytes."""

    ops: int
    mem: int


def _conf() -> dict[str, Any]:
    return dict(getattr(settings, "INTEGRITY", {}))


def lookup_cost() -> Cost:
    conf = _conf()
    return Cost(int(conf.get("LOOKUP_OPS", 2)), int(conf.get("LOOKUP_MEM", 32 * 1024 * 1024)))


def key_cost() -> Cost:
    conf = _conf()
    return Cost(int(conf.get("KEY_OPS", 3)), int(conf.get("KEY_MEM", 64 * 1024 * 1024)))


# --- Argon2id ----------------------------------------------------------------------------------


def derive_key(secret: str, *, salt: bytes, cost: Cost) -> bytes:
    """A 32-byte key from ``secret`` (a password, receipt or recovery key) with Argon2id."""
    return argon2id.kdf(KEY_BYTES, secret.encode("utf-8"), salt, opslimit=cost.ops, memlimit=cost.mem)


def receipt_lookup_hash(receipt: str, *, installation_salt: bytes) -> str:
    """The hex Argon2id hash that finds a report by its receipt (lookup costs, installation salt).

    Deterministic by design (it is looked up), and computed with other costs and another salt than
    the reporter's key, so knowing it does not give the key."""
    return argon2id.kdf(
        32,
        receipt.encode("ascii"),
        installation_salt,
        opslimit=lookup_cost().ops,
        memlimit=lookup_cost().mem,
    ).hex()


def new_salt() -> bytes:
    return nacl.utils.random(SALT_BYTES)


# --- Boxes -------------------------------------------------------------------------------------


def new_key_pair() -> PrivateKey:
    return PrivateKey.generate()


def seal(public_key: bytes, plaintext: bytes) -> bytes:
    """Encrypt to a public key (anonymous sender)."""
    return SealedBox(PublicKey(public_key)).encrypt(plaintext)


def unseal(private_key: PrivateKey, ciphertext: bytes) -> bytes:
    try:
        return SealedBox(private_key).decrypt(bytes(ciphertext))
    except CryptoError as exc:
        raise DecryptionFailed from exc


def box_encrypt(key: bytes, plaintext: bytes) -> bytes:
    """Secret-box encryption (random nonce prepended)."""
    return bytes(SecretBox(key).encrypt(plaintext))


def box_decrypt(key: bytes, ciphertext: bytes) -> bytes:
    try:
        return SecretBox(key).decrypt(bytes(ciphertext))
    except CryptoError as exc:
        raise DecryptionFailed from exc


def wrap_private_key(key: bytes, private_key: PrivateKey) -> bytes:
    return box_encrypt(key, bytes(private_key))


def unwrap_private_key(key: bytes, ciphertext: bytes) -> PrivateKey:
    return PrivateKey(box_decrypt(key, ciphertext))


def open_private_key(holder: PrivateKey, sealed: bytes) -> PrivateKey:
    """A report's private key from the copy sealed to ``holder``'s public key."""
    return PrivateKey(unseal(holder, sealed))


# --- Streams (files) ---------------------------------------------------------------------------


def new_file_key() -> bytes:
    return bytes(sodium.crypto_secretstream_xchacha20poly1305_keygen())


class StreamEncryptor:
    """Encrypts bytes fed in pieces into fixed-size secretstream chunks (the last one tagged FINAL)."""

    def __init__(self, key: bytes, out: IO[bytes]):
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        header = sodium.crypto_secretstream_xchacha20poly1305_init_push(self._state, key)
        self._out = out
        self._out.write(header)
        self._buffer = bytearray()
        self.plain_size = 0

    def write(self, data: bytes) -> None:
        self.plain_size += len(data)
        self._buffer.extend(data)
        while len(self._buffer) > CHUNK_BYTES:
            chunk = bytes(self._buffer[:CHUNK_BYTES])
            del self._buffer[:CHUNK_BYTES]
            self._out.write(
                sodium.crypto_secretstream_xchacha20poly1305_push(self._state, chunk, None, TAG_MESSAGE)
            )

    def close(self) -> None:
        self._out.write(
            sodium.crypto_secretstream_xchacha20poly1305_push(
                self._state, bytes(self._buffer), None, TAG_FINAL
            )
        )
        self._buffer.clear()


def stream_encrypt(key: bytes, chunks: Iterable[bytes], out: IO[bytes]) -> int:
    """Encrypt ``chunks`` into ``out``; returns the plaintext size."""
    encryptor = StreamEncryptor(key, out)
    for chunk in chunks:
        encryptor.write(chunk)
    encryptor.close()
    return encryptor.plain_size


def stream_decrypt(key: bytes, source: IO[bytes]) -> Iterator[bytes]:
    """Plaintext chunks of an encrypted stream; raises DecryptionFailed on tampering or truncation."""
    header = source.read(STREAM_HEADER_BYTES)
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    try:
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
        while True:
            block = source.read(CHUNK_BYTES + STREAM_ABYTES)
            if not block:
                raise DecryptionFailed("truncated stream")
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(state, block, None)
            yield plain
            if tag == TAG_FINAL:
                if source.read(1):
                    raise DecryptionFailed("data after the final chunk")
                return
    except CryptoError as exc:
        raise DecryptionFailed from exc


# --- Receipts and recovery keys ------------------------------------------------------------------


def receipt_new() -> str:
    """A fresh receipt: 25 random digits (no grouping; see ``receipt_groups``)."""
    return str(secrets.randbelow(10**RECEIPT_DIGITS)).zfill(RECEIPT_DIGITS)


def receipt_normalize(text: str) -> str | None:
    """The 25 digits of a typed receipt (Persian or Arabic digits, spaces and dashes allowed), or None."""
    digits = "".join(ch for ch in to_latin_digits(text or "") if not ch.isspace() and ch not in "-_.")
    if len(digits) != RECEIPT_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def receipt_groups(receipt: str) -> list[str]:
    return [receipt[i : i + RECEIPT_GROUP] for i in range(0, len(receipt), RECEIPT_GROUP)]


def recovery_key_new() -> str:
    return base64.b32encode(nacl.utils.random(20)).decode("ascii")


def recovery_key_normalize(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def recovery_key_groups(key: str) -> list[str]:
    return [key[i : i + RECOVERY_GROUP] for i in range(0, len(key), RECOVERY_GROUP)]


def constant_time_equal(a: str | bytes, b: str | bytes) -> bool:
    left = a.encode() if isinstance(a, str) else a
    right = b.encode() if isinstance(b, str) else b
    return hmac.compare_digest(left, right)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text.encode("ascii"))
