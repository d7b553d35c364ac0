"""Integrity channel: the cost of its cryptography at the production Argon2 settings.

Run: ``.venv/bin/python bench/integrity_bench.py`` (no database needed). Prints, per operation, the
median of a few runs: the receipt look-up hash, the receipt/password key derivation, sealing a
report's answers, stream-encrypting and decrypting a 20 MiB file, and the browser's proof of work
solved in Python (the browser's pure-JS SHA-256 is slower, see the README's note).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from peygir.integrity import crypto, pow  # noqa: E402


def timed(label: str, func, runs: int = 5) -> None:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    print(f"{label:<48} {statistics.median(samples) * 1000:9.1f} ms")


def main() -> None:
    conf = settings.INTEGRITY
    print(
        f"lookup ops={conf['LOOKUP_OPS']} mem={conf['LOOKUP_MEM'] >> 20} MiB; key ops={conf['KEY_OPS']} mem={conf['KEY_MEM'] >> 20} MiB"
    )
    receipt, salt = crypto.receipt_new(), crypto.new_salt()
    timed(
        "receipt look-up hash (Argon2id, look-up costs)",
        lambda: crypto.receipt_lookup_hash(receipt, installation_salt=salt),
    )
    timed(
        "receipt/password key (Argon2id, key costs)",
        lambda: crypto.derive_key(receipt, salt=salt, cost=crypto.key_cost()),
    )
    key = crypto.new_key_pair()
    answers = ("گزارش " * 2000).encode()
    timed(
        "seal 20 KB of answers to a report key", lambda: crypto.seal(bytes(key.public_key), answers), runs=50
    )
    data = os.urandom(20 * 1024 * 1024)
    file_key = crypto.new_file_key()
    out = io.BytesIO()
    timed("stream-encrypt 20 MiB", lambda: crypto.stream_encrypt(file_key, [data], io.BytesIO()), runs=3)
    crypto.stream_encrypt(file_key, [data], out)
    timed(
        "stream-decrypt 20 MiB",
        lambda: b"".join(crypto.stream_decrypt(file_key, io.BytesIO(out.getvalue()))),
        runs=3,
    )
    challenge, bits = pow.challenge_new()
    timed(f"proof of work, {bits} bits, solved in Python", lambda: pow.solve(challenge, bits), runs=3)


if __name__ == "__main__":
    main()
