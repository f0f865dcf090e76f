"""Scoring rules of the Chinese extraction peer bench (shared/bench/extraction/README.md)."""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GROUPS = ("cwced-", "gne-", "traf-", "rdb-")

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GB_LABELS = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "gb18030"}
_WS = re.compile(r"\s+")
# quotes stripped from both ends of a title before comparison (after NFKC)
_TITLE_QUOTES = "\"'“”‘’「」『』〝〞"
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_NAME_SPLIT = re.compile(r"[\s、,，]+")


@dataclass(frozen=True, slots=True)
class Prediction:
    """What one extractor returned for one page (``None`` = field not produced)."""

    body: str = ""
    title: str | None = None
    date: str | None = None
    author: str | None = None
    source: str | None = None


@dataclass(slots=True)
class PageScore:
    """Per-page scores; ``None`` means the page is not scored on that field."""

    id: str
    group: str
    body_p: float | None = None
    body_r: float | None = None
    body_f1: float | None = None
    bigram_f1: float | None = None
    mc_hits: int = 0
    mc_total: int = 0
    mnc_found: int = 0
    mnc_total: int = 0
    fully_clean: bool | None = None
    title_exact: bool | None = None
    title_contained: bool | None = None
    date_ok: bool | None = None
    author_hit: bool | None = None
    empty: bool = False
    details: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- rule 1: decoding


