from __future__ import annotations

import io
import math

import pytest

from peygir.integrity import crypto


def test_sealed_box_round_trip_and_wrong_key_fails():
    key = crypto.new_key_pair()
    sealed = crypto.seal(bytes(key.public_key), "سلام".encode())
    assert crypto.unseal(key, sealed) == "سلام".encode()
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unseal(crypto.new_key_pair(), sealed)


def test_private_key_wrapped_under_a_password_opens_only_with_it(settings):
    settings.INTEGRITY = {**settings.INTEGRITY, "KEY_OPS": 1, "KEY_MEM": 8192}
    private_key = crypto.new_key_pair()
    salt = crypto.new_salt()
    wrapped = crypto.wrap_private_key(
        crypto.derive_key("pass", salt=salt, cost=crypto.key_cost()), private_key
    )
    opened = crypto.unwrap_private_key(crypto.derive_key("pass", salt=salt, cost=crypto.key_cost()), wrapped)
    assert bytes(opened) == bytes(private_key)
    with pytest.raises(crypto.DecryptionFailed):
        crypto.unwrap_private_key(crypto.derive_key("other", salt=salt, cost=crypto.key_cost()), wrapped)


def test_lookup_hash_is_not_the_key(settings):
    settings.INTEGRITY = {
        **settings.INTEGRITY,
        "KEY_OPS": 1,
        "KEY_MEM": 8192,
        "LOOKUP_OPS": 2,
        "LOOKUP_MEM": 16384,
    }
    receipt = crypto.receipt_new()
    salt = crypto.new_salt()
    lookup = crypto.receipt_lookup_hash(receipt, installation_salt=salt)
    assert lookup == crypto.receipt_lookup_hash(receipt, installation_salt=salt)
    assert lookup != crypto.derive_key(receipt, salt=salt, cost=crypto.key_cost()).hex()


@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK_BYTES, crypto.CHUNK_BYTES * 3 + 17])
def test_stream_round_trip_in_chunks(size):
    key = crypto.new_file_key()
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    out = io.BytesIO()
    assert crypto.stream_encrypt(key, [data[i : i + 1000] for i in range(0, len(data), 1000)], out) == size
    blob = out.getvalue()
    assert b"".join(crypto.stream_decrypt(key, io.BytesIO(blob))) == data


def test_stream_tampering_and_truncation_are_detected():
    key = crypto.new_file_key()
    out = io.BytesIO()
    crypto.stream_encrypt(key, [b"a" * (crypto.CHUNK_BYTES * 2)], out)
    blob = bytearray(out.getvalue())
    blob[40] ^= 1
    with pytest.raises(crypto.DecryptionFailed):
        b"".join(crypto.stream_decrypt(key, io.BytesIO(bytes(blob))))
    truncated = out.getvalue()[: crypto.STREAM_HEADER_BYTES + crypto.CHUNK_BYTES + crypto.STREAM_ABYTES]
    with pytest.raises(crypto.DecryptionFailed):
        b"".join(crypto.stream_decrypt(key, io.BytesIO(truncated)))
    with pytest.raises(crypto.DecryptionFailed):
        b"".join(crypto.stream_decrypt(crypto.new_file_key(), io.BytesIO(out.getvalue())))


def test_receipts_carry_at_least_80_bits_and_are_typed_back_in_persian_digits():
    assert math.log2(10**crypto.RECEIPT_DIGITS) >= 80
    receipt = crypto.receipt_new()
    assert len(receipt) == 25 and receipt.isdigit()
    groups = crypto.receipt_groups(receipt)
    assert [len(group) for group in groups] == [5, 5, 5, 5, 5]
    persian = " - ".join(group.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) for group in groups)
    assert crypto.receipt_normalize(persian) == receipt
    assert crypto.receipt_normalize(receipt[:-1]) is None
    assert crypto.receipt_normalize("a" * 25) is None
