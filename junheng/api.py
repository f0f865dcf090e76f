"""Public library functions; each CLI command calls exactly one of them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from junheng.corpus import compare as compare_mod
from junheng.corpus import search as search_mod
from junheng.corpus.store import Corpus
from junheng.crawler.files import Loaded, load
from junheng.errors import CorpusError, QueryError
from junheng.pipeline import Pipeline, content_hash
from junheng.records import AnalysedDocument, Region
from junheng.settings import Settings, load_settings

Progress = Callable[[str], None]
DEMO_DB = "junheng-demo.db"
DEMO_MARK = "demo"


# ---------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class IngestItem:
    location: str
    status: str  # added | unchanged | failed
    reason: str | None = None
    document_id: int | None = None
    sentences: int = 0
    measures: int = 0
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class IngestReport:
    db: str
    items: list[IngestItem] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for i in self.items if i.status == status)

    @property
    def sentences(self) -> int:
        return sum(i.sentences for i in self.items)

    @property
    def measures(self) -> int:
        return sum(i.measures for i in self.items)

    @property
    def failed(self) -> list[IngestItem]:
        return [i for i in self.items if i.status == "failed"]


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    *,
    db: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    stdin: bytes | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Read, analyse and store every input; content already stored is skipped.

    Per-input failures are reported in the result; corpus errors (corrupt or locked database)
    raise before anything is written.
    """
    settings = settings or load_settings()
    path = db or settings.db
    pipeline = pipeline or Pipeline(settings)
    report = IngestReport(path)
    with Corpus.open(path, timeout=settings.lock_timeout) as corpus:
        pending: list[Loaded] = []

        def flush() -> None:
            docs = [p.document for p in pending if p.document is not None]
            for loaded, analysed in zip(pending, pipeline.analyse_many(docs), strict=True):
                result = corpus.add(
                    analysed,
                    analysed_with=pipeline.fingerprint,
                    index_terms=pipeline.segmenter.index_terms,
                )
                report.items.append(
                    IngestItem(
                        loaded.location,
                        result.status,
                        None,
                        result.document_id,
                        result.sentences,
                        result.measures,
                        loaded.document.notes if loaded.document else (),
                    )
                )
                if progress:
                    progress(loaded.location)
            pending.clear()

        seen: set[str] = set()
        for loaded in load(paths, stdin=stdin):
            if loaded.document is None:
                report.items.append(IngestItem(loaded.location, "failed", loaded.error))
                if progress:
                    progress(loaded.location)
                continue
            digest = content_hash(loaded.document.text)
            existing = corpus.has_content(digest)
            if existing is not None or digest in seen:
                report.items.append(IngestItem(loaded.location, "unchanged", None, existing))
                if progress:
                    progress(loaded.location)
                continue
            seen.add(digest)
            pending.append(loaded)
            if len(pending) >= settings.batch_size:
                flush()
        if pending:
            flush()
        corpus.set_meta("pipeline", pipeline.fingerprint)
    return report


# ---------------------------------------------------------------- extract (no database)


@dataclass(frozen=True, slots=True)
class ExtractFailure:
    location: str
    reason: str


def extract(
    paths: Iterable[str | os.PathLike[str]],
    *,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    stdin: bytes | None = None,
) -> Iterator[dict[str, Any] | ExtractFailure]:
    """Analyse inputs without a database: one contract dict (see README) or failure per input."""
    pipeline = pipeline or Pipeline(settings or load_settings())
    batch: list[Loaded] = []

    def run() -> Iterator[dict[str, Any]]:
        docs = [b.document for b in batch if b.document is not None]
        for loaded, analysed in zip(batch, pipeline.analyse_many(docs), strict=True):
            yield document_json(analysed, loaded.location)
        batch.clear()

    for loaded in load(paths, stdin=stdin):
        if loaded.document is None:
            yield from run()
            yield ExtractFailure(loaded.location, loaded.error or "unreadable")
            continue
        batch.append(loaded)
        if len(batch) >= pipeline.settings.batch_size:
            yield from run()
    yield from run()


