"""Sentence vectors for semantic search: one usearch HNSW index per embedder beside the corpus.

``corpus.db.vectors/<model>.usearch`` holds an 8-bit vector for every article sentence, keyed
by sentence id, with ``<model>.json`` saying up to which sentence id it is complete
(``covered``) and which re-analyses it has seen. It is derived data: written atomically
(a new file, then a rename) under a lock, extended at the end of every ingest once it exists,
rebuilt from the text when missing or damaged, and searched memory-mapped (a query process
does not load it). Sentences a re-analysis replaced (``sentence_replacements``) are dropped and
encoded again. A process that cannot write the folder searches the file as it is plus the
sentences it lacks, encoded in memory.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng.corpus.store import Corpus

if TYPE_CHECKING:
    import numpy as np

ENCODE_BATCH = 4096


@dataclass(frozen=True, slots=True)
class Located:
    """Where an embedder's index of a corpus lives."""

    folder: Path
    stem: str

    @property
    def index(self) -> Path:
        return self.folder / f"{self.stem}.usearch"

    @property
    def meta(self) -> Path:
        return self.folder / f"{self.stem}.json"


def locate(corpus_path: str, model: str) -> Located:
    digest = hashlib.sha256(model.encode()).hexdigest()[:16]
    return Located(Path(str(corpus_path) + ".vectors"), digest)


def exists(corpus_path: str, model: str) -> bool:
    """Whether semantic search built an index for this embedder (ingest then keeps it up)."""
    return locate(corpus_path, model).meta.is_file()


def any_index(corpus_path: str) -> bool:
    """Whether any embedder has an index for this corpus (cheap: no embedder loaded)."""
    folder = Path(str(corpus_path) + ".vectors")
    return folder.is_dir() and any(folder.glob("*.json"))


def _new_index(dim: int) -> Any:
    from usearch.index import Index

    return Index(ndim=dim, metric="cos", dtype="i8", connectivity=16)


