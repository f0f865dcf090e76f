"""Embeddings for the corpus: building the default model, choosing the embedder, keeping the
stored sentence vectors up to date."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from junheng.corpus import vector_index, vectors
from junheng.corpus.store import Corpus
from junheng.errors import CorpusError, JunhengError
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


def corpus_vectors(
    corpus: Corpus, embedder: Any, progress: Callable[[int], None] | None = None
) -> Any:
    """The sentence vectors of the corpus for this embedder (``vector_index.Vectors``): its
    stored index, built on first use and brought up to date (see ``vector_index``)."""
    return vector_index.open_vectors(
        corpus,
        model=embedder.version,
        dim=embedder.dim,
        encode=lambda texts: embedder.encode(texts, kind="passage"),
        progress=progress,
    )


def refresh_vectors(corpus: Corpus, settings: Settings, pipeline: Pipeline) -> int:
    """After new documents: extend the vector index of the configured embedder when semantic
    search built one (nothing to do otherwise). Returns how many sentences were encoded."""
    if settings.embedder == "tfidf":
        return 0  # refitted on the corpus by its user; its index follows its own version
    try:
        embedder = corpus_embedder(corpus, settings, pipeline)
    except JunhengError:
        return 0
    if not vector_index.exists(corpus.path, embedder.version):
        return 0
    try:
        return vector_index.update(
            corpus,
            model=embedder.version,
            dim=embedder.dim,
            encode=lambda texts: embedder.encode(texts, kind="passage"),
        )
    except OSError:
        return 0


def embed_corpus(
    *,
    db: str | None = None,
    settings: Settings | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[str, int]:
    """Make sure every article sentence has a vector; returns (model version, newly encoded)."""
    from junheng.api.documents import pipeline_for

    settings = settings or load_settings()
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        embedder = corpus_embedder(corpus, settings, pipeline_for(corpus, settings))
        try:
            done = vector_index.update(
                corpus,
                model=embedder.version,
                dim=embedder.dim,
                encode=lambda texts: embedder.encode(texts, kind="passage"),
                progress=progress,
            )
        except OSError as exc:
            raise CorpusError(
                f"cannot write the vector index beside {corpus.path}: {exc}"
            ) from None
        return embedder.version, done
