"""Getting documents in: ingest, extract (no database) and re-analysis of the stored corpus."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from junheng import workers as workers_mod
from junheng.corpus.store import Corpus
from junheng.pipeline import Pipeline, content_hash
from junheng.records import AnalysedDocument, Region, SourceDocument
from junheng.settings import Settings, load_settings
from junheng.workers import Workers

if TYPE_CHECKING:
    from junheng.crawler.files import Loaded

Progress = Callable[[str], None]


def pipeline_for(corpus: Corpus, settings: Settings, *, models: Any = None) -> Pipeline:
    """A pipeline whose lexicon includes the terms added to this corpus, with the corpus's own
    trained models (``junheng train``) when it has some, else the default ones (``models``:
    as for ``Pipeline``; ``False`` for the rules alone)."""
    from junheng.nlp.lexicon import load_lexicon

    extra = corpus.user_lexicon()
    lexicon = None
    if extra:
        lexicon = load_lexicon()
        for entry in extra:
            lexicon.add(entry)
    pipeline = Pipeline(settings, lexicon=lexicon, models=models)
    if models is None and settings.classifier != "lexicon.v1":
        pipeline.use_models(_corpus_models(corpus, pipeline, settings))
    return pipeline


def _corpus_models(corpus: Corpus, pipeline: Pipeline, settings: Settings) -> Any:
    """The corpus's active trained bundle, loaded for ``pipeline`` (None: there is none)."""
    from pathlib import Path

    from junheng.models.bundle import default_embed, load_bundle, read_info

    rows = corpus.query(
        "select path from models where kind = 'classifier' and active = 1 order by id desc limit 1"
    )
    info = read_info(Path(rows[0]["path"])) if rows else None
    if info is None:
        return None
    return load_bundle(
        Path(rows[0]["path"]),
        taxonomy=pipeline.taxonomy,
        lexicon=pipeline.lexicon,
        tokenize=pipeline.segmenter.cut,
        embed=default_embed(settings, info["embedder"]) if info.get("embedder") else None,
    )


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
    jobs: int | None = None,
) -> IngestReport:
    """Read, analyse and store every input; content already stored is skipped.

    ``jobs`` worker processes analyse (default: all cores) while this process stores each
    document in input order: the corpus is the same as with one job. Per-input failures are
    reported in the result; corpus errors (corrupt or locked database) raise before anything
    is written.
    """
    settings = settings or load_settings()
    path = db or settings.db
    report = IngestReport(path)
    with Corpus.open(path, timeout=settings.lock_timeout) as corpus:
        pipeline = pipeline or pipeline_for(corpus, settings)
        from junheng.crawler.files import load

        queue: deque[tuple[Loaded, IngestItem | None]] = deque()
        seen: set[str] = set()

        def documents() -> Iterator[SourceDocument | None]:
            """The inputs to analyse, ``None`` for those settled without analysis."""
            for loaded in load(paths, stdin=stdin):
                if loaded.document is None:
                    queue.append((loaded, IngestItem(loaded.location, "failed", loaded.error)))
                    yield None
                    continue
                digest = content_hash(loaded.document.text)
                existing = corpus.has_content(digest)
                if existing is not None or digest in seen:
                    queue.append((loaded, IngestItem(loaded.location, "unchanged", None, existing)))
                    yield None
                    continue
                seen.add(digest)
                queue.append((loaded, None))
                yield loaded.document

        with Workers(pipeline, jobs) as workers:
            for analysed in workers.map(documents()):
                loaded, settled = queue.popleft()
                if settled is None and isinstance(analysed, AnalysedDocument):
                    result = corpus.add(
                        analysed,
                        analysed_with=pipeline.fingerprint,
                        index_terms=pipeline.segmenter.index_terms,
                    )
                    settled = IngestItem(
                        loaded.location,
                        result.status,
                        None,
                        result.document_id,
                        result.sentences,
                        result.measures,
                        loaded.document.notes if loaded.document else (),
                    )
                elif settled is None:
                    settled = IngestItem(loaded.location, "failed", str(analysed))
                report.items.append(settled)
                if progress:
                    progress(loaded.location)
        corpus.set_meta("pipeline", pipeline.fingerprint)
        if report.count("added"):
            refresh_vectors(corpus, settings, pipeline)
    return report


