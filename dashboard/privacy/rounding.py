"""Seeded, unbiased base-5 rounding with the ABS/ONS cell-key method (SPEC §4).

Every respondent gets a *record key*: the first four bytes of an HMAC-SHA256 of their id under a per-release
secret. A cell's key is the sum of its respondents' record keys modulo 2**32, so the same set of respondents
always has the same key, whichever table or filter path reaches the cell. The key, scaled to [0, 1), decides
whether the cell's count rounds up or down to a multiple of 5, with probability chosen so that the expected
published value equals the true count. Zeros stay zero.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from dashboard.secret import MIN_SECRET_BYTES

BASE = 5
"""Rounding base."""

KEY_BITS = 32
KEY_MODULUS = 1 << KEY_BITS
"""Record and cell keys are integers in ``[0, KEY_MODULUS)``."""


_DIGEST = hashlib.sha256
_BLOCK_BYTES = 64
_IPAD = bytes(b ^ 0x36 for b in range(256))
_OPAD = bytes(b ^ 0x5C for b in range(256))
_KEY_BYTES = KEY_BITS // 8
_HALF_BITS = 16
_HALF_MASK = (1 << _HALF_BITS) - 1


def _hmac_pads(secret: bytes) -> tuple[hashlib._Hash, hashlib._Hash]:
    """Return SHA-256 states primed with the RFC 2104 inner and outer padded keys of ``secret``."""
    key = _DIGEST(secret).digest() if len(secret) > _BLOCK_BYTES else secret
    key = key.ljust(_BLOCK_BYTES, b"\0")
    return _DIGEST(key.translate(_IPAD)), _DIGEST(key.translate(_OPAD))


def record_keys(ids: Sequence[str] | np.ndarray, secret: bytes) -> np.ndarray:
    """Return each id's record key: HMAC-SHA256(secret, id) truncated to its first 4 bytes, big-endian.

    The HMAC is computed per RFC 2104 from SHA-256 states primed once with the padded key (identical to
    ``hmac.digest(secret, id, "sha256")``, about twice as fast as calling it per id with OpenSSL 3).

    Args:
        ids: Respondent ids; each is converted with ``str`` and encoded as UTF-8.
        secret: The per-release secret, at least ``MIN_SECRET_BYTES`` bytes. It is never logged.

    Returns:
        A ``uint32`` array with one key per id.
    """
    if not isinstance(secret, bytes | bytearray):
        raise TypeError("secret must be bytes")
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"secret must be at least {MIN_SECRET_BYTES} bytes")
    inner, outer = _hmac_pads(bytes(secret))
    new_inner, new_outer = inner.copy, outer.copy

    def key_of(record_id: object) -> bytes:
        h = new_inner()
        h.update(str(record_id).encode("utf-8"))
        o = new_outer()
        o.update(h.digest())
        return o.digest()[:_KEY_BYTES]

    values = ids.tolist() if isinstance(ids, np.ndarray) else ids
    joined = b"".join([key_of(i) for i in values])
    return np.frombuffer(joined, dtype=">u4").astype(np.uint32)


def cell_keys(group_codes: np.ndarray, record_keys: np.ndarray, n_groups: int) -> np.ndarray:
    """Return every group's cell key: the sum of its members' record keys modulo 2**32.

    The sum is exact: each key is split into two 16-bit halves whose per-group sums ``np.bincount`` computes
    exactly in float64 (below 2**53 for any realistic number of records), and the halves are recombined in
    ``uint64`` arithmetic.

    Args:
        group_codes: Integer group code of each record, in ``0 .. n_groups - 1``.
        record_keys: ``uint32`` record key of each record (same length as ``group_codes``).
        n_groups: Number of groups; empty groups get key 0.

    Returns:
        A ``uint32`` array of length ``n_groups``.
    """
    codes = np.asarray(group_codes)
    keys = np.asarray(record_keys)
    if codes.shape != keys.shape or codes.ndim != 1:
        raise ValueError("group_codes and record_keys must be 1-D arrays of the same length")
    if not np.issubdtype(codes.dtype, np.integer):
        raise TypeError("group_codes must be integers")
    if n_groups < 0:
        raise ValueError("n_groups must be non-negative")
    if codes.size and (codes.min() < 0 or codes.max() >= n_groups):
        raise ValueError("group_codes must lie in 0 .. n_groups - 1")
    keys64 = keys.astype(np.uint64)
    low = np.bincount(codes, weights=(keys64 & _HALF_MASK).astype(np.float64), minlength=n_groups)
    high = np.bincount(codes, weights=(keys64 >> _HALF_BITS).astype(np.float64), minlength=n_groups)
    low64 = low.astype(np.uint64) % KEY_MODULUS
    high64 = high.astype(np.uint64) & _HALF_MASK
    return ((low64 + (high64 << _HALF_BITS)) % KEY_MODULUS).astype(np.uint32)


def round_base5(counts: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Round counts to a multiple of 5 without bias, steered by their cell keys.

    With remainder ``r = count % 5``, a count rounds up to the next multiple of 5 when ``key / 2**32 < r / 5``
    and down otherwise, so its expected value over uniformly random keys is the count itself. The comparison
    is done in exact integer arithmetic. Zeros and multiples of 5 are unchanged; a count of 1 becomes 0 or 5.

    Args:
        counts: Non-negative integer counts.
        keys: ``uint32`` cell keys, same shape as ``counts``.

    Returns:
        An ``int64`` array of rounded counts.
    """
    c = np.asarray(counts)
    k = np.asarray(keys)
    if c.shape != k.shape:
        raise ValueError("counts and keys must have the same shape")
    if not np.issubdtype(c.dtype, np.integer):
        raise TypeError("counts must be integers")
    c = c.astype(np.int64)
    if c.size and c.min() < 0:
        raise ValueError("counts must be non-negative")
    remainder = c % BASE
    up = k.astype(np.uint64) * np.uint64(BASE) < remainder.astype(np.uint64) * np.uint64(KEY_MODULUS)
    return c - remainder + BASE * up.astype(np.int64)


def rounding_interval(published: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the true counts consistent with base-5 rounded published values, as ``(low, high)`` arrays.

    A published ``p`` can come from any count in ``[p - 4, p + 4]`` clipped at 0 (a published 0 from 0 .. 4).
    """
    p = np.asarray(published, dtype=np.int64)
    return np.maximum(p - (BASE - 1), 0), p + (BASE - 1)
