"""Measure listings from the stored corpus: counts, regions, first and last seen, methods."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from junheng.corpus.quoting import quoted
from junheng.corpus.search import PLACES_JOIN, places_clause, region_clause
from junheng.corpus.store import COUNTED, Corpus
from junheng.records import Region

LEXICON_METHODS = frozenset({"lexicon"})


@dataclass(frozen=True, slots=True)
class MeasureRow:
    canonical: str
    category: str | None
    mentions: int
    documents: int
    regions: tuple[tuple[str, int], ...]  # (region name, mentions), most first
    first_seen: str | None
    last_seen: str | None
    methods: tuple[str, ...]
    examples: tuple[str, ...]  # surface forms as written

    @property
    def new(self) -> bool:
        """Found only by the beyond-lexicon rules."""
        return not set(self.methods) & LEXICON_METHODS


def list_measures(
    corpus: Corpus,
    *,
    regions: Sequence[Region] = (),
    since: int | None = None,
    new_only: bool = False,
    limit: int = 50,
    direct: bool = False,
) -> list[MeasureRow]:
    """Measures of counted sentences, most mentioned first (ties: more documents, then by
    name; within a row, counts first, then by name). Without filters they are read from the
    maintained tallies (``tallies``), else (or with ``direct``) counted from the mentions."""
    if not regions and since is None and not direct:
        return _from_tallies(corpus, new_only=new_only, limit=limit)
    where = [COUNTED]
    params: dict[str, object] = {}
    if regions:  # a sentence matches when any of its places does; only those places count
        clause, extra = places_clause(regions)
        where.append(clause)
        params.update(extra)
        clause, extra = region_clause(regions, "sr.adcode", key="place")
        where.append(f"(sr.adcode is null or {clause})")
        params.update(extra)
    if since is not None:
        where.append("substr(d.published, 1, 4) >= :since")
        params["since"] = f"{since:04d}"
    rows = corpus.query(
        f"""
        select m.id, m.canonical, m.category, m.method, m.term, m.document_id, d.published,
               coalesce(r.county, '') || '|' || coalesce(r.city, '') as place
        from measures m
        join sentences s on s.id = m.sentence_id
        join documents d on d.id = m.document_id
        {PLACES_JOIN}
        where {" and ".join(where)}
        """,
        params,
    )
    agg: dict[str, dict] = defaultdict(
        lambda: {
            "mentions": set(),
            "docs": set(),
            "places": Counter(),
            "dates": [],
            "methods": Counter(),
            "categories": Counter(),
            "terms": Counter(),
        }
    )
    for r in rows:  # one row per mention and place of its sentence
        a = agg[r["canonical"]]
        county, _, city = (r["place"] or "|").partition("|")
        if county or city:
            a["places"][county or city] += 1
        if r["id"] in a["mentions"]:
            continue
        a["mentions"].add(r["id"])
        a["docs"].add(r["document_id"])
        if r["published"]:
            a["dates"].append(r["published"])
        a["methods"][r["method"]] += 1
        if r["category"]:
            a["categories"][r["category"]] += 1
        a["terms"][r["term"]] += 1
    out = []
    for canonical, a in agg.items():
        row = MeasureRow(
            canonical=canonical,
            category=_ranked(a["categories"])[0][0] if a["categories"] else None,
            mentions=len(a["mentions"]),
            documents=len(a["docs"]),
            regions=tuple(_ranked(a["places"])),
            first_seen=min(a["dates"]) if a["dates"] else None,
            last_seen=max(a["dates"]) if a["dates"] else None,
            methods=tuple(m for m, _ in _ranked(a["methods"])),
            examples=tuple(t for t, _ in _ranked(a["terms"])[:3]),
        )
        if not new_only or row.new:
            out.append(row)
    out.sort(key=lambda r: (-r.mentions, -r.documents, r.canonical))
    return out[:limit]


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Most counted first, ties by name."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _from_tallies(corpus: Corpus, *, new_only: bool, limit: int) -> list[MeasureRow]:
    """``list_measures`` without filters, from ``msum`` and ``mtally``."""
    where = "mentions > 0"
    if new_only:
        methods = ", ".join(f"'{m}'" for m in sorted(LEXICON_METHODS))
        where += (
            " and not exists (select 1 from mtally t where t.canonical = msum.canonical"
            f" and t.kind = 'method' and t.value in ({methods}))"
        )
    out = []
    for top in corpus.query(
        f"select canonical, mentions, documents from msum where {where}"
        " order by mentions desc, documents desc, canonical limit :limit",
        {"limit": int(limit)},
    ):
        name = top["canonical"]
        kinds: dict[str, dict[str, int]] = defaultdict(dict)
        for r in corpus.query(
            "select kind, value, n from mtally where canonical = ?"
            " and kind in ('place', 'method', 'category', 'term')",
            (name,),
        ):
            kinds[r["kind"]][r["value"]] = r["n"]
        dates = corpus.query(
            "select min(value) as first, max(value) as last from mtally"
            " where canonical = ? and kind = 'date'",
            (name,),
        )[0]
        categories = _ranked(kinds["category"])
        out.append(
            MeasureRow(
                canonical=name,
                category=categories[0][0] if categories else None,
                mentions=top["mentions"],
                documents=top["documents"],
                regions=tuple(_ranked(kinds["place"])),
                first_seen=dates["first"],
                last_seen=dates["last"],
                methods=tuple(m for m, _ in _ranked(kinds["method"])),
                examples=tuple(t for t, _ in _ranked(kinds["term"])[:3]),
            )
        )
    return out


def clean_sentences(corpus: Corpus, *, limit: int = 50_000) -> Iterator[str]:
    """Non-boilerplate sentence texts with the injected spam recorded for their documents
    taken out (for corpus statistics such as new-term discovery)."""
    rows = corpus.query(
        "select s.char_start, s.text, d.removed from sentences s"
        f" join documents d on d.id = s.document_id where {COUNTED}"
        " order by s.id desc limit :limit",
        {"limit": int(limit)},
    )
    for r in rows:
        yield quoted(r["text"], r["char_start"], r["removed"])[0]
