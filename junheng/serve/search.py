"""What the Datasette plugin needs from junheng, kept free of Datasette imports: the served
database, the query segmenter, strategy column labels, and sentence highlighting."""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from junheng.corpus.search import fts_query


@dataclass(slots=True)
class State:
    database: str | None = None
    terms: Callable[[str], list[str]] | None = None
    strategies: dict[str, str] = field(default_factory=dict)  # column label → strategy id
    lock: threading.Lock = field(default_factory=threading.Lock)


state = State()


def configure(database: str, terms: Callable[[str], list[str]], strategies: dict[str, str]) -> None:
    """Point the plugin at the served database, its query segmenter and strategy labels."""
    state.database = database
    state.terms = terms
    state.strategies = dict(strategies)


def segmented_fts(query: str | None) -> str:
    """An FTS5 query ANDing the terms junheng cuts ``query`` into ('""' matches nothing)."""
    text = (query or "").strip()
    if not text:
        return '""'
    terms: list[str] = []
    if state.terms is not None:
        try:
            with state.lock:
                terms = state.terms(text)
        except Exception:  # a segmenter failure must not break the page: quote the words
            terms = []
    terms = terms or text.split()
    return fts_query(terms) if terms else '""'


def mark_terms(text: str, terms: list[str]) -> str:
    """``text`` escaped, with every occurrence of the terms (longest first) in ``<mark>``."""
    spans: list[tuple[int, int]] = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = text.find(term)
        while start >= 0:
            end = start + len(term)
            if all(end <= a or start >= b for a, b in spans):
                spans.append((start, end))
            start = text.find(term, end)
    out, pos = [], 0
    for a, b in sorted(spans):
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)
