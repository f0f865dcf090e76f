"""Reading the corpus: full-text search."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from junheng.api.documents import pipeline_for
from junheng.api.tables import resolve_places
from junheng.corpus import search as search_mod
from junheng.corpus.store import Corpus
from junheng.errors import QueryError
from junheng.pipeline import Pipeline
from junheng.settings import Settings, load_settings

MODES = ("text", "semantic", "hybrid")


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    terms: tuple[str, ...]
    hits: tuple[search_mod.SearchHit, ...]


def search(
    query: str,
    *,
    db: str | None = None,
    region: str | None = None,
    strategy: str | None = None,
    limit: int = 20,
    mode: str = "text",
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[int], None] | None = None,
) -> SearchResult:
    """Sentences for ``query``: ``text`` matches words (segmented like the index), ``semantic``
    ranks by meaning (sentence embeddings), ``hybrid`` fuses both rankings."""
    if mode not in MODES:
        raise QueryError(f"unknown search mode {mode!r}; expected one of: {', '.join(MODES)}")
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, readonly=True, timeout=settings.lock_timeout) as corpus:
        # queries are cut with the corpus's own lexicon, as its index was
        pipeline = pipeline or pipeline_for(corpus, settings)
        if strategy:
            pipeline.taxonomy.strategy(strategy)
        regions = resolve_places(pipeline, region) if region else []
        text = pipeline.normalizer.text(query)
        # a pure meaning search needs no segmentation (nor the dictionaries it loads)
        terms = pipeline.segmenter.query_terms(text) if mode != "semantic" else []
        if not terms and (mode == "text" or not re.search(r"\w", text)):
            raise QueryError(f"the query {query!r} has no searchable words")
        text_hits: list[search_mod.SearchHit] = []
        if mode in ("text", "hybrid") and terms:
            pool = limit if mode == "text" else max(limit * 10, 200)
            normal = pipeline.normalizer.text
            text_hits = search_mod.search(
                corpus,
                terms,
                regions=regions,
                strategy=strategy,
                limit=pool,
                pieces={t: pipeline.segmenter.splits(t) for t in terms if len(t) >= 4},
                contains=lambda sentence, term: term in normal(sentence).lower(),
            )
        if mode == "text":
            return SearchResult(query, tuple(terms), tuple(text_hits))
        from junheng.api.embeddings import corpus_embedder, corpus_vectors

        embedder = corpus_embedder(corpus, settings, pipeline)
        stored = corpus_vectors(corpus, embedder, progress)
        vector = embedder.encode([text], kind="query")[0]
        pool = limit if mode == "semantic" else max(limit * 10, 200)
        near = search_mod.semantic_search(
            corpus,
            vector,
            vectors=stored,
            regions=regions,
            strategy=strategy,
            limit=pool,
        )
        if mode == "semantic":
            return SearchResult(query, tuple(terms), tuple(near))
        return SearchResult(
            query, tuple(terms), tuple(search_mod.fuse(text_hits, near, limit=limit))
        )
