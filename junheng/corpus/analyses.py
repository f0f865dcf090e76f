"""Coding matrices (policy instrument × strategy), trends over time and measure timelines."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Literal

from junheng.corpus.filters import Filters
from junheng.corpus.search import PLACES_JOIN
from junheng.corpus.store import Corpus
from junheng.errors import QueryError, invalid_value_msg

Axis = Literal["instrument", "strategy", "province", "city", "county", "year"]
AXES: tuple[Axis, ...] = ("instrument", "strategy", "province", "city", "county", "year")


@dataclass(frozen=True, slots=True)
class Matrix:
    """Counts of coded sentences for each (row, column) pair, with row and column totals."""

    rows_axis: str
    cols_axis: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    counts: dict[tuple[str, str], int]
    total: int
    notes: tuple[str, ...] = field(default=())

    def row_total(self, row: str) -> int:
        return sum(self.counts.get((row, c), 0) for c in self.cols)

    def col_total(self, col: str) -> int:
        return sum(self.counts.get((r, col), 0) for r in self.rows)

    def share(self, row: str, col: str) -> float:
        """Share of all coded sentences in this cell."""
        return self.counts.get((row, col), 0) / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: str
    sentences: int  # counted sentences with a strategy in the period
    hits: int  # those carrying the strategy / naming the measure asked for
    documents: int

    @property
    def share(self) -> float:
        return self.hits / self.sentences if self.sentences else 0.0


@dataclass(frozen=True, slots=True)
class Trend:
    by: str
    subject: str  # "all strategies", a strategy id, or a measure
    points: tuple[TrendPoint, ...]
    undated: int
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class TimelineRow:
    region: str
    province: str
    first_seen: str | None
    last_seen: str | None
    mentions: int
    documents: int
    first_title: str | None
    first_url: str | None


def _coded_rows(corpus: Corpus, filters: Filters, threshold: float) -> list[dict]:
    """Coded sentences, one row per sentence, strategy and place (a sentence without a place
    has one row with empty place columns)."""
    params: dict[str, object] = {"t": threshold}
    return corpus.query(
        f"""
        select s.id as sid, s.document_id as did, ss.strategy, s.instrument, d.published,
               r.province, r.city, r.county
        from sentence_strategies ss
        join sentences s on s.id = ss.sentence_id
        join documents d on d.id = s.document_id
        {PLACES_JOIN}
        where {filters.where(params)} and {filters.place_where(params)} and ss.score >= :t
        """,
        params,
    )


def _value(row: dict, axis: str) -> str | None:
    if axis == "instrument":
        return row["instrument"] or None
    if axis == "strategy":
        return row["strategy"]
    if axis == "year":
        return (row["published"] or "")[:4] or None
    if axis == "county":
        return row["county"] or row["city"] or row["province"]
    if axis == "city":
        return row["city"] or row["county"] or row["province"]
    return row["province"]


def matrix(
    corpus: Corpus,
    *,
    rows: str = "instrument",
    cols: str = "strategy",
    filters: Filters | None = None,
    threshold: float = 0.5,
    order: dict[str, list[str]] | None = None,
) -> Matrix:
    """A coding matrix: per (row value, column value) pair, the distinct coded sentences (a
    place axis counts a sentence once for each of its places)."""
    for axis in (rows, cols):
        if axis not in AXES:
            raise QueryError(invalid_value_msg("axis", axis, AXES))
    if rows == cols:
        raise QueryError("rows and columns must be different axes")
    filters = filters or Filters()
    cells: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
    for r in _coded_rows(corpus, filters, threshold):
        if filters.strategies and r["strategy"] not in filters.strategies:
            continue
        a, b = _value(r, rows), _value(r, cols)
        if a is None or b is None:
            continue
        cells[(a, b)].add((r["sid"], r["strategy"]))
    counts = Counter({k: len(v) for k, v in cells.items()})
    order = order or {}

    def ordered(axis: str, values: set[str]) -> tuple[str, ...]:
        known = [v for v in order.get(axis, []) if v in values]
        return tuple(known + sorted(values - set(known)))

    row_values = ordered(rows, {a for a, _ in counts})
    col_values = ordered(cols, {b for _, b in counts})
    notes = () if counts else (f"no coded sentences match ({filters.describe()})",)
    return Matrix(rows, cols, row_values, col_values, dict(counts), sum(counts.values()), notes)


def trend(
    corpus: Corpus,
    *,
    by: Literal["year", "month"] = "year",
    strategy: str | None = None,
    measure: str | None = None,
    filters: Filters | None = None,
    threshold: float = 0.5,
) -> Trend:
    """Per period: coded sentences, how many carry ``strategy`` or name ``measure``, and their
    share; without either, every coded sentence counts as a hit."""
    if by not in ("year", "month"):
        raise QueryError(invalid_value_msg("period", by, ("year", "month")))
    filters = filters or Filters()
    width = 4 if by == "year" else 7
    rows = _coded_rows(corpus, filters, threshold)
    with_measure: set[int] = set()
    if measure:
        params: dict[str, object] = {"measure": measure}
        for r in corpus.query(
            f"""
            select distinct m.sentence_id as sid from measures m
            join sentences s on s.id = m.sentence_id join documents d on d.id = s.document_id
            where {filters.where(params)} and (m.canonical = :measure or m.term = :measure)
            """,
            params,
        ):
            with_measure.add(r["sid"])
    sentences: dict[str, set[int]] = defaultdict(set)
    hits: dict[str, set[int]] = defaultdict(set)
    docs: dict[str, set[int]] = defaultdict(set)
    undated: set[int] = set()
    for r in rows:
        if filters.strategies and r["strategy"] not in filters.strategies:
            continue
        period = (r["published"] or "")[:width]
        if len(period) < width:
            undated.add(r["sid"])
            continue
        sentences[period].add(r["sid"])
        hit = (
            (r["sid"] in with_measure)
            if measure
            else (r["strategy"] == strategy if strategy else True)
        )
        if hit:
            hits[period].add(r["sid"])
            docs[period].add(r["did"])
    points = tuple(
        TrendPoint(p, len(sentences[p]), len(hits[p]), len(docs[p])) for p in sorted(sentences)
    )
    subject = measure or strategy or "all strategies"
    notes: tuple[str, ...] = ()
    if not points:
        notes = (f"no dated coded sentences match ({filters.describe()})",)
    elif measure and not with_measure:
        notes = (f"no stored sentence names the measure {measure!r}; see `junheng measures`",)
    return Trend(by, subject, points, len(undated), notes)


def timeline(corpus: Corpus, measure: str, *, filters: Filters | None = None) -> list[TimelineRow]:
    """Which places report ``measure`` (canonical form or as written) and when they first did."""
    filters = filters or Filters()
    params: dict[str, object] = {"measure": measure}
    rows = corpus.query(
        f"""
        select coalesce(nullif(r.county, ''), nullif(r.city, ''), r.province) as place,
               r.province, d.published, d.title, d.url, m.document_id
        from measures m
        join sentences s on s.id = m.sentence_id
        join documents d on d.id = s.document_id
        join sentence_regions sr on sr.sentence_id = s.id
        join regions r on r.adcode = sr.adcode
        where {filters.where(params)} and {filters.place_where(params)}
          and (m.canonical = :measure or m.term = :measure)
        order by d.published is null, d.published
        """,
        params,
    )
    agg: dict[str, dict] = {}
    for r in rows:
        a = agg.setdefault(
            r["place"],
            {"province": r["province"], "dates": [], "mentions": 0, "docs": set(), "first": None},
        )
        a["mentions"] += 1
        a["docs"].add(r["document_id"])
        if r["published"]:
            a["dates"].append(r["published"])
            if a["first"] is None:
                a["first"] = (r["title"], r["url"])
    out = [
        TimelineRow(
            place,
            a["province"],
            min(a["dates"]) if a["dates"] else None,
            max(a["dates"]) if a["dates"] else None,
            a["mentions"],
            len(a["docs"]),
            (a["first"] or (None, None))[0],
            (a["first"] or (None, None))[1],
        )
        for place, a in agg.items()
    ]
    out.sort(key=lambda t: (t.first_seen is None, t.first_seen or "", t.region))
    return out
