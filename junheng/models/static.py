"""A static embedding model (``StaticEmbedding`` + ``Normalize``, the default model) read
without torch: its token table and tokenizer in numpy, tens of MB instead of a gigabyte.

Vectors are those ``SentenceTransformerEmbedder`` gives for the same folder, up to float32
rounding: the mean of the token rows (``model2vec`` folders map token ids to rows of a smaller
table, optionally weighted; the full table is never built), scaled to unit length.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np

from junheng.errors import ConfigError

# at most this many texts are cut from the piece table (a query), more load the full tokenizer
QUICK_TEXTS = 8


def is_static(folder: Path) -> bool:
    """Whether ``folder`` holds a pure static sentence-transformers model."""
    try:
        modules = json.loads((Path(folder) / "modules.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    return (
        bool(kinds)
        and kinds[0] == "StaticEmbedding"
        and all(k == "Normalize" for k in kinds[1:])
        and (Path(folder) / "model.safetensors").is_file()
        and (Path(folder) / "tokenizer.json").is_file()
    )


class StaticEmbedder:
    """The ``Embedder`` protocol over a static model folder, in numpy (see module doc)."""

    def __init__(self, path: Path, *, name: str, version: str) -> None:
        from safetensors.numpy import load_file

        from junheng.models.pieces import PieceTable

        try:
            weights = load_file(str(Path(path) / "model.safetensors"))
        except Exception as exc:  # third-party loaders raise anything
            raise ConfigError(f"cannot load embedding model {path}: {exc}") from exc
        self._full: Any = None
        # a few short texts (a query) are cut from the piece table: no full tokenizer load
        self._pieces = PieceTable.open(Path(path))
        if "embedding.weight" in weights:
            self._rows = np.ascontiguousarray(weights["embedding.weight"], dtype=np.float32)
            self._mapping: np.ndarray | None = None
            self._weights: np.ndarray | None = None
        else:
            self._rows = np.ascontiguousarray(weights["embeddings"], dtype=np.float32)
            self._mapping = weights.get("mapping")
            self._weights = weights.get("weights")
        self.name = name
        self.path = Path(path)
        self.dim = int(self._rows.shape[1])
        self.version = version

    @property
    def _tokenizer(self) -> Any:
        """The full tokenizer, loaded on first use (leaving its piece table beside the model)."""
        if self._full is None:
            from tokenizers import Tokenizer

            from junheng.models.pieces import save_table

            try:
                tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
            except Exception as exc:  # third-party loaders raise anything
                raise ConfigError(f"cannot load embedding model {self.path}: {exc}") from exc
            tokenizer.no_padding()
            save_table(self.path, tokenizer)
            self._full = tokenizer
        return self._full

    def _ids(self, texts: list[str]) -> list[list[int]]:
        if (
            self._full is None
            and self._pieces is not None
            and len(texts) <= QUICK_TEXTS
            and self._pieces.handles(texts)
        ):
            try:
                return self._pieces.ids(texts)
            except (sqlite3.Error, OSError, ValueError, KeyError):
                self._pieces = None  # a damaged table: the full tokenizer from now on
        return [e.ids for e in self._tokenizer.encode_batch(texts, add_special_tokens=False)]

    def _sums(self, ids: list[list[int]], lengths: np.ndarray) -> np.ndarray:
        """Per text, the sum of its token rows as ``StaticEmbedding`` folds a model2vec table
        (row of the mapping, times the token's weight), as one sparse product: the token rows
        themselves are never gathered."""
        from scipy.sparse import csr_matrix

        flat = np.fromiter(itertools.chain.from_iterable(ids), np.int64, int(lengths.sum()))
        rows = flat if self._mapping is None else self._mapping[flat]
        if self._weights is None:
            data = np.ones(len(flat), np.float32)
        else:
            data = self._weights[flat].astype(np.float32)
        indptr = np.zeros(len(ids) + 1, np.int64)
        np.cumsum(lengths, out=indptr[1:])
        tokens = csr_matrix((data, rows, indptr), shape=(len(ids), self._rows.shape[0]))
        return np.asarray(tokens @ self._rows, dtype=np.float32)

    def encode(self, texts: list[str], *, kind: Any = "passage", batch_size: int = 4096) -> Any:
        """Embed ``texts`` as unit float32 rows (a text with no known token: a zero row)."""
        out = np.zeros((len(texts), self.dim), np.float32)
        for start in range(0, len(texts), max(1, batch_size)):
            chunk = list(texts[start : start + max(1, batch_size)])
            ids = self._ids(chunk)
            lengths = np.fromiter(map(len, ids), np.int64, len(ids))
            if not lengths.any():
                continue
            sums = self._sums(ids, lengths)
            out[start : start + len(chunk)] = sums / np.maximum(lengths, 1)[:, None]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, np.float32(1e-12))
