"""Sentence vectors in the corpus: float32 blobs keyed by text hash and model version."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from junheng.corpus.store import COUNTED, Corpus
from junheng.errors import ConfigError


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def encode_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def decode_blob(blob: bytes, dim: int) -> np.ndarray:
    if len(blob) != 4 * dim:
        raise ConfigError(f"stored vector has {len(blob) // 4} values, expected {dim}")
    return np.frombuffer(blob, dtype="<f4")


def check_model(corpus: Corpus, model: str, dim: int) -> None:
    """Refuse a model whose name matches stored vectors of another width (never mix)."""
    rows = corpus.query("select distinct dim from vectors where model = ?", (model,))
    for r in rows:
        if r["dim"] != dim:
            raise ConfigError(
                f"the corpus holds {r['dim']}-dimensional vectors for model {model!r} but the "
                f"embedder gives {dim}; run `junheng embed --rebuild` to re-encode"
            )


def ensure_vectors(
    corpus: Corpus,
    texts: Sequence[str],
    *,
    model: str,
    dim: int,
    encode: Callable[[list[str]], np.ndarray],
    batch: int = 2048,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Encode and store the texts that have no vector for ``model`` yet; returns how many."""
    check_model(corpus, model, dim)
    hashes = {text_hash(t): t for t in texts}
    have: set[str] = set()
    keys = list(hashes)
    for k in range(0, len(keys), 900):
        part = keys[k : k + 900]
        marks = ",".join("?" for _ in part)
        have.update(
            r["content_hash"]
            for r in corpus.query(
                f"select content_hash from vectors where model = ? and content_hash in ({marks})",
                (model, *part),
            )
        )
    missing = [h for h in keys if h not in have]
    done = 0
    for k in range(0, len(missing), batch):
        part = missing[k : k + batch]
        vectors = encode([hashes[h] for h in part])
        if vectors.shape[1] != dim:
            raise ConfigError(f"the embedder returned {vectors.shape[1]} dimensions, not {dim}")
        with corpus.transaction():
            corpus.db.conn.executemany(
                "insert or replace into vectors (content_hash, model, dim, vector)"
                " values (?, ?, ?, ?)",
                [(h, model, dim, encode_blob(v)) for h, v in zip(part, vectors, strict=True)],
            )
        done += len(part)
        if progress:
            progress(done)
    return done


def load_matrix(
    corpus: Corpus, hashes: Iterable[str], *, model: str, dim: int, with_missing: bool = False
) -> Any:
    """Vectors for ``hashes`` in order (zero rows where a vector is missing); with
    ``with_missing``, also the positions that have none."""
    order = list(hashes)
    index: dict[str, list[int]] = {}
    for i, h in enumerate(order):
        index.setdefault(h, []).append(i)
    out = np.zeros((len(order), dim), dtype=np.float32)
    found = np.zeros(len(order), dtype=bool)
    for k in range(0, len(order), 900):
        part = order[k : k + 900]
        marks = ",".join("?" for _ in part)
        for r in corpus.query(
            "select content_hash, vector from vectors"
            f" where model = ? and content_hash in ({marks})",
            (model, *part),
        ):
            rows = index[r["content_hash"]]
            out[rows] = decode_blob(r["vector"], dim)
            found[rows] = True
    if with_missing:
        return out, [int(i) for i in np.flatnonzero(~found)]
    return out


def counted_sentences(corpus: Corpus) -> list[dict]:
    """Counted (article, relevant, non-duplicate) sentences: id and text."""
    return corpus.query(
        f"select s.id, s.text from sentences s join documents d on d.id = s.document_id"
        f" where {COUNTED} order by s.id"
    )
