"""Full-text search over the segmented sentence index, with filters and highlighting."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from junheng.corpus.quoting import quoted
from junheng.corpus.schema import PLACE_TOKEN
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


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_query(
    terms: Sequence[str],
    pieces: Mapping[str, Sequence[Sequence[str]]] | None = None,
    regions: Sequence[Region] = (),
) -> str:
    """An FTS5 query that ANDs the terms, each quoted so that no query syntax gets through; a
    term with ``pieces`` also matches where all the words of one of its splits occur. With
    ``regions``, only sentences with a place inside one of them match (their place tokens)."""
    out = []
    for t in terms:
        alternatives = [
            " AND ".join(_quoted(w) for w in split) for split in (pieces or {}).get(t, ())
        ]
        if alternatives:
            out.append("(" + " OR ".join([_quoted(t), *(f"({a})" for a in alternatives)]) + ")")
        else:
            out.append(_quoted(t))
    # FTS5 needs an explicit AND after a parenthesised group
    query = "index_text : (" + " AND ".join(out) + ")"
    if regions:
        query += " AND places : (" + " OR ".join(_quoted(place_token(r)) for r in regions) + ")"
    return query


def place_token(region: Region) -> str:
    """The index token of a region filter: the adcode prefix every place inside it shares."""
    return PLACE_TOKEN + region_prefix(region)


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


# A sentence's places (alias sr) with their names (alias r): one row per place, none when the
# sentence has no place; analyses that break results down by place count a sentence once for
# each of its places.
PLACES_JOIN = (
    "left join sentence_regions sr on sr.sentence_id = s.id"
    " left join regions r on r.adcode = sr.adcode"
)


def places_clause(regions: Sequence[Region], key: str = "region") -> tuple[str, dict[str, str]]:
    """SQL keeping sentences ``s`` any of whose places lies in the given regions."""
    clause, params = region_clause(regions, "sq.adcode", key=key)
    return (
        f"exists (select 1 from sentence_regions sq where sq.sentence_id = s.id and {clause})",
        params,
    )


def region_prefix(region: Region) -> str:
    """The adcode prefix of every unit inside ``region``."""
    if region.level == "county":
        return region.adcode
    if region.level == "city":
        code = region.adcode
        return code[:2] if code[:2] in MUNICIPALITIES else code[:4]
    return region.adcode[:2]


def region_clause(
    regions: Sequence[Region], column: str = "s.adcode", *, key: str = "region"
) -> tuple[str, dict[str, str]]:
    """SQL restricting ``column`` to the given regions and everything inside them."""
    parts = []
    params: dict[str, str] = {}
    for k, r in enumerate(regions):
        parts.append(f"{column} like :{key}{k}")
        params[f"{key}{k}"] = region_prefix(r) + "%"
    return "(" + " or ".join(parts) + ")", params


# A search ranks (bm25) at most this many of the newest matching sentences: a common word
# matches a good part of a national corpus, and ranking every match costs seconds.
RANK_POOL = 1000


def search(
    corpus: Corpus,
    terms: Sequence[str],
    *,
    regions: Sequence[Region] = (),
    strategy: str | None = None,
    limit: int = 20,
    include_boilerplate: bool = False,
    pieces: Mapping[str, Sequence[Sequence[str]]] | None = None,
    contains: Callable[[str, str], bool] | None = None,
) -> list[SearchHit]:
    """Sentences matching all ``terms`` (already segmented like the index), best first.

    Order: the matching sentences are taken newest first (most recently stored), at most
    ``RANK_POOL`` of them (or ``limit`` × 25 when more), and ranked by relevance (bm25, then
    publication date): when a term matches fewer sentences than that, every match is ranked.
    The region filter is part of the index query (each sentence's places are indexed).

    A term the text cut across two or three words is found through its ``pieces`` (see
    ``Segmenter.splits``); such candidates are kept only when ``contains(sentence text, term)``
    (the caller normalises the sentence as the index did).
    """
    if not terms:
        raise QueryError("the query has no searchable words")
    pieces = {t: p for t, p in (pieces or {}).items() if p} if contains else {}
    pool = int(limit) * 4 + 20 if pieces else int(limit)
    params: dict[str, object] = {
        "q": fts_query(terms, pieces, regions),
        "pool": max(RANK_POOL, pool * 25),
    }
    where = [] if include_boilerplate else [COUNTED]
    where += _filter_clauses((), strategy, params)
    sql = f"""
        select s.id, s.text, s.index_text, d.published, bm25(sentences_fts) as rank
        from sentences_fts
        join sentences s on s.id = sentences_fts.rowid
        join documents d on d.id = s.document_id
        where sentences_fts match :q {"".join(" and " + w for w in where)}
        order by sentences_fts.rowid desc
        limit :pool
    """
    rows = corpus.query(sql, params)
    rows.sort(key=lambda r: r["published"] or "", reverse=True)  # undated last
    rows.sort(key=lambda r: r["rank"])  # stable: equal ranks stay newest first
    ranked: dict[int, float] = {}
    for row in rows:
        if pieces and contains is not None:
            indexed = set((row["index_text"] or "").split())
            if not all(t in indexed or contains(row["text"], t) for t in pieces):
                continue
        ranked[row["id"]] = -float(row["rank"])
        if len(ranked) >= limit:
            break
    return _hits(corpus, ranked, terms=terms)


def _filter_clauses(
    regions: Sequence[Region], strategy: str | None, params: dict[str, object]
) -> list[str]:
    """SQL conditions on ``s`` for the region and strategy filters of a search."""
    where = []
    if regions:
        clause, extra = places_clause(regions)
        where.append(clause)
        params.update(extra)
    if strategy:
        where.append(
            "exists (select 1 from sentence_strategies ss where ss.sentence_id = s.id"
            " and ss.strategy = :strategy and ss.score >= 0.5)"
        )
        params["strategy"] = strategy
    return where


def semantic_search(
    corpus: Corpus,
    query_vector: Any,
    *,
    vectors: Any,
    regions: Sequence[Region] = (),
    strategy: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Counted sentences closest to ``query_vector`` (cosine; vectors are unit length) within
    the filters, from ``vectors`` (``vector_index.Vectors``): the nearest neighbours of the
    index, filtered, widening the search while too few pass; a filter that keeps few
    sentences is searched exactly among them."""
    import numpy as np

    query = np.asarray(query_vector, dtype=np.float32)
    params: dict[str, object] = {}
    where = [COUNTED, *_filter_clauses(regions, strategy, params)]
    count = max(limit * 4, 50)
    ranked: dict[int, float] = {}
    for _ in range(4):
        near = vectors.search(query, count)
        if not near:
            break
        keep = _allowed(corpus, [i for i, _ in near], where, params)
        ranked = {i: score for i, score in near if i in keep}
        if len(ranked) >= limit or len(near) < count:
            break
        count *= 8
    else:
        if regions or strategy:  # a selective filter: every sentence it keeps, exactly
            ids = [
                r["id"]
                for r in corpus.query(
                    f"select s.id from sentences s join documents d on d.id = s.document_id"
                    f" where {' and '.join(where)}",
                    params,
                )
            ]
            ranked = dict(vectors.exact(ids, query, limit))
    top = dict(sorted(ranked.items(), key=lambda kv: -kv[1])[:limit])
    return _hits(corpus, top, terms=())


def _allowed(
    corpus: Corpus, ids: list[int], where: list[str], params: dict[str, object]
) -> set[int]:
    """Which of ``ids`` pass the conditions ``where`` (over ``s`` and ``d``)."""
    out: set[int] = set()
    for k in range(0, len(ids), 900):
        part = ids[k : k + 900]
        marks = ",".join(str(int(i)) for i in part)
        out.update(
            r["id"]
            for r in corpus.query(
                f"select s.id from sentences s join documents d on d.id = s.document_id"
                f" where s.id in ({marks}) and {' and '.join(where)}",
                params,
            )
        )
    return out


def _hits(corpus: Corpus, ranked: dict[int, float], *, terms: Sequence[str]) -> list[SearchHit]:
    """SearchHits for sentence ids, in the order and with the scores of ``ranked``."""
    if not ranked:
        return []
    ids = list(ranked)
    marks = ",".join("?" for _ in ids)
    rows = corpus.query(
        f"""
        select s.id, s.document_id, s.text, s.char_start, d.removed, d.title, d.published,
               d.location, d.url, r.adcode, r.province, r.city, r.county,
               (select group_concat(strategy, ' ') from sentence_strategies ss
                 where ss.sentence_id = s.id and ss.score >= 0.5) as strategies,
               (select group_concat(canonical, '|') from measures m
                 where m.sentence_id = s.id) as measures
        from sentences s join documents d on d.id = s.document_id
        left join regions r on r.adcode = s.adcode
        where s.id in ({marks})""",
        tuple(ids),
    )
    by_id = {r["id"]: r for r in rows}
    return [_hit(by_id[i], terms, -ranked[i]) for i in ids if i in by_id]


def _hit(row: dict, terms: Sequence[str], rank: float) -> SearchHit:
    text, _ = quoted(row["text"], row["char_start"], row["removed"])
    region = (
        Region(row["province"], row["city"] or "", row["county"] or "", row["adcode"])
        if row["adcode"]
        else None
    )
    return SearchHit(
        sentence_id=row["id"],
        document_id=row["document_id"],
        text=text,
        title=row["title"],
        published=row["published"],
        location=row["location"],
        url=row["url"],
        region=region,
        strategies=tuple((row["strategies"] or "").split()),
        measures=tuple(dict.fromkeys(m for m in (row["measures"] or "").split("|") if m)),
        matches=match_spans(text, terms) if terms else (),
        rank=rank,
    )


def fuse(*rankings: Sequence[SearchHit], k: int = 60, limit: int = 20) -> list[SearchHit]:
    """Reciprocal-rank fusion of several rankings of hits (full-text and semantic)."""
    scores: dict[int, float] = {}
    best: dict[int, SearchHit] = {}
    for ranking in rankings:
        for pos, hit in enumerate(ranking):
            scores[hit.sentence_id] = scores.get(hit.sentence_id, 0.0) + 1.0 / (k + pos + 1)
            if hit.sentence_id not in best or (hit.matches and not best[hit.sentence_id].matches):
                best[hit.sentence_id] = hit
    order = sorted(scores, key=lambda i: -scores[i])[:limit]
    return [SearchHit(**{**_as_dict(best[i]), "rank": -scores[i]}) for i in order]


def _as_dict(hit: SearchHit) -> dict[str, Any]:
    return {f: getattr(hit, f) for f in SearchHit.__dataclass_fields__}
