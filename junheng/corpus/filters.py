"""Filters shared by tables, evidence, matrices, trends and exports."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from junheng.corpus.search import places_clause, region_clause
from junheng.corpus.store import COUNTED
from junheng.errors import QueryError
from junheng.records import Region

YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–~至]\s*(\d{4})?)?\s*$")


@dataclass(frozen=True, slots=True)
class Filters:
    """Which counted sentences an analysis looks at.

    ``regions`` keeps sentences attributed to these places or inside them; ``years`` keeps
    documents published in that inclusive range; ``strategies`` limits the strategy columns;
    ``min_docs`` drops table rows backed by fewer documents.
    """

    regions: tuple[Region, ...] = ()
    years: tuple[int | None, int | None] = (None, None)
    strategies: tuple[str, ...] = ()
    min_docs: int = 0
    notes: tuple[str, ...] = field(default=())

    def where(self, params: dict[str, object]) -> str:
        """SQL over ``s`` (sentences) joined with ``d`` (documents); fills ``params``."""
        parts = [COUNTED]
        if self.regions:  # a sentence matches when any of its places does
            clause, extra = places_clause(self.regions)
            parts.append(clause)
            params.update(extra)
        low, high = self.years
        if low is not None:
            parts.append("substr(d.published, 1, 4) >= :year_low")
            params["year_low"] = f"{low:04d}"
        if high is not None:
            parts.append("substr(d.published, 1, 4) <= :year_high")
            params["year_high"] = f"{high:04d}"
        return " and ".join(parts)

    def place_where(self, params: dict[str, object], column: str = "sr.adcode") -> str:
        """SQL keeping only the places (``column``) inside the filter's regions, for analyses
        that count a sentence once for each of its places ("1" without a region filter)."""
        if not self.regions:
            return "1"
        clause, extra = region_clause(self.regions, column, key="place")
        params.update(extra)
        return clause

    @property
    def active(self) -> bool:
        return bool(self.regions or self.years != (None, None) or self.strategies or self.min_docs)

    def describe(self) -> str:
        """A short human description, for table captions and empty-result notes."""
        bits = []
        if self.regions:
            bits.append("region " + "/".join(r.name for r in self.regions))
        low, high = self.years
        if low is not None or high is not None:
            bits.append(f"years {low or '…'}–{high or '…'}")
        if self.strategies:
            bits.append("strategies " + ",".join(self.strategies))
        if self.min_docs:
            bits.append(f"at least {self.min_docs} documents")
        return "; ".join(bits) if bits else "no filters"


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """``2016-2023`` → (2016, 2023); ``2020`` → (2020, 2020); ``2020-`` → (2020, None)."""
    if not text:
        return (None, None)
    m = YEARS.match(text)
    if not m:
        raise QueryError(f"years must look like 2016-2023, 2020 or 2020-; got {text!r}")
    low = int(m.group(1))
    if "-" in text or "–" in text or "~" in text or "至" in text:
        high = int(m.group(2)) if m.group(2) else None
    else:
        high = low
    if high is not None and high < low:
        raise QueryError(f"years {text!r}: the range ends before it starts")
    return (low, high)


def strategy_list(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """``a,b`` or a sequence → a tuple of ids (validated later against the taxonomy)."""
    if not text:
        return ()
    items = text.split(",") if isinstance(text, str) else list(text)
    return tuple(i.strip() for i in items if i.strip())