def refresh_vectors(corpus: Corpus, settings: Settings, pipeline: Pipeline) -> None:
    """Extend the vector index semantic search built (the embedder loads only when there is
    one)."""
    from junheng.corpus import vector_index

    if vector_index.any_index(corpus.path):
        from junheng.api.embeddings import refresh_vectors as refresh

        refresh(corpus, settings, pipeline)


def analyse_each(
    pipeline: Pipeline, items: list[Loaded]
) -> Iterator[tuple[Loaded, AnalysedDocument | str]]:
    """Analyse a batch; when it fails, each document alone, so that one document the pipeline
    cannot handle is reported (as a reason) and the others are still analysed."""
    results = workers_mod.analyse_each(pipeline, [i.document for i in items])
    for item, result in zip(items, results, strict=True):
        assert result is not None
        yield item, result


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
    from junheng.crawler.files import load

    batch: list[Loaded] = []

    def run() -> Iterator[dict[str, Any] | ExtractFailure]:
        for loaded, analysed in analyse_each(pipeline, batch):
            if isinstance(analysed, str):
                yield ExtractFailure(loaded.location, analysed)
            else:
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
                "regions": [a.as_dict() for a in s.regions],
                "strategies": [st.as_dict() for st in s.strategies],
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
        "strategies": [s.as_dict() for s in doc.strategies],
        "measures": [m.as_dict() for m in doc.measures],
        "removed": [r.as_dict() for r in doc.removed],
        "sentences": sentences,
    }


# ---------------------------------------------------------------- upgrade


def upgrade(*, db: str | None = None, settings: Settings | None = None) -> list[str]:
    """Bring a corpus made by an older junheng to the current schema; returns the migrations
    applied (none when it was current). Read-only commands never do this themselves."""
    settings = settings or load_settings()
    path = db or settings.db
    with Corpus.open(path, create=False, timeout=settings.lock_timeout) as corpus:
        applied = list(corpus.migrated)
        if applied:
            corpus.vacuum()  # give back the space migrations freed (text stored once …)
        return applied


# ---------------------------------------------------------------- re-analysis


@dataclass(frozen=True, slots=True)
class ReanalyseReport:
    db: str
    documents: int
    sentences: int
    measures: int
    analysed_with: str
    failed: tuple[str, ...] = ()  # documents the pipeline failed on (their analysis stays)


def reanalyse(
    *,
    db: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> ReanalyseReport:
    """Run the current pipeline (and the corpus's added lexicon terms) over every stored
    document again; documents stay, their analysis is replaced one document at a time
    (``jobs`` worker processes analyse, default: all cores; documents are read in chunks)."""
    settings = settings or load_settings()
    path = db or settings.db
    with Corpus.open(path, create=False, timeout=settings.lock_timeout) as corpus:
        pipeline = pipeline or pipeline_for(corpus, settings)
        ids = corpus.document_ids()
        order: deque[tuple[int, SourceDocument]] = deque()

        def documents() -> Iterator[SourceDocument]:
            for k in range(0, len(ids), 200):
                for doc_id, source in corpus.iter_documents(ids[k : k + 200]):
                    order.append((doc_id, source))
                    yield source

        n_docs = n_sent = n_meas = 0
        failed: list[str] = []
        with Workers(pipeline, jobs) as workers:
            for result in workers.map(documents()):
                doc_id, source = order.popleft()
                if not isinstance(result, AnalysedDocument):
                    failed.append(f"{source.location}: {result}")  # its analysis stays
                    continue
                n_meas += corpus.replace_analysis(
                    doc_id,
                    result,
                    analysed_with=pipeline.fingerprint,
                    index_terms=pipeline.segmenter.index_terms,
                )
                n_docs += 1
                n_sent += len(result.sentences)
                if progress:
                    progress(source.location)
        corpus.set_meta("pipeline", pipeline.fingerprint)
        refresh_vectors(corpus, settings, pipeline)
    return ReanalyseReport(path, n_docs, n_sent, n_meas, pipeline.fingerprint, tuple(failed))
