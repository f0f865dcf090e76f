"""Stored sentences as quoted to a researcher: the noise analysis removed from their document
(injected spam such as 泛亚电竞, pinyin debris) cut out of the sentence's original text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache


@lru_cache(maxsize=256)
def _ranges(removed: str) -> tuple[tuple[int, int], ...]:
    """A document's ``removed`` JSON as ``(start, end)`` pairs (parsed once per document while
    its sentences stream past)."""
    return tuple((int(x["start"]), int(x["end"])) for x in json.loads(removed))


def cuts_of(removed: str | None, start: int, length: int) -> list[tuple[int, int]]:
    """The document's removals (its ``removed`` JSON) that fall in the sentence at ``start``,
    as offsets into the sentence."""
    if not removed:
        return []
    return sorted(
        (max(0, a - start), min(length, b - start))
        for a, b in _ranges(removed)
        if a < start + length and b > start
    )


def quoted(
    text: str,
    start: int,
    removed: str | None,
    marks: Sequence[tuple[str, int, int]] = (),
) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """``text`` (a sentence at ``start`` in its document) without its document's removals, and
    the ``(name, a, b)`` offsets ``marks`` moved to match."""
    cuts = cuts_of(removed, start, len(text))
    if not cuts:
        return text, tuple(marks)
    keep = [True] * len(text)
    for a, b in cuts:
        for i in range(a, b):
            keep[i] = False
    before = [0]
    for k in keep:
        before.append(before[-1] + (1 if k else 0))
    cleaned = "".join(c for c, k in zip(text, keep, strict=True) if k)
    moved = tuple(
        (name, before[max(0, min(a, len(text)))], before[max(0, min(b, len(text)))])
        for name, a, b in marks
    )
    return cleaned, moved
