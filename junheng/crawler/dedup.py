"""Near-duplicate detection: MinHash signatures over character shingles, LSH band buckets.

The text is reduced to its CJK characters, letters and digits (whitespace, punctuation and line
breaks differ between copies of one report), cut into overlapping ``SHINGLE``-character
shingles, and summarised by ``PERMUTATIONS`` minimum hash values (multiply-shift hashing of
64-bit shingle hashes, seeded, so signatures are stable across runs and machines). Two
signatures agree in a share of positions that estimates the Jaccard similarity of the shingle
sets. For lookup the signature is cut into ``BANDS`` bands; documents sharing any band bucket
are candidates, and a candidate whose estimated similarity reaches ``THRESHOLD`` is a
near-duplicate (a syndicated copy with its own header, footer or small edits).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

SHINGLE = 5
PERMUTATIONS = 128
BANDS = 32  # 4 rows per band: pairs at similarity 0.7 share a bucket with probability > 0.999
THRESHOLD = 0.7
MIN_CHARS = 40  # shorter texts get no signature (exact hashes still catch their copies)
_KEEP = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20240611)
    a = rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
    return a, b


def shingles(text: str) -> set[str]:
    core = _KEEP.sub("", text).lower()
    if len(core) < MIN_CHARS:
        return set()
    return {core[i : i + SHINGLE] for i in range(len(core) - SHINGLE + 1)}


def minhash(text: str) -> bytes | None:
    """The signature of a text (``PERMUTATIONS`` × uint32), or ``None`` for short texts."""
    grams = shingles(text)
    if not grams:
        return None
    hashes = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little")
            for g in grams
        ),
        dtype=np.uint64,
        count=len(grams),
    )
    a, b = _coefficients()
    low = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(hashes), 4096):  # bounded memory for long texts
        chunk = hashes[start : start + 4096]
        mixed = a[:, None] * chunk[None, :] + b[:, None]  # wraps modulo 2**64
        low = np.minimum(low, (mixed >> np.uint64(32)).min(axis=1))
    return low.astype("<u4").tobytes()


def buckets(signature: bytes | None) -> list[int]:
    """One bucket id per band (signed 64-bit, band index mixed in)."""
    if not signature:
        return []
    rows = len(signature) // BANDS
    out = []
    for k in range(BANDS):
        digest = hashlib.blake2b(
            bytes([k]) + signature[k * rows : (k + 1) * rows], digest_size=8
        ).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return out


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    x = np.frombuffer(a, dtype="<u4")
    y = np.frombuffer(b, dtype="<u4")
    if x.shape != y.shape or not len(x):
        return 0.0
    return float(np.count_nonzero(x == y)) / len(x)
