"""A query's token ids without loading the embedder's whole tokenizer.

The default embedder's tokenizer (a 250k-piece SentencePiece Unigram model) takes about a
second and 280 MB to load, which a one-query process (``search --semantic``) would pay every
time. The first full load leaves its pieces in a SQLite table beside the model; a short text is
then cut by a tokenizer built from the same JSON with only the pieces that occur in the text
(plus ``<unk>`` and the lowest-scoring piece, which fixes the unknown-piece penalty). Unigram's
best path only ever looks at pieces that occur in the text, so the ids are those of the full
tokenizer (``tests/models/test_pieces.py`` compares them on real report sentences).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from junheng import lookup

TABLE = "pieces.sqlite"
# texts longer than this, or with an added token's opening mark, go to the full tokenizer
MAX_CHARS = 256
_SPECIAL_MARK = "<"


def table_path(folder: Path) -> Path:
    return Path(folder) / TABLE


def save_table(folder: Path, tokenizer: Any) -> None:
    """Write the Unigram pieces of a loaded ``tokenizers.Tokenizer`` beside the model (once;
    atomically; silently skipped when the folder is read-only or the model is not Unigram)."""
    path = table_path(folder)
    if PieceTable.open(folder) is not None:
        return  # (a stale or damaged one is replaced)
    spec = json.loads(tokenizer.to_str())
    model = spec.get("model") or {}
    if model.get("type") != "Unigram" or model.get("byte_fallback"):
        return
    vocab = model.pop("vocab")
    unk_id = model.get("unk_id")
    if unk_id is None:
        return
    template = {**spec, "added_tokens": [], "post_processor": None, "truncation": None}
    template["padding"] = None
    lowest = min(range(len(vocab)), key=lambda k: vocab[k][1])
    meta = {
        "source": _stamp(folder),
        "template": json.dumps(template, ensure_ascii=False),
        "unk": json.dumps([vocab[unk_id][0], vocab[unk_id][1], unk_id]),
        "lowest": json.dumps([vocab[lowest][0], vocab[lowest][1], lowest]),
        "longest": str(max(len(p) for p, _ in vocab)),
        "specials": json.dumps([t["content"] for t in spec.get("added_tokens") or []]),
    }

    def fill(conn: sqlite3.Connection) -> None:
        conn.execute("create table pieces (piece text primary key, id int, score real)")
        conn.execute("create table meta (key text primary key, value text)")
        conn.executemany(
            "insert or ignore into pieces values (?, ?, ?)",
            ((p, k, s) for k, (p, s) in enumerate(vocab)),
        )
        conn.executemany("insert into meta values (?, ?)", meta.items())

    lookup.save(path, fill)


def _stamp(folder: Path) -> str:
    """Size and modification time of the folder's ``tokenizer.json`` (the table's source)."""
    try:
        st = (Path(folder) / "tokenizer.json").stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


class PieceTable:
    """Token ids of short texts from the saved piece table (see the module doc)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._meta: dict[str, Any] | None = None
        self._splitter: Any = None

    @classmethod
    def open(cls, folder: Path) -> PieceTable | None:
        """The table saved for this folder's ``tokenizer.json`` (None: none, or a stale one)."""
        path = table_path(folder)
        if not path.is_file():
            return None
        table = cls(path)
        try:
            conn = table._connect()
            try:
                row = conn.execute("select value from meta where key = 'source'").fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            return None
        return table if row and row[0] == _stamp(folder) else None

    def _connect(self) -> sqlite3.Connection:
        return lookup.connect(self.path)

    def _load_meta(self) -> dict[str, Any]:
        if self._meta is None:
            from tokenizers import Tokenizer

            conn = self._connect()
            try:
                raw = dict(conn.execute("select key, value from meta"))
            finally:
                conn.close()
            meta: dict[str, Any] = {
                "template": json.loads(raw["template"]),
                "unk": json.loads(raw["unk"]),
                "lowest": json.loads(raw["lowest"]),
                "longest": int(raw["longest"]),
                "specials": json.loads(raw["specials"]),
            }
            self._meta = meta
            self._splitter = Tokenizer.from_str(self._with_vocab([(meta["unk"][0], 0.0)]))
        return self._meta

    def _with_vocab(self, vocab: list[tuple[str, float]]) -> str:
        spec = dict(self._meta["template"])  # type: ignore[index]
        spec["model"] = {**spec["model"], "vocab": vocab, "unk_id": 0}
        return json.dumps(spec, ensure_ascii=False)

    def handles(self, texts: list[str]) -> bool:
        """Whether every text is short and holds no added token (``<s>``, ``<mask>`` …)."""
        return all(len(t) <= MAX_CHARS and _SPECIAL_MARK not in t for t in texts)

    def ids(self, texts: list[str]) -> list[list[int]]:
        """Per text the ids the full tokenizer gives (without special tokens)."""
        from tokenizers import Tokenizer

        meta = self._load_meta()
        longest = meta["longest"]
        words = []
        for text in texts:
            normal = self._splitter.normalizer.normalize_str(text)
            words.append([w for w, _ in self._splitter.pre_tokenizer.pre_tokenize_str(normal)])
        subs = sorted(
            {
                w[i:j]
                for ws in words
                for w in ws
                for i in range(len(w))
                for j in range(i + 1, min(len(w), i + longest) + 1)
            }
        )
        found: dict[str, tuple[int, float]] = {}
        conn = self._connect()
        try:
            sql = "select piece, id, score from pieces where piece in ({marks})"
            for piece, pid, score in lookup.select_in(conn, sql, subs):
                found[piece] = (pid, score)
        finally:
            conn.close()
        unk, lowest = meta["unk"], meta["lowest"]
        found.pop(unk[0], None)
        found.setdefault(lowest[0], (lowest[2], lowest[1]))
        pieces = sorted(found)
        original = [unk[2], *(found[p][0] for p in pieces)]
        vocab = [(unk[0], unk[1]), *((p, found[p][1]) for p in pieces)]
        tokenizer = Tokenizer.from_str(self._with_vocab(vocab))
        return [
            [original[i] for i in e.ids]
            for e in tokenizer.encode_batch(texts, add_special_tokens=False)
        ]
