"""Streaming exports for the tools researchers use: coded sentences (NVivo-style), word
frequencies, co-occurrence edge lists (Gephi, KH Coder) and per-document plain text (ROST CM)."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import combinations
from pathlib import Path

from junheng.corpus.filters import Filters
from junheng.corpus.quoting import quoted
from junheng.corpus.search import PLACES_JOIN
from junheng.corpus.store import Corpus

CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_COLUMNS = (
    "sentence_id",
    "document_id",
    "published",
    "title",
    "url",
    "province",
    "city",
    "county",
    "strategies",
    "instrument",
    "measures",
    "figures",
    "text",
)


def coded_sentences(
    corpus: Corpus, filters: Filters, *, threshold: float = 0.5, coded_only: bool = True
) -> Iterator[dict[str, object]]:
    """Counted sentences with their codes, one row at a time, oldest document first; a sentence
    that speaks for several places has one row per place (``sentence_id`` repeats)."""
    params: dict[str, object] = {"t": threshold}
    where = f"{filters.where(params)} and {filters.place_where(params)}"
    having = "having strategies is not null" if coded_only else ""
    sql = f"""
        select s.id as sentence_id, s.document_id, d.published, d.title, coalesce(d.url, d.location)
               as url, r.province, r.city, r.county, s.instrument, s.text, s.char_start,
               d.removed,
               (select group_concat(ss.strategy, ';') from sentence_strategies ss
                 where ss.sentence_id = s.id and ss.score >= :t) as strategies,
               (select group_concat(distinct m.canonical) from measures m
                 where m.sentence_id = s.id) as measures,
               (select json_group_array(json(m.figures)) from measures m
                 where m.sentence_id = s.id and m.figures is not null) as figures
        from sentences s join documents d on d.id = s.document_id
        {PLACES_JOIN}
        where {where}
        group by s.id, sr.adcode {having}
        order by d.published, s.document_id, s.idx, sr.rank
    """
    for row in corpus.iterate(sql, params):
        if filters.strategies and not set((row["strategies"] or "").split(";")) & set(
            filters.strategies
        ):
            continue
        groups = json.loads(row["figures"] or "[]")
        row["figures"] = "、".join(f["text"] for group in groups for f in group)
        row["text"], _ = quoted(row.pop("text"), row.pop("char_start"), row.pop("removed"))
        yield row


def word_frequencies(
    corpus: Corpus,
    filters: Filters,
    cut: Callable[[str], list[str]],
    *,
    min_length: int = 2,
    stopwords: frozenset[str] = frozenset(),
) -> list[tuple[str, int, int]]:
    """(word, occurrences, documents) over counted sentences, most frequent first."""
    params: dict[str, object] = {}
    counts: Counter[str] = Counter()
    docs: dict[str, set[int]] = {}
    for row in corpus.iterate(
        f"select s.document_id, s.text, s.char_start, d.removed from sentences s"
        f" join documents d on d.id = s.document_id where {filters.where(params)}",
        params,
    ):
        for word in cut(quoted(row["text"], row["char_start"], row["removed"])[0]):
            if len(word) >= min_length and CJK.search(word) and word not in stopwords:
                counts[word] += 1
                docs.setdefault(word, set()).add(row["document_id"])
    return [(w, c, len(docs[w])) for w, c in counts.most_common()]


def cooccurrences(
    corpus: Corpus, filters: Filters, *, unit: str = "sentence", min_weight: int = 1
) -> list[tuple[str, str, int]]:
    """Measure pairs named in the same sentence (or document), with how often: an undirected
    edge list for Gephi or KH Coder."""
    key = "s.id" if unit == "sentence" else "s.document_id"
    params: dict[str, object] = {}
    edges: Counter[tuple[str, str]] = Counter()
    current: object = None
    names: set[str] = set()

    def count() -> None:
        for a, b in combinations(sorted(names), 2):
            edges[(a, b)] += 1

    # one sentence (or document) at a time: only the edge counts stay in memory
    for row in corpus.iterate(
        f"select {key} as k, m.canonical from measures m join sentences s on s.id = m.sentence_id"
        f" join documents d on d.id = s.document_id where {filters.where(params)} order by k",
        params,
    ):
        if row["k"] != current:
            count()
            current, names = row["k"], set()
        names.add(row["canonical"])
    count()
    return [(a, b, w) for (a, b), w in edges.most_common() if w >= min_weight]


def document_texts(corpus: Corpus, filters: Filters, folder: Path) -> int:
    """One UTF-8 .txt per document: its counted sentences, one paragraph per line, named
    ``<id>_<date>_<title>.txt`` (ROST CM, KH Coder and NVivo read these)."""
    folder.mkdir(parents=True, exist_ok=True)
    params: dict[str, object] = {}
    current: int | None = None
    lines: list[str] = []
    meta: dict[str, object] = {}
    written = 0

    def flush() -> None:
        nonlocal written
        if current is None or not lines:
            return
        title = re.sub(r"[\\/:*?\"<>|\s]+", "_", str(meta.get("title") or "untitled"))[:40]
        name = f"{current:06d}_{meta.get('published') or 'undated'}_{title}.txt"
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        written += 1

    paragraph = None
    doc_text = ""
    for row in corpus.iterate(
        f"select s.document_id, s.text, s.char_start, d.title, d.published, d.removed"
        f" from sentences s join documents d on d.id = s.document_id"
        f" where {filters.where(params)} order by s.document_id, s.idx",
        params,
    ):
        if row["document_id"] != current:
            flush()
            current, lines, paragraph = row["document_id"], [], None
            meta = {"title": row["title"], "published": row["published"]}
            doc_text = corpus.query("select text from documents where id = ?", (current,))[0][
                "text"
            ]
        line_no = doc_text.count("\n", 0, row["char_start"])
        text, _ = quoted(row["text"], row["char_start"], row["removed"])
        if line_no == paragraph and lines:
            lines[-1] += text
        else:
            lines.append(text)
        paragraph = line_no
    flush()
    return written