def decode_page(data: bytes) -> str:
    """Rule 1: UTF-8 BOM, else meta charset then utf-8/gb18030/big5, fewest U+FFFD wins."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    candidates: list[str] = []
    m = _META_CHARSET.search(data[:10240])
    if m:
        label = m.group(1).decode("ascii", "ignore").lower()
        candidates.append("gb18030" if label in _GB_LABELS else label)
    for enc in ("utf-8", "gb18030", "big5"):
        if enc not in candidates:
            candidates.append(enc)
    best: tuple[int, str] | None = None
    for enc in candidates:
        try:
            text = data.decode(enc, errors="replace")
        except LookupError:
            continue
        bad = text.count("\ufffd")
        if best is None or bad < best[0]:
            best = (bad, text)
    assert best is not None
    return best[1]


# ---------------------------------------------------------------- rule 2: normalisation


def nz(text: str | None) -> str:
    """Rule 2: NFKC, then delete all whitespace (U+3000 included)."""
    if not text:
        return ""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


# ---------------------------------------------------------------- rules 3-7


def bag_prf(gold: str, pred: str, n: int = 1) -> tuple[float, float, float]:
    """Rule 3: multiset P/R/F1 of character n-grams of ``nz(gold)`` vs ``nz(pred)``."""
    g, p = nz(gold), nz(pred)
    gc = Counter(g[i : i + n] for i in range(len(g) - n + 1))
    pc = Counter(p[i : i + n] for i in range(len(p) - n + 1))
    if not gc or not pc:
        return 0.0, 0.0, 0.0
    overlap = sum((gc & pc).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    prec, rec = overlap / sum(pc.values()), overlap / sum(gc.values())
    return prec, rec, 2 * prec * rec / (prec + rec)


def snippet_hit(snippet: str, pred: str) -> bool:
    """Rule 4: ``nz(snippet).casefold()`` is a substring of ``nz(pred).casefold()``."""
    return nz(snippet).casefold() in nz(pred).casefold()


def title_norm(title: str | None) -> str:
    """Rule 5 normalisation: ``nz()`` and quotes stripped at both ends."""
    return nz(title).strip(_TITLE_QUOTES)


def title_scores(gold: str, pred: str | None) -> tuple[bool, bool]:
    """Rule 5: (exact match, gold contained in prediction)."""
    g, p = title_norm(gold), title_norm(pred)
    return bool(p) and g == p, bool(p) and g in p


def date_day(text: str | None) -> str | None:
    """Rule 6: the first ``YYYY[-/.年]M[-/.月]D`` in ``text``, zero-padded, or ``None``."""
    if not text:
        return None
    m = _DATE.search(text)
    if not m:
        return None
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def names(*fields: str | None) -> list[str]:
    """Names of the gold author/source fields, split on spaces, 、 and commas."""
    out: list[str] = []
    for value in fields:
        if value:
            out.extend(n for n in _NAME_SPLIT.split(value.strip()) if n)
    return out


def author_source_hit(pred: str | None, gold_author: str | None, gold_source: str | None) -> bool:
    """Rule 7 for one predicted string."""
    if not pred or not pred.strip():
        return False
    p = nz(pred)
    if not p:
        return False
    gold_names = [nz(n) for n in names(gold_author, gold_source)]
    if any(n and n in p for n in gold_names):
        return True
    gold_fields = [nz(f) for f in (gold_author, gold_source) if f]
    return len(p) >= 2 and any(p in f for f in gold_fields)


# ---------------------------------------------------------------- bench IO and aggregation


def load_bench(bench: Path) -> list[dict[str, Any]]:
    """Gold records in manifest order, each with the decoded page under ``"html"``."""
    manifest = json.loads((bench / "manifest.json").read_text(encoding="utf-8"))
    out = []
    for entry in manifest:
        gold = json.loads((bench / "gold" / f"{entry['id']}.json").read_text(encoding="utf-8"))
        gold["html"] = decode_page((bench / gold["page"]).read_bytes())
        out.append(gold)
    return out


def group_of(page_id: str) -> str:
    """The id prefix (``cwced-``, ``gne-``, ``traf-``, ``rdb-``) of a page."""
    for g in GROUPS:
        if page_id.startswith(g):
            return g
    return "other"


def score_page(gold: Mapping[str, Any], pred: Prediction) -> PageScore:
    """Score one prediction against its gold record (rules 3-7)."""
    s = PageScore(id=gold["id"], group=group_of(gold["id"]), empty=not nz(pred.body))
    if gold["gold_type"] == "full_text":
        s.body_p, s.body_r, s.body_f1 = bag_prf(gold["content"] or "", pred.body)
        s.bigram_f1 = bag_prf(gold["content"] or "", pred.body, n=2)[2]
    else:
        mc = [x for x in gold.get("must_contain") or [] if nz(x)]
        mnc = [x for x in gold.get("must_not_contain") or [] if nz(x)]
        missing = [x for x in mc if not snippet_hit(x, pred.body)]
        found = [x for x in mnc if snippet_hit(x, pred.body)]
        s.mc_total, s.mc_hits = len(mc), len(mc) - len(missing)
        s.mnc_total, s.mnc_found = len(mnc), len(found)
        s.fully_clean = not missing and not found
        s.details.update(missing=missing, unwanted=found)
    if gold.get("title"):
        s.title_exact, s.title_contained = title_scores(gold["title"], pred.title)
    if gold.get("publish_date"):
        s.date_ok = date_day(pred.date) == gold["publish_date"]
    if gold.get("author") or gold.get("source_name"):
        s.author_hit = any(
            author_source_hit(p, gold.get("author"), gold.get("source_name"))
            for p in (pred.author, pred.source)
        )
    return s


def _mean(values: Iterable[float]) -> float | None:
    vals = list(values)
    return sum(vals) / len(vals) if vals else None


def aggregate(scores: list[PageScore]) -> dict[str, Any]:
    """Bench figures over ``scores``: macro body P/R/F1, snippet rates, title, date, author."""
    full = [s for s in scores if s.body_f1 is not None]
    snip = [s for s in scores if s.fully_clean is not None]
    out: dict[str, Any] = {
        "pages": len(scores),
        "full_text_pages": len(full),
        "snippet_pages": len(snip),
    }
    out["body_p"] = _mean(s.body_p for s in full if s.body_p is not None)
    out["body_r"] = _mean(s.body_r for s in full if s.body_r is not None)
    out["body_f1"] = _mean(s.body_f1 for s in full if s.body_f1 is not None)
    out["bigram_f1"] = _mean(s.bigram_f1 for s in full if s.bigram_f1 is not None)
    f1s = [s.body_f1 for s in full if s.body_f1 is not None]
    out["median_f1"] = statistics.median(f1s) if f1s else None
    out["pages_f1_below_0_5"] = sum(1 for f in f1s if f < 0.5) if f1s else None
    mc_total = sum(s.mc_total for s in snip)
    mnc_total = sum(s.mnc_total for s in snip)
    tp = sum(s.mc_hits for s in snip)
    fn = mc_total - tp
    fp = sum(s.mnc_found for s in snip)
    out["must_contain_hit"] = tp / mc_total if mc_total else None
    out["must_not_contain_clean"] = 1 - fp / mnc_total if mnc_total else None
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    out["snippet_f1"] = 2 * prec * rec / (prec + rec) if prec + rec else (None if not snip else 0.0)
    out["fully_clean"] = _mean(1.0 if s.fully_clean else 0.0 for s in snip)
    out["title_exact"] = _mean(
        1.0 if s.title_exact else 0.0 for s in scores if s.title_exact is not None
    )
    out["title_contained"] = _mean(
        1.0 if s.title_contained else 0.0 for s in scores if s.title_contained is not None
    )
    out["date_acc"] = _mean(1.0 if s.date_ok else 0.0 for s in scores if s.date_ok is not None)
    out["author_source_hit"] = _mean(
        1.0 if s.author_hit else 0.0 for s in scores if s.author_hit is not None
    )
    out["empty"] = sum(1 for s in scores if s.empty)
    return out


def aggregate_groups(scores: list[PageScore]) -> dict[str, dict[str, Any]]:
    """``aggregate`` overall (key ``"all"``) and for each id-prefix group."""
    out = {"all": aggregate(scores)}
    for g in GROUPS:
        members = [s for s in scores if s.group == g]
        if members:
            out[g] = aggregate(members)
    return out
