"""Exports for other tools: coded sentences (CSV/XLSX, NVivo-style), word frequencies, measure
co-occurrence edge lists (Gephi, KH Coder) and per-document plain text (ROST CM, KH Coder)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from junheng.api.documents import pipeline_for
from junheng.api.tables import make_filters
from junheng.corpus import exports
from junheng.corpus.store import Corpus
from junheng.errors import InputError, QueryError
from junheng.reports.tabular import FORMATS, write_rows
from junheng.settings import Settings, load_settings

KINDS = ("sentences", "words", "cooccurrence", "texts")


@dataclass(frozen=True, slots=True)
class ExportResult:
    kind: str
    path: str
    rows: int


def export(
    kind: str,
    out: str | os.PathLike[str],
    *,
    db: str | None = None,
    unit: str = "sentence",
    settings: Settings | None = None,
    **filters: object,
) -> ExportResult:
    """Write one export of the counted corpus to ``out`` (a file, or a folder for ``texts``);
    rows are streamed, so large corpora are not held in memory."""
    if kind not in KINDS:
        raise QueryError(f"unknown export {kind!r}; expected one of: {', '.join(KINDS)}")
    settings = settings or load_settings()
    path = Path(out)
    if kind != "texts" and path.suffix.lower() not in FORMATS:
        raise QueryError(
            f"cannot tell the format of {path.name!r}; name the file .csv, .xlsx, .json or .jsonl"
        )
    with Corpus.open(db or settings.db, readonly=True, timeout=settings.lock_timeout) as corpus:
        pipeline = pipeline_for(corpus, settings)
        flt = make_filters(pipeline, **filters)  # type: ignore[arg-type]
        try:
            if kind == "texts":
                n = exports.document_texts(corpus, flt, path)
            elif kind == "sentences":
                rows = exports.coded_sentences(corpus, flt, threshold=settings.strategy_threshold)
                n = _write_rows(path, rows, exports.SENTENCE_COLUMNS)
            elif kind == "words":
                table = exports.word_frequencies(corpus, flt, pipeline.segmenter.cut)
                n = _write_rows(
                    path,
                    ({"word": w, "count": c, "documents": d} for w, c, d in table),
                    ("word", "count", "documents"),
                )
            else:
                edges = exports.cooccurrences(corpus, flt, unit=unit)
                n = _write_rows(
                    path,
                    (
                        {"Source": a, "Target": b, "Weight": w, "Type": "Undirected"}
                        for a, b, w in edges
                    ),
                    ("Source", "Target", "Weight", "Type"),
                )
        except OSError as exc:
            raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    return ExportResult(kind, str(path), n)


def _write_rows(path: Path, rows: object, columns: tuple[str, ...]) -> int:
    return write_rows(path, columns, rows)  # type: ignore[arg-type]


__all__ = ["KINDS", "ExportResult", "export"]
