"""Region × strategy comparison tables and measure rankings from the stored corpus."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from junheng.corpus.store import COUNTED, Corpus
from junheng.errors import QueryError, invalid_value_msg

Level = Literal["county", "city", "province"]
LEVELS: tuple[Level, ...] = ("county", "city", "province")


@dataclass(frozen=True, slots=True)
class Cell:
    sentences: int
    measures: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """One region: its label, the level it is reported at, and a cell per strategy."""

    label: str
    province: str
    city: str
    county: str
    level: str
    documents: int
    cells: dict[str, Cell]

    @property
    def total(self) -> int:
        return sum(c.sentences for c in self.cells.values())


@dataclass(frozen=True, slots=True)
class Comparison:
    by: Level
    strategies: tuple[str, ...]
    rows: tuple[Row, ...]
    unattributed: int
    threshold: float
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class MeasureCount:
    canonical: str
    category: str | None
    mentions: int
    documents: int
    regions: int


def _row_key(by: Level, province: str, city: str, county: str) -> tuple[str, str, str, str, str]:
    """(label, province, city, county, level) of the row a region falls into at level ``by``."""
    if by == "province":
        return province, province, "", "", "province"
    if by == "city":
        if city:
            return city, province, city, "", "city"
        if county:  # county-level units directly under the province (济源市, 仙桃市)
            return county, province, "", county, "county"
        return province, province, "", "", "province"
    if county:
        return county, province, city, county, "county"
    if city:
        return city, province, city, "", "city"
    return province, province, "", "", "province"


def compare(
    corpus: Corpus, strategies: Sequence[str], *, by: Level = "county", threshold: float = 0.5
) -> Comparison:
    """Rows are regions at level ``by``; cells count non-boilerplate sentences carrying each
    strategy (score ≥ ``threshold``) and list the distinct measures of that strategy in them."""
    if by not in LEVELS:
        raise QueryError(invalid_value_msg("level", by, LEVELS))
    rows = corpus.query(
        f"""
        select s.id as sid, s.document_id as did, ss.strategy, r.province, r.city, r.county
        from sentence_strategies ss
        join sentences s on s.id = ss.sentence_id
        join documents d on d.id = s.document_id
        left join regions r on r.adcode = s.adcode
        where {COUNTED} and ss.score >= :t
        """,
        {"t": threshold},
    )
    measures = corpus.query(
        f"""
        select m.sentence_id as sid, m.canonical, m.category
        from measures m join sentences s on s.id = m.sentence_id
        join documents d on d.id = s.document_id
        where {COUNTED}
        """
    )
    by_sentence: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for m in measures:
        by_sentence[m["sid"]].append((m["canonical"], m["category"]))
    cell_sents: dict[tuple, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    cell_meas: dict[tuple, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
    docs: dict[tuple, set[int]] = defaultdict(set)
    unattributed: set[int] = set()
    for r in rows:
        if r["province"] is None:
            unattributed.add(r["sid"])
            continue
        key = _row_key(by, r["province"], r["city"] or "", r["county"] or "")
        cell_sents[key][r["strategy"]].add(r["sid"])
        docs[key].add(r["did"])
        for canonical, category in by_sentence.get(r["sid"], ()):
            if category == r["strategy"]:
                cell_meas[key][r["strategy"]][canonical] = None
    out = []
    for key, per in cell_sents.items():
        label, province, city, county, level = key
        cells = {
            sid: Cell(len(per.get(sid, ())), tuple(cell_meas[key].get(sid, {})))
            for sid in strategies
        }
        out.append(Row(label, province, city, county, level, len(docs[key]), cells))
    out.sort(key=lambda r: (-r.total, r.province, r.city, r.county))
    return Comparison(by, tuple(strategies), tuple(out), len(unattributed), threshold)


def top_measures(corpus: Corpus, *, limit: int = 15) -> list[MeasureCount]:
    """The most mentioned measures in non-boilerplate sentences."""
    rows = corpus.query(
        f"""
        select m.canonical, max(m.category) as category, count(*) as mentions,
               count(distinct m.document_id) as documents, count(distinct s.adcode) as regions
        from measures m join sentences s on s.id = m.sentence_id
        join documents d on d.id = s.document_id
        where {COUNTED}
        group by m.canonical
        order by mentions desc, documents desc, m.canonical
        limit :limit
        """,
        {"limit": int(limit)},
    )
    return [
        MeasureCount(r["canonical"], r["category"], r["mentions"], r["documents"], r["regions"])
        for r in rows
    ]
