"""Embeddings for the corpus: building the default model, choosing the embedder, keeping the
stored sentence vectors up to date."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from junheng.corpus import vectors
from junheng.corpus.store import Corpus
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
    from junheng.models.embed import TfidfEmbedder, get_embedder, tfidf_path

    spec = settings.embedder
    if spec == "tfidf":
        path = tfidf_path(settings.cache_path, words=True)
        if path.exists():
            return TfidfEmbedder.load(path, tokenizer=pipeline.segmenter.cut)
        model = TfidfEmbedder(tokenizer=pipeline.segmenter.cut)
        model.fit([r["text"] for r in vectors.counted_sentences(corpus)])
        model.save(path)
        return model
    return get_embedder(spec, cache_dir=settings.cache_path)


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
