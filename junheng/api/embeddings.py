"""Embeddings for the corpus: building the default model, choosing the embedder, keeping the
stored sentence vectors up to date."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from junheng.corpus import vectors
from junheng.corpus.store import Corpus
from junheng.errors import JunhengError
from junheng.pipeline import Pipeline
from junheng.settings import Settings, load_settings


def build_models(
    *,
    force: bool = False,
    settings: Settings | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Any:
    """Build the default embedding model from installed packages (no hub) into the cache."""
    from junheng.models.distil import build_default_model

    settings = settings or load_settings()
    return build_default_model(settings.cache_path, progress=progress, force=force)


def build_trained_models(
    *,
    force: bool = False,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Train the default measure tagger and strategy/instrument models on the shipped gold
    (needs the default embedding model: build that first). Returns the build record."""
    from junheng.models.bundle import build_default_bundle

    return build_default_bundle(settings or load_settings(), force=force, progress=progress)


def corpus_embedder(corpus: Corpus, settings: Settings, pipeline: Pipeline) -> Any:
    """The configured embedder; a TF-IDF one is fitted on the corpus the first time."""
    from junheng.models.embed import TfidfEmbedder, tfidf_path

    spec = settings.embedder
    if spec == "tfidf":
        path = tfidf_path(settings.cache_path, words=True)
        if path.exists():
            return TfidfEmbedder.load(path, tokenizer=pipeline.segmenter.cut)
        model = TfidfEmbedder(tokenizer=pipeline.segmenter.cut)
        model.fit([r["text"] for r in vectors.counted_sentences(corpus)])
        model.save(path)
        return model
    return _loaded_embedder(spec, settings.cache_path)


@functools.lru_cache(maxsize=4)
def _loaded_embedder(spec: str, cache_dir: Path) -> Any:
    """An embedder loads once per process (a query must not pay for loading the model again)."""
    from junheng.models.embed import get_embedder

    return get_embedder(spec, cache_dir=cache_dir)


def query_matrix(
    corpus: Corpus,
    embedder: Any,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[int], Any]:
    """Ids and unit vectors of the counted sentences, for semantic search. Sentences without a
    stored vector are encoded; the vectors are stored when the corpus can be written, else
    kept for this search only (a read-only corpus is searched all the same)."""
    import numpy as np

    rows = vectors.counted_sentences(corpus)
    hashes = [vectors.text_hash(r["text"]) for r in rows]
    vectors.check_model(corpus, embedder.version, embedder.dim)
    matrix, missing = vectors.load_matrix(
        corpus, hashes, model=embedder.version, dim=embedder.dim, with_missing=True
    )
    if missing:
        texts = {hashes[i]: rows[i]["text"] for i in missing}
        order = list(texts)
        fresh = np.zeros((len(order), embedder.dim), dtype=np.float32)
        for k in range(0, len(order), 2048):
            part = order[k : k + 2048]
            fresh[k : k + len(part)] = embedder.encode([texts[h] for h in part], kind="passage")
            if progress:
                progress(k + len(part))
        index = {h: j for j, h in enumerate(order)}
        for i in missing:
            matrix[i] = fresh[index[hashes[i]]]
        _store_quietly(corpus, embedder, order, fresh)
    return [r["id"] for r in rows], matrix


def _store_quietly(corpus: Corpus, embedder: Any, hashes: list[str], matrix: Any) -> None:
    """Keep new vectors in the corpus when another connection may write it."""
    try:
        with Corpus.open(corpus.path, create=False, timeout=1.0) as writer, writer.transaction():
            writer.db.conn.executemany(
                "insert or replace into vectors (content_hash, model, dim, vector)"
                " values (?, ?, ?, ?)",
                [
                    (h, embedder.version, embedder.dim, vectors.encode_blob(v))
                    for h, v in zip(hashes, matrix, strict=True)
                ],
            )
    except JunhengError:
        pass  # read-only, locked or damaged: the search goes on with the vectors in memory


def ensure_corpus_vectors(
    corpus: Corpus, embedder: Any, progress: Callable[[int], None] | None = None
) -> int:
    """Encode the counted sentences that have no vector for this embedder yet."""
    texts = [r["text"] for r in vectors.counted_sentences(corpus)]
    return vectors.ensure_vectors(
        corpus,
        texts,
        model=embedder.version,
        dim=embedder.dim,
        encode=lambda batch: embedder.encode(batch, kind="passage"),
        progress=progress,
    )


def embed_corpus(
    *,
    db: str | None = None,
    settings: Settings | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[str, int]:
    """Make sure every counted sentence has a vector; returns (model version, newly encoded)."""
    from junheng.api.documents import pipeline_for

    settings = settings or load_settings()
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        embedder = corpus_embedder(corpus, settings, pipeline_for(corpus, settings))
        return embedder.version, ensure_corpus_vectors(corpus, embedder, progress)
