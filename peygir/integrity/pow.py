"""A small proof of work before a report is accepted (hashcash-style).

The form carries a signed challenge; the browser (``integrity/pow.js``) looks for a counter such
that SHA-256(challenge ":" counter) starts with ``bits`` zero bits and sends it back. The server
checks the signature, the age and the work, and spends the challenge once (in the shared cache,
by its hash: the challenge says nothing about who asked for it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache

MAX_AGE = 3600


def _bits() -> int:
    return int(getattr(settings, "INTEGRITY", {}).get("POW_BITS", 18))


def _sign(body: str) -> str:
    key = hashlib.blake2b(settings.SECRET_KEY.encode(), person=b"integrity-pow", digest_size=32).digest()
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()[:32]


def challenge_new() -> tuple[str, int]:
    """A fresh challenge and the number of leading zero bits its solution needs."""
    bits = _bits()
    body = f"{int(time.time())}.{secrets.token_hex(16)}.{bits}"
    return f"{body}.{_sign(body)}", bits


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte == 0:
            count += 8
            continue
        count += 8 - byte.bit_length()
        break
    return count


def solve(challenge: str, bits: int) -> str:
    """Find a solution (used by tests and the benchmark; browsers use pow.js)."""
    counter = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{counter}".encode()).digest()) < bits:
        counter += 1
    return str(counter)


def verify(challenge: str, solution: str) -> bool:
    """True once for a well-signed, recent challenge solved with enough work; False otherwise."""
    parts = (challenge or "").split(".")
    if len(parts) != 4 or not (solution or "").isdigit() or len(solution) > 20:
        return False
    issued, _nonce, bits_text, signature = parts
    body = ".".join(parts[:3])
    if not hmac.compare_digest(signature, _sign(body)):
        return False
    if not issued.isdigit() or not bits_text.isdigit() or time.time() - int(issued) > MAX_AGE:
        return False
    if int(bits_text) < _bits():
        return False
    digest = hashlib.sha256(f"{challenge}:{solution}".encode()).digest()
    if leading_zero_bits(digest) < int(bits_text):
        return False
    return bool(cache.add(f"integrity-pow:{hashlib.sha256(challenge.encode()).hexdigest()}", 1, MAX_AGE))
