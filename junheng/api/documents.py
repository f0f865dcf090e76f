"""Getting documents in: ingest, extract (no database) and re-analysis of the stored corpus."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from junheng.corpus.store import Corpus
from junheng.crawler.files import Loaded, load
from junheng.pipeline import Pipeline, content_hash
from junheng.records import AnalysedDocument, Region
from junheng.settings import Settings, load_settings

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
) -> IngestReport:
    """Read, analyse and store every input; content already stored is skipped.

    Per-input failures are reported in the result; corpus errors (corrupt or locked database)
    raise before anything is written.
    """
    settings = settings or load_settings()
    path = db or settings.db
    report = IngestReport(path)
    with Corpus.open(path, timeout=settings.lock_timeout) as corpus:
        pipeline = pipeline or pipeline_for(corpus, settings)
        pending: list[Loaded] = []

        def flush() -> None:
            for loaded, analysed in analyse_each(pipeline, pending):
                if isinstance(analysed, str):
                    report.items.append(IngestItem(loaded.location, "failed", analysed))
                    if progress:
                        progress(loaded.location)
                    continue
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


def analyse_each(
    pipeline: Pipeline, items: list[Loaded]
) -> Iterator[tuple[Loaded, AnalysedDocument | str]]:
    """Analyse a batch; when it fails, each document alone, so that one document the pipeline
    cannot handle is reported (as a reason) and the others are still analysed."""
    docs = [i.document for i in items if i.document is not None]
    try:
        results = list(pipeline.analyse_many(docs))
    except Exception:
        results = None
    if results is not None:
        yield from zip(items, results, strict=True)
        return
    for item in items:
        assert item.document is not None
        try:
            yield item, pipeline.analyse(item.document)
        except Exception as exc:
            yield item, f"analysis failed ({type(exc).__name__}: {str(exc)[:200]})"


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
        return list(corpus.migrated)


# ---------------------------------------------------------------- re-analysis


@dataclass(frozen=True, slots=True)
class ReanalyseReport:
    db: str
    documents: int
    sentences: int
    measures: int
    analysed_with: str


def reanalyse(
    *,
    db: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    progress: Progress | None = None,
) -> ReanalyseReport:
    """Run the current pipeline (and the corpus's added lexicon terms) over every stored
    document again; documents stay, their analysis is replaced one document at a time."""
    settings = settings or load_settings()
    path = db or settings.db
    with Corpus.open(path, create=False, timeout=settings.lock_timeout) as corpus:
        pipeline = pipeline or pipeline_for(corpus, settings)
        stored = list(corpus.iter_documents())
        n_sent = n_meas = 0
        analysed = pipeline.analyse_many(doc for _, doc in stored)
        for (doc_id, source), result in zip(stored, analysed, strict=True):
            n_meas += corpus.replace_analysis(
                doc_id,
                result,
                analysed_with=pipeline.fingerprint,
                index_terms=pipeline.segmenter.index_terms,
            )
            n_sent += len(result.sentences)
            if progress:
                progress(source.location)
        corpus.set_meta("pipeline", pipeline.fingerprint)
    return ReanalyseReport(path, len(stored), n_sent, n_meas, pipeline.fingerprint)