def _region_json(region: Region | None) -> dict[str, str] | None:
    return region.as_dict() if region is not None else None


def document_json(doc: AnalysedDocument, location: str | None = None) -> dict[str, Any]:
    """The stable ``extract --json`` contract for one analysed document."""
    src = doc.source
    sentences = []
    for s in doc.sentences:
        sentences.append(
            {
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "boilerplate": s.boilerplate,
                "boilerplate_reason": s.boilerplate_reason,
                "region": _region_json(s.region),
                "region_confidence": round(s.region_confidence, 3),
                "strategies": [{"id": st.id, "score": st.score} for st in s.strategies],
                "measures": [m.as_dict() for m in s.measures],
                "instrument": s.instrument,
            }
        )
    return {
        "input": location or src.location,
        "title": src.title,
        "published": src.published,
        "source": src.source,
        "author": src.author,
        "url": src.url,
        "text": src.text,
        "content_hash": doc.content_hash,
        "regions": [r.as_dict() for r in doc.regions],
        "strategies": [{"id": s.id, "score": s.score} for s in doc.strategies],
        "measures": [m.as_dict() for m in doc.measures],
        "removed": [r.as_dict() for r in doc.removed],
        "sentences": sentences,
    }


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
    pipeline = pipeline or Pipeline(settings)
    if strategy:
        pipeline.taxonomy.strategy(strategy)
    regions = _resolve_region_filter(pipeline, region) if region else []
    terms = pipeline.segmenter.query_terms(pipeline.normalizer.text(query))
    if not terms:
        raise QueryError(f"the query {query!r} has no searchable words")
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        hits = search_mod.search(corpus, terms, regions=regions, strategy=strategy, limit=limit)
    return SearchResult(query, tuple(terms), tuple(hits))


def compare(
    *,
    by: compare_mod.Level = "county",
    db: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
) -> compare_mod.Comparison:
    """The region × strategy table of the corpus."""
    settings = settings or load_settings()
    pipeline = pipeline or Pipeline(settings)
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        return compare_mod.compare(
            corpus, pipeline.taxonomy.strategy_ids, by=by, threshold=settings.strategy_threshold
        )


def top_measures(
    *, db: str | None = None, limit: int = 15, settings: Settings | None = None
) -> list[compare_mod.MeasureCount]:
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        return compare_mod.top_measures(corpus, limit=limit)


# ---------------------------------------------------------------- demo


@dataclass(frozen=True, slots=True)
class DemoResult:
    db: str
    ingest: IngestReport
    comparison: compare_mod.Comparison
    measures: list[compare_mod.MeasureCount]


def sample_paths() -> list[Path]:
    """The bundled sample reports (five real pages, noise included)."""
    folder = resources.files("junheng").joinpath("data/sample")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def demo(
    *, db: str | None = None, settings: Settings | None = None, progress: Progress | None = None
) -> DemoResult:
    """Build a fresh demo database from the bundled sample and compare its counties."""
    settings = settings or load_settings()
    path = db or DEMO_DB
    _clear_demo_db(path)
    pipeline = Pipeline(settings)
    report = ingest(
        sample_paths(), db=path, settings=settings, pipeline=pipeline, progress=progress
    )
    with Corpus.open(path, timeout=settings.lock_timeout) as corpus:
        corpus.set_meta(DEMO_MARK, "1")
    comparison = compare(by="county", db=path, settings=settings, pipeline=pipeline)
    return DemoResult(path, report, comparison, top_measures(db=path, settings=settings))


def _clear_demo_db(path: str) -> None:
    """Remove an earlier demo database; refuse to touch any other file."""
    p = Path(path)
    if not p.exists():
        return
    try:
        with Corpus.open(p, create=False) as corpus:
            is_demo = corpus.get_meta(DEMO_MARK) == "1"
    except CorpusError:
        is_demo = False
    if not is_demo:
        raise CorpusError(
            f"{path} exists and is not a junheng demo database; choose another --db for the demo"
        )
    for suffix in ("", "-wal", "-shm"):
        Path(str(p) + suffix).unlink(missing_ok=True)
