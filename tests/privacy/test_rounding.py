"""Tests of seeded base-5 cell-key rounding."""

from __future__ import annotations

import hmac

import numpy as np
import pytest

from dashboard.privacy.rounding import (
    KEY_MODULUS,
    cell_keys,
    record_keys,
    round_base5,
    rounding_interval,
)

SECRET = b"release-secret-0123456789abcdef"
OTHER_SECRET = b"another-secret-0123456789abcdef"


def test_record_keys_are_truncated_hmac_sha256() -> None:
    ids = ["R0001", "R0002", "répondant-3", ""]
    keys = record_keys(ids, SECRET)
    expected = [int.from_bytes(hmac.digest(SECRET, i.encode("utf-8"), "sha256")[:4], "big") for i in ids]
    assert keys.dtype == np.uint32
    assert keys.tolist() == expected


def test_record_keys_long_secret_matches_hmac() -> None:
    secret = bytes(range(200))
    assert record_keys(["a", "b"], secret).tolist() == [
        int.from_bytes(hmac.digest(secret, x.encode(), "sha256")[:4], "big") for x in ["a", "b"]
    ]


def test_record_keys_deterministic_and_secret_dependent() -> None:
    ids = np.array([f"R{i:05d}" for i in range(1000)])
    first = record_keys(ids, SECRET)
    assert np.array_equal(first, record_keys(list(ids), SECRET))
    other = record_keys(ids, OTHER_SECRET)
    assert np.mean(first == other) < 0.01


def test_record_keys_refuse_short_or_text_secret() -> None:
    with pytest.raises(ValueError, match="at least"):
        record_keys(["a"], b"short")
    with pytest.raises(TypeError):
        record_keys(["a"], "a text secret, not bytes")  # type: ignore[arg-type]


def test_cell_key_is_sum_mod_2_32_and_order_free() -> None:
    rng = np.random.default_rng(1)
    keys = rng.integers(0, KEY_MODULUS, size=5000, dtype=np.uint64).astype(np.uint32)
    codes = rng.integers(0, 7, size=5000)
    got = cell_keys(codes, keys, 9)
    expected = [sum(int(k) for k in keys[codes == g]) % KEY_MODULUS for g in range(9)]
    assert got.dtype == np.uint32
    assert got.tolist() == expected
    assert got[7] == 0
    assert got[8] == 0
    perm = rng.permutation(5000)
    assert np.array_equal(cell_keys(codes[perm], keys[perm], 9), got)


def test_cell_key_exact_for_large_groups_of_large_keys() -> None:
    keys = np.full(1_000_003, KEY_MODULUS - 1, dtype=np.uint32)
    codes = np.zeros(keys.size, dtype=np.int64)
    assert int(cell_keys(codes, keys, 1)[0]) == (keys.size * (KEY_MODULUS - 1)) % KEY_MODULUS


def test_same_respondents_same_cell_key_whatever_the_table() -> None:
    ids = [f"R{i}" for i in range(40)]
    keys = record_keys(ids, SECRET)
    members = [3, 17, 22, 39]
    # Table A: the four respondents are group 0 of 2; table B: they are group 5 of 6, listed in another order.
    a = np.ones(40, dtype=np.int64)
    a[members] = 0
    b = np.arange(40) % 5
    b[members] = 5
    order = np.random.default_rng(0).permutation(40)
    assert cell_keys(a, keys, 2)[0] == cell_keys(b[order], keys[order], 6)[5]


def test_cell_keys_validate_codes() -> None:
    keys = np.zeros(3, dtype=np.uint32)
    with pytest.raises(ValueError, match="must lie in"):
        cell_keys(np.array([0, 1, 3]), keys, 3)
    with pytest.raises(ValueError, match="must lie in"):
        cell_keys(np.array([0, -1, 2]), keys, 3)
    with pytest.raises(ValueError, match="same length"):
        cell_keys(np.array([0, 1]), keys, 3)


def test_round_base5_outputs_multiples_of_5_within_4() -> None:
    rng = np.random.default_rng(2)
    counts = rng.integers(0, 200, size=10_000)
    keys = rng.integers(0, KEY_MODULUS, size=10_000, dtype=np.uint64).astype(np.uint32)
    out = round_base5(counts, keys)
    assert np.all(out % 5 == 0)
    assert np.all(np.abs(out - counts) <= 4)
    assert np.all(out[counts == 0] == 0)
    assert np.array_equal(out[counts % 5 == 0], counts[counts % 5 == 0])


def test_round_base5_rule_at_the_cut_point() -> None:
    # r = 2: round up iff key / 2**32 < 2/5.
    cut = (2 * KEY_MODULUS) // 5  # floor(0.4 * 2**32); 0.4 * 2**32 is not an integer
    keys = np.array([0, cut, cut + 1, KEY_MODULUS - 1], dtype=np.uint32)
    assert round_base5(np.full(4, 7), keys).tolist() == [10, 10, 5, 5]
    # A count of 1 becomes 5 for a small key and 0 for a large one; zeros stay zero for any key.
    assert round_base5(np.array([1, 1, 0, 0]), np.array([0, KEY_MODULUS - 1, 0, KEY_MODULUS - 1])).tolist() == [
        5,
        0,
        0,
        0,
    ]


def test_round_base5_unbiased_exactly_over_uniform_grid_of_keys() -> None:
    keys = np.arange(0, KEY_MODULUS, 4096, dtype=np.uint64).astype(np.uint32)  # 2**20 evenly spread keys
    for count in range(0, 16):
        mean = round_base5(np.full(keys.size, count), keys).mean()
        assert mean == pytest.approx(count, abs=1e-5)


def test_round_base5_unbiased_on_average_over_random_keys() -> None:
    rng = np.random.default_rng(3)
    counts = rng.integers(0, 30, size=200_000)
    keys = rng.integers(0, KEY_MODULUS, size=counts.size, dtype=np.uint64).astype(np.uint32)
    out = round_base5(counts, keys)
    # Each rounding error has |e| <= 4 and mean 0; the standard error of the mean is below 0.01.
    assert abs((out - counts).mean()) < 0.05
    for r in range(1, 5):
        share_up = np.mean(out[counts % 5 == r] > counts[counts % 5 == r])
        assert share_up == pytest.approx(r / 5, abs=0.02)


def test_round_base5_deterministic_and_validated() -> None:
    counts = np.array([1, 2, 3, 4, 6])
    keys = record_keys(["a", "b", "c", "d", "e"], SECRET)
    assert np.array_equal(round_base5(counts, keys), round_base5(counts.copy(), keys.copy()))
    with pytest.raises(ValueError, match="non-negative"):
        round_base5(np.array([-1]), np.array([0], dtype=np.uint32))
    with pytest.raises(ValueError, match="same shape"):
        round_base5(np.array([1, 2]), np.array([0], dtype=np.uint32))
    with pytest.raises(TypeError):
        round_base5(np.array([1.5]), np.array([0], dtype=np.uint32))


def test_rounding_interval() -> None:
    low, high = rounding_interval(np.array([0, 5, 10]))
    assert low.tolist() == [0, 1, 6]
    assert high.tolist() == [4, 9, 14]
