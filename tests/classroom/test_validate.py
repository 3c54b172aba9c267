"""Codes, keys and text checks of classroom mode (pure functions, no database)."""

from __future__ import annotations

import pytest

from vision_core.classroom import NotAllowed, keys
from vision_core.classroom.records import NewClass
from vision_core.classroom.validate import (
    JOIN_ALPHABET,
    check_join_code,
    check_link,
    check_name,
    check_score,
    name_key,
)
from vision_core.errors import BadInput


def test_names_are_trimmed_collapsed_and_kept_as_text():
    assert check_name("  Ana \t  María  ") == "Ana María"
    assert check_name("Zoe\u0301") == "Zoé"  # NFC
    assert check_name("<i>x</i> & 'y'") == "<i>x</i> & 'y'"
    assert check_name("👩‍🔬 Lab") == "👩‍🔬 Lab"  # the zero-width joiner of an emoji is allowed
    assert name_key("ANA") == name_key("ana") == "ana"
    assert check_name("é" * 40) == "é" * 40
    assert check_name("e\u0301" * 40) == "é" * 40  # 80 code points, 40 characters once composed
    for bad in ("x" * 10_240, "e\u0301" * 41):
        with pytest.raises(BadInput, match="at most 40"):
            check_name(bad)
    with pytest.raises(BadInput, match="control character .U\\+202E"):
        check_name("abc\u202etxt")
    with pytest.raises(BadInput, match="one line"):
        check_name("a\u2028b")


def test_join_codes_are_typeable():
    codes = {keys.new_join_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(c) == 8 and set(c) <= set(JOIN_ALPHABET) for c in codes)
    assert not set("IO01") & set(JOIN_ALPHABET)
    assert check_join_code(" abcd-efgh ") == "ABCDEFGH"
    for bad in ("ABCD-EFG", "ABCD EFGHJ", "ABCDEFG0", "ÄBCDEFGH"):
        with pytest.raises(NotAllowed, match="not a class code"):
            check_join_code(bad)


def test_teacher_key_hash_is_salted_scrypt_and_constant_time(monkeypatch):
    monkeypatch.setattr(keys, "SCRYPT_N", 2**14)  # the real cost, not the tests' lowered one
    key = keys.new_teacher_key()
    assert len(key) >= 32
    h1, h2 = keys.hash_key(key), keys.hash_key(key)
    assert h1 != h2 and h1.startswith("scrypt$16384$8$1$") and key not in h1
    assert keys.verify_key(key, h1) and keys.verify_key(key, h2)
    for wrong in (key[:-1], "", None, "x" * 10_000):  # each costs a full hash
        assert not keys.verify_key(wrong, h1)
    assert not keys.verify_key(key, None)  # no such class: a dummy hash is still computed
    assert not keys.verify_key(key, "md5$whatever")
    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)  # a cost change keeps old hashes valid
    assert keys.verify_key(key, h1)
    assert len(keys.token_digest(keys.new_token())) == 64


def test_new_class_repr_hides_the_key():
    nc = NewClass(3, "ABCDEFGH", "secret-key-value-123")
    cid, code, key = nc
    assert key == "secret-key-value-123"
    assert "secret" not in repr(nc) and "secret" not in str(nc) and "secret" not in f"{nc}"


def test_links_scores():
    assert check_link("?challenge=conv_blur&k=%5B1%2C2%5D") == "?challenge=conv_blur&k=%5B1%2C2%5D"
    for bad in ("javascript:alert(1)", "//evil.example/?a", "http://x/?a", "?a=b c", "?é", 5):
        with pytest.raises(BadInput):
            check_link(bad)
    assert check_score(1) == 1.0
    import numpy as np

    assert check_score(np.float32(0.5)) == 0.5
    for bad in ("1", None, True, float("nan"), 1e13):
        with pytest.raises(BadInput):
            check_score(bad)
