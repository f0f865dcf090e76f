"""Region × strategy comparison tables, the evidence behind each cell, and measure rankings."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from junheng.corpus import tallies
from junheng.corpus.filters import Filters
from junheng.corpus.quoting import quoted
from junheng.corpus.search import PLACES_JOIN, region_prefix
from junheng.corpus.store import Corpus
from junheng.errors import CorpusError, QueryError, invalid_value_msg
from junheng.records import MUNICIPALITIES, Region

Level = Literal["county", "city", "province"]
LEVELS: tuple[Level, ...] = ("county", "city", "province")


@dataclass(frozen=True, slots=True)
class Cell:
    """Sentences carrying the strategy, their documents, the strategy's distinct measures in them,
    and the share they make up of the region's sentences carrying any strategy (the row's
    ``sentences``: a sentence the measure tagger saw a measure in without naming it counts)."""

    sentences: int
    measures: tuple[str, ...]
    documents: int = 0
    share: float = 0.0


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
    adcode: str = ""
    measure_sentences: int = 0  # the region's counted sentences that name a measure
    sentences: int = 0  # distinct sentences carrying any of the table's strategies

    @property
    def total(self) -> int:
        """Distinct sentences of the row (a sentence with two strategies counts once)."""
        return self.sentences


@dataclass(frozen=True, slots=True)
class Comparison:
    by: Level
    strategies: tuple[str, ...]
    rows: tuple[Row, ...]
    unattributed: int
    threshold: float
    notes: tuple[str, ...] = field(default=())
    filters: Filters = field(default_factory=Filters)
    # the labellers whose strategy labels the table counts (lexicon.v1 rules, strategy.v1@…)
    labelled_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MeasureCount:
    canonical: str
    category: str | None
    mentions: int
    documents: int
    regions: int


@dataclass(frozen=True, slots=True)
class Evidence:
    """One sentence behind a table cell, with its document and the measures it names."""

    sentence_id: int
    text: str
    title: str | None
    published: str | None
    url: str | None
    location: str | None
    region: str | None
    strategy: str
    score: float
    measures: tuple[tuple[str, int, int], ...]  # (canonical, start, end) within ``text``

    def highlighted(self, open_mark: str = "【", close_mark: str = "】") -> str:
        out = []
        pos = 0
        for _, a, b in sorted(self.measures, key=lambda m: m[1]):
            if a < pos:
                continue
            out.append(self.text[pos:a])
            out.append(open_mark + self.text[a:b] + close_mark)
            pos = b
        out.append(self.text[pos:])
        return "".join(out)


def _row_key(
    by: Level, province: str, city: str, county: str, adcode: str
) -> tuple[str, str, str, str, str, str]:
    """(label, province, city, county, level, adcode) of the row a region falls into at ``by``."""
    if by == "province":
        return province, province, "", "", "province", adcode[:2] + "0000"
    if by == "city":
        if city:
            code = adcode[:2] + "0100" if adcode[:2] in MUNICIPALITIES else adcode[:4] + "00"
            return city, province, city, "", "city", code
        if county:  # county-level units directly under the province (济源市, 仙桃市)
            return county, province, "", county, "county", adcode
        return province, province, "", "", "province", adcode[:2] + "0000"
    if county:
        return county, province, city, county, "county", adcode
    if city:
        return city, province, city, "", "city", adcode
    return province, province, "", "", "province", adcode


def row_clause(region: Region, by: Level, params: dict[str, object]) -> str:
    """SQL selecting the sentences that make up ``region``'s row in a table ``by`` level: with
    ``county`` rows a city row holds only city-level sentences (成都市（市级）)."""
    if by == "county" or region.level == "county":
        params["row_code"] = region.adcode
        return "sr.adcode = :row_code"
    if by == "city":
        prefix = region.adcode[:2] if region.adcode[:2] in MUNICIPALITIES else region.adcode[:4]
    else:
        prefix = region.adcode[:2]
    params["row_prefix"] = prefix + "*"
    return "sr.adcode glob :row_prefix"


def compare(
    corpus: Corpus,
    strategies: Sequence[str],
    *,
    by: Level = "county",
    threshold: float = 0.5,
    filters: Filters | None = None,
    ambiguous: Callable[[str], bool] | None = None,
    direct: bool = False,
) -> Comparison:
    """Rows are regions at level ``by``; cells count counted sentences carrying each strategy
    (score ≥ ``threshold``) and list the distinct measures of that strategy in them (by
    name). A county whose name is ``ambiguous`` is labelled with its city (西安市长安区).

    County tables at the default threshold, with no years or strategy filter, are read from
    the maintained tallies (``tallies``); the others, or any with ``direct``, are counted from
    the sentences (the same figures)."""
    if by not in LEVELS:
        raise QueryError(invalid_value_msg("level", by, LEVELS))
    filters = filters or Filters()
    columns = tuple(s for s in strategies if not filters.strategies or s in filters.strategies)
    if (
        not direct
        and by == "county"
        and threshold == tallies.THRESHOLD
        and filters.years == (None, None)
        and not filters.strategies
    ):
        return _from_tallies(corpus, columns, filters, ambiguous)
    params: dict[str, object] = {"t": threshold}
    where = f"{filters.where(params)} and {filters.place_where(params)}"
    # one row per sentence and place: a sentence counts once for each of its places
    rows = corpus.query(
        f"""
        select s.text_key as sid, s.document_id as did, ss.strategy, r.province, r.city, r.county,
               sr.adcode
        from sentence_strategies ss
        join sentences s on s.id = ss.sentence_id
        join documents d on d.id = s.document_id
        {PLACES_JOIN}
        where {where} and ss.score >= :t
        """,
        params,
    )
    mparams: dict[str, object] = {}
    measures = corpus.query(
        f"""
        select s.text_key as sid, m.canonical, m.category, sr.adcode, r.province, r.city,
               r.county
        from measures m join sentences s on s.id = m.sentence_id
        join documents d on d.id = s.document_id
        {PLACES_JOIN}
        where {filters.where(mparams)} and {filters.place_where(mparams)}
        """,
        mparams,
    )
    # a sentence is counted once per cell however often its text recurs (captions repeated
    # under every photo, a paragraph printed twice): ``sid`` is the sentence's text
    by_sentence: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    measure_sents: dict[tuple, set[str]] = defaultdict(set)
    for m in measures:
        if (m["canonical"], m["category"]) not in by_sentence[m["sid"]]:
            by_sentence[m["sid"]].append((m["canonical"], m["category"]))
        if m["province"] is not None:
            key = _row_key(by, m["province"], m["city"] or "", m["county"] or "", m["adcode"])
            measure_sents[key].add(m["sid"])
    cell_sents: dict[tuple, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    cell_docs: dict[tuple, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    cell_meas: dict[tuple, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
    docs: dict[tuple, set[int]] = defaultdict(set)
    unattributed: set[str] = set()
    for r in rows:
        if r["strategy"] not in columns:
            continue
        if r["province"] is None:
            unattributed.add(r["sid"])
            continue
        key = _row_key(by, r["province"], r["city"] or "", r["county"] or "", r["adcode"])
        cell_sents[key][r["strategy"]].add(r["sid"])
        cell_docs[key][r["strategy"]].add(r["did"])
        docs[key].add(r["did"])
        for canonical, category in by_sentence.get(r["sid"], ()):
            if category == r["strategy"]:
                cell_meas[key][r["strategy"]][canonical] = None
    out = []
    for key, per in cell_sents.items():
        if len(docs[key]) < filters.min_docs:
            continue
        label, province, city, county, level, adcode = key
        if level == "county" and ambiguous is not None and ambiguous(county):
            label = (city or province) + county
        coded = len(set().union(*per.values()))
        cells = {
            sid: Cell(
                len(per.get(sid, ())),
                tuple(sorted(cell_meas[key].get(sid, {}))),
                len(cell_docs[key].get(sid, ())),
                round(len(per.get(sid, ())) / (coded or 1), 4),
            )
            for sid in columns
        }
        out.append(
            Row(
                label,
                province,
                city,
                county,
                level,
                len(docs[key]),
                cells,
                adcode,
                len(measure_sents.get(key, ())),
                coded,
            )
        )
    out.sort(key=lambda r: (-r.total, r.province, r.city, r.county))
    notes = ()
    if not out:
        notes = (f"no sentences match ({filters.describe()})",)
    lparams: dict[str, object] = {"t": threshold}
    labelled_by = tuple(
        r["method"]
        for r in corpus.query(
            f"""
            select ss.method, count(*) as n from sentence_strategies ss
            join sentences s on s.id = ss.sentence_id join documents d on d.id = s.document_id
            where {filters.where(lparams)} and ss.score >= :t
            group by ss.method order by n desc
            """,
            lparams,
        )
    )
    return Comparison(
        by, columns, tuple(out), len(unattributed), threshold, notes, filters, labelled_by
    )


_EMPTY = Cell(0, (), 0, 0.0)


def _from_tallies(
    corpus: Corpus,
    columns: tuple[str, ...],
    filters: Filters,
    ambiguous: Callable[[str], bool] | None,
) -> Comparison:
    """``compare(by="county")`` from the maintained tallies: one summary row per cell."""
    params: dict[str, object] = {}
    where = "1"
    if filters.regions:  # adcode prefixes as GLOB: an index range
        where = "(" + " or ".join(f"adcode glob :place{k}" for k in range(len(filters.regions)))
        where += ")"
        params = {f"place{k}": region_prefix(r) + "*" for k, r in enumerate(filters.regions)}
    conn = corpus.db.conn
    counts: dict[str, dict[tuple[str, str], int]] = {}
    names: dict[str, dict[str, list[str]]] = defaultdict(dict)
    try:  # one row per place, its figures packed by SQLite (hundreds of thousands of tallies)
        for adcode, packed in conn.execute(
            "select adcode, group_concat(strategy || ' ' || kind || ' ' || k, ' ') from csum"
            f" where k > 0 and adcode != '' and {where} group by adcode",
            params,
        ):
            items = packed.split(" ")
            counts[adcode] = dict(
                zip(zip(items[0::3], items[1::3], strict=True), map(int, items[2::3]), strict=True)
            )
        for adcode, strategy, packed in conn.execute(
            "select adcode, strategy, group_concat(value, char(31)) from ctally"
            f" where kind = 'measure' and adcode != '' and {where} group by adcode, strategy",
            params,
        ):
            names[adcode][strategy] = sorted(packed.split("\x1f"))
    except sqlite3.Error as exc:
        raise CorpusError(f"database {corpus.path}: {exc}") from None
    places = {
        r["adcode"]: r for r in corpus.query("select adcode, province, city, county from regions")
    }
    out = []
    for adcode, per in counts.items():
        docs = per.get(("*", "doc"), 0)
        # (no strategy filter here: a row with any text has one in some column)
        if not per.get(("*", "text")) or docs < filters.min_docs:
            continue
        place = places[adcode]
        label, province, city, county, level, code = _row_key(
            "county", place["province"], place["city"] or "", place["county"] or "", adcode
        )
        if level == "county" and ambiguous is not None and ambiguous(county):
            label = (city or province) + county
        measured = per.get(("#m", "text"), 0)
        coded = per.get(("*", "text"), 0)
        cells = {}
        for sid in columns:
            n = per.get((sid, "text"), 0)
            cells[sid] = (
                Cell(
                    n,
                    tuple(names[adcode].get(sid, ())),
                    per.get((sid, "doc"), 0),
                    round(n / (coded or 1), 4),
                )
                if n
                else _EMPTY
            )
        out.append(
            Row(
                label,
                province,
                city,
                county,
                level,
                docs,
                cells,
                code,
                measured,
                coded,
            )
        )
    out.sort(key=lambda r: (-r.total, r.province, r.city, r.county))
    unattributed = 0
    if not filters.regions:
        row = corpus.query(
            "select k from csum where adcode = '' and strategy = '*' and kind = 'text'"
        )
        unattributed = row[0]["k"] if row else 0
    labelled_by = tuple(
        r["value"]
        for r in corpus.query(
            "select value, sum(n) as n from ctally where strategy = '@' and kind = 'method'"
            f" and {where if filters.regions else '1'} group by value order by n desc, value",
            params,
        )
    )
    notes = () if out else (f"no sentences match ({filters.describe()})",)
    return Comparison(
        "county", columns, tuple(out), unattributed, tallies.THRESHOLD, notes, filters, labelled_by
    )


def evidence(
    corpus: Corpus,
    *,
    strategy: str,
    region: Region | None,
    by: Level = "county",
    threshold: float = 0.5,
    filters: Filters | None = None,
    limit: int | None = None,
) -> list[Evidence]:
    """The sentences behind one cell of ``compare`` (same rules, so the counts agree);
    ``region=None`` lists the unattributed ones."""
    filters = filters or Filters()
    params: dict[str, object] = {"t": threshold, "strategy": strategy}
    where = [
        filters.where(params),
        filters.place_where(params),
        "ss.strategy = :strategy",
        "ss.score >= :t",
    ]
    if region is None:
        where.append("sr.adcode is null")
        tables = f"""sentence_strategies ss
        join sentences s on s.id = ss.sentence_id
        join documents d on d.id = s.document_id
        {PLACES_JOIN}"""
    else:  # from the place's sentences (an index range), whatever the planner's statistics
        where.append(row_clause(region, by, params))
        tables = """sentence_regions sr
        cross join sentences s on s.id = sr.sentence_id
        cross join sentence_strategies ss on ss.sentence_id = s.id
        join documents d on d.id = s.document_id
        left join regions r on r.adcode = sr.adcode"""
    sql = f"""
        select s.id, s.text, s.char_start, d.title, d.published, d.url, d.location, d.removed,
               coalesce(nullif(r.county, ''), nullif(r.city, ''), r.province) as place, ss.score
        from {tables}
        where {" and ".join(where)}
        order by d.published desc, s.id
    """
    seen: set[str] = set()
    rows = []
    for r in corpus.iterate(sql, params):  # each distinct sentence once, as the cell counts it
        if r["text"] not in seen:
            seen.add(r["text"])
            rows.append(r)
            if limit and len(rows) >= limit:
                break
    ids = [r["id"] for r in rows]
    spans: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        marks = ",".join("?" for _ in part)
        for m in corpus.query(
            "select m.sentence_id, m.canonical, m.char_start - s.char_start as a,"
            " m.char_end - s.char_start as b from measures m join sentences s"
            f" on s.id = m.sentence_id where m.sentence_id in ({marks})",
            tuple(part),
        ):
            spans[m["sentence_id"]].append((m["canonical"], m["a"], m["b"]))
    out = []
    for r in rows:
        text, marks = quoted(r["text"], r["char_start"], r["removed"], spans.get(r["id"], []))
        out.append(
            Evidence(
                r["id"],
                text,
                r["title"],
                r["published"],
                r["url"],
                r["location"],
                r["place"],
                strategy,
                r["score"],
                marks,
            )
        )
    return out


def top_measures(
    corpus: Corpus, *, limit: int = 15, filters: Filters | None = None
) -> list[MeasureCount]:
    """The most mentioned measures in counted sentences (within ``filters``; restricted to
    the strategies they ask for, when any)."""
    if limit <= 0:
        return []
    params: dict[str, object] = {"limit": int(limit)}
    filters = filters or Filters()
    where = f"{filters.where(params)} and {filters.place_where(params)}"
    if filters.strategies:
        for i, sid in enumerate(filters.strategies):
            params[f"cat{i}"] = sid
        marks = ", ".join(f":cat{i}" for i in range(len(filters.strategies)))
        where += f" and m.category in ({marks})"
    rows = corpus.query(
        f"""
        select m.canonical, max(m.category) as category, count(distinct m.id) as mentions,
               count(distinct m.document_id) as documents, count(distinct sr.adcode) as regions
        from measures m join sentences s on s.id = m.sentence_id
        join documents d on d.id = s.document_id
        {PLACES_JOIN}
        where {where}
        group by m.canonical
        order by mentions desc, documents desc, m.canonical
        limit :limit
        """,
        params,
    )
    return [
        MeasureCount(r["canonical"], r["category"], r["mentions"], r["documents"], r["regions"])
        for r in rows
    ]
