"""Reading the corpus: full-text search."""

from __future__ import annotations

from dataclasses import dataclass

from junheng.api.documents import pipeline_for
from junheng.corpus import search as search_mod
from junheng.corpus.store import Corpus
from junheng.errors import QueryError
from junheng.pipeline import Pipeline
from junheng.records import Region
from junheng.settings import Settings, load_settings

# ---------------------------------------------------------------- search and compare


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    terms: tuple[str, ...]
    hits: tuple[search_mod.SearchHit, ...]


def _resolve_region_filter(pipeline: Pipeline, name: str) -> list[Region]:
    regions = pipeline.gazetteer.find_region(pipeline.normalizer.text(name))
    if not regions:
        raise QueryError(
            f"unknown region {name!r}; give a province, city or county name such as 新田县"
        )
    return regions


def search(
    query: str,
    *,
    db: str | None = None,
    region: str | None = None,
    strategy: str | None = None,
    limit: int = 20,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
) -> SearchResult:
    """Sentences matching ``query``, segmented the same way as the index."""
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        # queries are cut with the corpus's own lexicon, as its index was
        pipeline = pipeline or pipeline_for(corpus, settings)
        if strategy:
            pipeline.taxonomy.strategy(strategy)
        regions = _resolve_region_filter(pipeline, region) if region else []
        terms = pipeline.segmenter.query_terms(pipeline.normalizer.text(query))
        if not terms:
            raise QueryError(f"the query {query!r} has no searchable words")
        hits = search_mod.search(corpus, terms, regions=regions, strategy=strategy, limit=limit)
    return SearchResult(query, tuple(terms), tuple(hits))
