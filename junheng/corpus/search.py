"""Full-text search over the segmented sentence index, with filters and highlighting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from junheng.corpus.store import COUNTED, Corpus
from junheng.errors import QueryError
from junheng.records import MUNICIPALITIES, Region


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A matching sentence with its document and where the query terms occur in it."""

    sentence_id: int
    document_id: int
    text: str
    title: str | None
    published: str | None
    location: str | None
    url: str | None
    region: Region | None
    strategies: tuple[str, ...]
    measures: tuple[str, ...]
    matches: tuple[tuple[int, int], ...]
    rank: float

    def highlighted(self, open_mark: str = "【", close_mark: str = "】") -> str:
        out = []
        pos = 0
        for a, b in self.matches:
            out.append(self.text[pos:a])
            out.append(open_mark + self.text[a:b] + close_mark)
            pos = b
        out.append(self.text[pos:])
        return "".join(out)


def fts_query(terms: Sequence[str]) -> str:
    """An FTS5 query that ANDs the terms, each quoted so that no query syntax gets through."""
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def match_spans(text: str, terms: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Non-overlapping spans of ``text`` where any term occurs (longest terms first)."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for term in sorted(set(terms), key=len, reverse=True):
        start = lowered.find(term)
        while start >= 0:
            end = start + len(term)
            if all(end <= a or start >= b for a, b in spans):
                spans.append((start, end))
            start = lowered.find(term, end)
    return tuple(sorted(spans))


def region_clause(
    regions: Sequence[Region], column: str = "s.adcode"
) -> tuple[str, dict[str, str]]:
    """SQL restricting ``column`` to the given regions and everything inside them."""
    parts = []
    params: dict[str, str] = {}
    for k, r in enumerate(regions):
        if r.level == "county":
            prefix = r.adcode
        elif r.level == "city":
            prefix = r.adcode[:2] if r.adcode[:2] in MUNICIPALITIES else r.adcode[:4]
        else:
            prefix = r.adcode[:2]
        parts.append(f"{column} like :region{k}")
        params[f"region{k}"] = prefix + "%"
    return "(" + " or ".join(parts) + ")", params


def search(
    corpus: Corpus,
    terms: Sequence[str],
    *,
    regions: Sequence[Region] = (),
    strategy: str | None = None,
    limit: int = 20,
    include_boilerplate: bool = False,
) -> list[SearchHit]:
    """Sentences matching all ``terms`` (already segmented like the index), best first."""
    if not terms:
        raise QueryError("the query has no searchable words")
    where = ["sentences_fts match :q"]
    params: dict[str, object] = {"q": fts_query(terms), "limit": int(limit)}
    if not include_boilerplate:
        where.append(COUNTED)
    if regions:
        clause, extra = region_clause(regions)
        where.append(clause)
        params.update(extra)
    if strategy:
        where.append(
            "exists (select 1 from sentence_strategies ss where ss.sentence_id = s.id"
            " and ss.strategy = :strategy and ss.score >= 0.5)"
        )
        params["strategy"] = strategy
    sql = f"""
        select s.id, s.document_id, s.text, d.title, d.published, d.location, d.url,
               r.adcode, r.province, r.city, r.county, bm25(sentences_fts) as rank,
               (select group_concat(strategy, ' ') from sentence_strategies ss
                 where ss.sentence_id = s.id and ss.score >= 0.5) as strategies,
               (select group_concat(canonical, '|') from measures m
                 where m.sentence_id = s.id) as measures
        from sentences_fts
        join sentences s on s.rowid = sentences_fts.rowid
        join documents d on d.id = s.document_id
        left join regions r on r.adcode = s.adcode
        where {" and ".join(where)}
        order by rank, d.published desc
        limit :limit
    """
    rows = corpus.query(sql, params)
    hits = []
    for row in rows:
        region = (
            Region(row["province"], row["city"] or "", row["county"] or "", row["adcode"])
            if row["adcode"]
            else None
        )
        hits.append(
            SearchHit(
                sentence_id=row["id"],
                document_id=row["document_id"],
                text=row["text"],
                title=row["title"],
                published=row["published"],
                location=row["location"],
                url=row["url"],
                region=region,
                strategies=tuple((row["strategies"] or "").split()),
                measures=tuple(dict.fromkeys(m for m in (row["measures"] or "").split("|") if m)),
                matches=match_spans(row["text"], terms),
                rank=float(row["rank"]),
            )
        )
    return hits