def _read_meta(where: Located, model: str, dim: int) -> dict[str, Any] | None:
    try:
        meta = json.loads(where.meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("model") != model or meta.get("dim") != dim or not where.index.is_file():
        return None
    return meta


def _replaced_since(corpus: Corpus, seen: int) -> tuple[int | None, int]:
    """The lowest sentence id replaced by re-analyses after replacement ``seen``, and the
    latest replacement."""
    row = corpus.query(
        "select min(first_sentence) as low, max(id) as last from sentence_replacements"
        " where id > ?",
        (seen,),
    )[0]
    return row["low"], int(row["last"] or seen)


def _sentences(corpus: Corpus, after: int) -> Iterator[list[tuple[int, str]]]:
    """Article sentences with an id above ``after``, in chunks."""
    last = after
    while True:
        rows = corpus.query(
            "select id, text from sentences where id > ? and boilerplate = 0 order by id limit ?",
            (last, ENCODE_BATCH),
        )
        if not rows:
            return
        yield [(r["id"], r["text"]) for r in rows]
        last = rows[-1]["id"]


@dataclass
class Vectors:
    """An index to search: the stored one (memory-mapped) and what it lacks, in memory."""

    stored: Any  # usearch Index or None
    dropped_from: int | None  # stored keys at or above this are stale
    extra_ids: np.ndarray
    extra: np.ndarray  # unit float32 rows

    def search(self, query: np.ndarray, count: int) -> list[tuple[int, float]]:
        """(sentence id, cosine similarity) of the ``count`` nearest, best first."""
        import numpy as np

        found: dict[int, float] = {}
        if self.stored is not None and len(self.stored):
            want = count if self.dropped_from is None else count * 2 + 50
            matches = self.stored.search(query, min(want, len(self.stored)))
            for key, dist in zip(matches.keys, matches.distances, strict=True):
                if self.dropped_from is None or key < self.dropped_from:
                    found[int(key)] = 1.0 - float(dist)
        if len(self.extra_ids):
            scores = self.extra @ query
            top = np.argsort(-scores)[:count]
            found.update({int(self.extra_ids[i]): float(scores[i]) for i in top})
        return sorted(found.items(), key=lambda kv: -kv[1])[:count]

    def exact(self, ids: list[int], query: np.ndarray, count: int) -> list[tuple[int, float]]:
        """The nearest among ``ids`` only (for selective filters), best first."""
        import numpy as np

        keys = np.asarray(ids, dtype=np.uint64)
        scores = np.full(len(keys), -np.inf, dtype=np.float32)
        if self.stored is not None and len(self.stored) and len(keys):
            for k in range(0, len(keys), 50_000):
                part = keys[k : k + 50_000]
                have = np.asarray(self.stored.contains(part), dtype=bool)
                if self.dropped_from is not None:
                    have &= part < self.dropped_from
                if have.any():
                    rows = np.asarray(self.stored.get(part[have], dtype=np.float32))
                    rows = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
                    scores[k + np.flatnonzero(have)] = rows @ query
        if len(self.extra_ids) and len(keys):
            where = {int(i): j for j, i in enumerate(self.extra_ids)}
            for j, key in enumerate(ids):
                if key in where:
                    scores[j] = float(self.extra[where[key]] @ query)
        top = [i for i in np.argsort(-scores)[:count] if np.isfinite(scores[i])]
        return [(int(ids[i]), float(scores[i])) for i in top]


def _encode(
    encode: Callable[[list[str]], np.ndarray], chunk: list[tuple[int, str]]
) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    ids = np.fromiter((i for i, _ in chunk), dtype=np.uint64, count=len(chunk))
    return ids, np.asarray(encode([t for _, t in chunk]), dtype=np.float32)


def update(
    corpus: Corpus,
    *,
    model: str,
    dim: int,
    encode: Callable[[list[str]], np.ndarray],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Bring the stored index of this embedder up to date (create it when missing): encode the
    sentences stored since, drop those re-analysis replaced. Returns how many were encoded.
    Raises ``OSError`` when the folder cannot be written."""
    where = locate(corpus.path, model)
    where.folder.mkdir(exist_ok=True)
    with open(where.folder / f"{where.stem}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        meta = _read_meta(where, model, dim)
        index = _new_index(dim)
        covered, seen = 0, 0
        if meta is not None:
            try:
                index.load(str(where.index))
                covered, seen = int(meta["covered"]), int(meta["replacements"])
            except Exception:  # a damaged file is rebuilt from the text
                index, covered, seen = _new_index(dim), 0, 0
        low, last = _replaced_since(corpus, seen)
        if low is not None and low <= covered:
            import numpy as np

            stale = np.asarray(index.keys, dtype=np.uint64)
            stale = stale[stale >= low]
            if len(stale):
                index.remove(stale)
            covered = low - 1
        top = corpus.query("select max(id) as n from sentence_rows")[0]["n"] or 0
        done = 0
        for chunk in _sentences(corpus, covered):
            ids, vectors = _encode(encode, chunk)
            index.add(ids, vectors)  # all cores
            done += len(chunk)
            if progress:
                progress(done)
        if done == 0 and meta is not None and covered == meta["covered"] and seen == last:
            return 0
        covered = max(covered, int(top))
        tmp = where.folder / f".{where.stem}.{os.getpid()}.tmp"
        index.save(str(tmp))
        os.replace(tmp, where.index)
        tmp_meta = where.folder / f".{where.stem}.{os.getpid()}.json"
        tmp_meta.write_text(
            json.dumps({"model": model, "dim": dim, "covered": covered, "replacements": last}),
            encoding="utf-8",
        )
        os.replace(tmp_meta, where.meta)
        _VIEWS.pop(str(where.index), None)
        return done


# memory-mapped indexes of this process, by file, with the file's identity when opened
_VIEWS: dict[str, tuple[tuple[int, int], Any, dict[str, Any]]] = {}


def _view(where: Located, model: str, dim: int) -> tuple[Any, dict[str, Any]] | None:
    meta = _read_meta(where, model, dim)
    if meta is None:
        return None
    try:
        st = where.index.stat()
    except OSError:
        return None
    ident = (st.st_ino, st.st_mtime_ns)
    cached = _VIEWS.get(str(where.index))
    if cached is not None and cached[0] == ident:
        return cached[1], cached[2]
    index = _new_index(dim)
    try:
        index.view(str(where.index))
    except Exception:
        return None
    _VIEWS[str(where.index)] = (ident, index, meta)
    return index, meta


def open_vectors(
    corpus: Corpus,
    *,
    model: str,
    dim: int,
    encode: Callable[[list[str]], np.ndarray],
    progress: Callable[[int], None] | None = None,
) -> Vectors:
    """The vectors of every article sentence for semantic search: the stored index, brought
    up to date first when that is possible (the first search of a corpus builds it), else
    completed in memory."""
    where = locate(corpus.path, model)
    view = _view(where, model, dim)
    top = corpus.query("select max(id) as n from sentence_rows")[0]["n"] or 0
    stale = True
    if view is not None:
        low, _ = _replaced_since(corpus, int(view[1]["replacements"]))
        stale = int(view[1]["covered"]) < top or low is not None
    if stale:
        with contextlib.suppress(OSError):
            update(corpus, model=model, dim=dim, encode=encode, progress=progress)
            view = _view(where, model, dim)
    if view is None:
        stored, covered, dropped = None, 0, None
    else:
        stored, meta = view
        covered = int(meta["covered"])
        low, _ = _replaced_since(corpus, int(meta["replacements"]))
        dropped = low if low is not None and low <= covered else None
        if dropped is not None:
            covered = dropped - 1
    import numpy as np

    ids, rows = [], []
    for chunk in _sentences(corpus, covered):  # what the stored index lacks (read-only)
        part_ids, part = _encode(encode, chunk)
        ids.append(part_ids)
        rows.append(part)
    return Vectors(
        stored,
        dropped,
        np.concatenate(ids) if ids else np.zeros(0, np.uint64),
        np.vstack(rows) if rows else np.zeros((0, dim), np.float32),
    )
