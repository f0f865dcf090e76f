"""Normalisation that keeps offsets: NFKC/full-width, Traditional → Simplified, conversion debris.

Every step maps the text to a new text plus, for each new character, the span of original
characters it came from, so that anything found in the normalised text can be reported with
offsets into the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc

# A pinyin gloss pasted after a character by machine conversion: 學區(qū)制 → 學區制.
# Requires a tone-marked vowel so that ordinary bracketed Latin text such as 学校(A) stays.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_GLOSS = re.compile(
    rf"(?<=[\u3400-\u9fff])[(（]\s*(?=[a-zü{_TONED}]*[{_TONED}])[a-zü{_TONED}]{{1,8}}\s*[)）]"
)
# Invisible characters that only break words: zero-width space/joiners, soft hyphen, BOM.
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]")


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised text with, per character, the original span it came from."""

    text: str
    original: str
    starts: tuple[int, ...] | None = None  # None: identity mapping
    ends: tuple[int, ...] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` to a span of ``original``."""
        if self.starts is None or self.ends is None:
            return start, end
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    @property
    def identity(self) -> bool:
        return self.starts is None

    def then(self, step: Normalized) -> Normalized:
        """Compose with a further normalisation of ``self.text``: the result maps ``step.text``
        straight to ``self.original``."""
        if step.identity:
            return Normalized(step.text, self.original, self.starts, self.ends)
        if self.identity:
            return Normalized(step.text, self.original, step.starts, step.ends)
        assert step.starts is not None and step.ends is not None
        assert self.starts is not None and self.ends is not None
        own_starts, own_ends, n, total = self.starts, self.ends, len(self.text), len(self.original)
        starts = tuple(own_starts[a] if a < n else total for a in step.starts)
        ends = tuple(own_ends[b - 1] if b > 0 else 0 for b in step.ends)
        return Normalized(step.text, self.original, starts, ends)

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """Project an ``[start, end)`` span of ``original`` onto ``text`` (deleted parts drop)."""
        if self.starts is None or self.ends is None:
            return start, end
        import bisect

        a = bisect.bisect_left(self.starts, start)
        b = bisect.bisect_right(self.ends, end)
        return a, max(a, b)


Step = Callable[[str], list[tuple[int, int, str]]]
"""A step returns its edits: (start, end, replacement) over the input text, sorted, disjoint."""


def apply_steps(original: str, steps: list[Step]) -> Normalized:
    """Run ``steps`` in order, composing their offset maps."""
    text = original
    starts: list[int] | None = None
    ends: list[int] | None = None
    for step in steps:
        edits = step(text)
        if not edits:
            continue
        if starts is None or ends is None:
            starts = list(range(len(text)))
            ends = list(range(1, len(text) + 1))
        pieces: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        pos = 0
        for a, b, repl in edits:
            if a > pos:
                pieces.append(text[pos:a])
                new_starts.extend(starts[pos:a])
                new_ends.extend(ends[pos:a])
            if repl:
                pieces.append(repl)
                src_start = starts[a] if a < len(starts) else len(original)
                src_end = ends[b - 1] if b > a else src_start
                new_starts.extend([src_start] * len(repl))
                new_ends.extend([src_end] * len(repl))
            pos = b
        if pos < len(text):
            pieces.append(text[pos:])
            new_starts.extend(starts[pos:])
            new_ends.extend(ends[pos:])
        text = "".join(pieces)
        starts, ends = new_starts, new_ends
    if starts is None or ends is None:
        return Normalized(text, original)
    return Normalized(text, original, tuple(starts), tuple(ends))


# ---------------------------------------------------------------- steps


def deletions(spans: list[tuple[int, int, str]]) -> Step:
    """A step deleting the given ``(start, end, reason)`` spans."""
    return lambda _text: [(a, b, "") for a, b, _ in spans]


def strip_pinyin_glosses(text: str) -> list[tuple[int, int, str]]:
    """Delete pinyin glosses pasted after characters (``學區(qū)制`` → ``學區制``)."""
    return [(m.start(), m.end(), "") for m in PINYIN_GLOSS.finditer(text)]


def strip_invisible(text: str) -> list[tuple[int, int, str]]:
    """Delete zero-width characters, soft hyphens and stray BOMs."""
    return [(m.start(), m.end(), "") for m in INVISIBLE.finditer(text)]


@lru_cache(maxsize=1)
def _nfkc_unstable() -> re.Pattern[str]:
    """A character class of the BMP characters that NFKC changes (built once per process)."""
    chars = [
        chr(c)
        for c in range(0x80, 0x10000)
        if not 0xD800 <= c <= 0xDFFF and unicodedata.normalize("NFKC", chr(c)) != chr(c)
    ]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def nfkc(text: str) -> list[tuple[int, int, str]]:
    """NFKC per character: full-width forms to ASCII, compatibility ideographs, ligatures."""
    if unicodedata.is_normalized("NFKC", text):
        return []
    return [
        (m.start(), m.end(), unicodedata.normalize("NFKC", m.group()))
        for m in _nfkc_unstable().finditer(text)
    ]


class TraditionalToSimplified:
    """Traditional → Simplified with OpenCC (``t2s``), keeping a per-character offset map."""

    def __init__(self) -> None:
        self._converter: opencc.OpenCC | None = None

    def convert(self, text: str) -> str:
        if self._converter is None:
            import opencc

            self._converter = opencc.OpenCC("t2s")
        return str(self._converter.convert(text))

    def __call__(self, text: str) -> list[tuple[int, int, str]]:
        converted = self.convert(text)
        if converted == text:
            return []
        if len(converted) == len(text):
            return _char_edits(text, converted, 0)
        # Phrase conversions changed the length somewhere: align line by line, then by character.
        edits: list[tuple[int, int, str]] = []
        pos = 0
        for line in text.splitlines(keepends=True):
            out = self.convert(line)
            if out != line:
                if len(out) == len(line):
                    edits.extend(_char_edits(line, out, pos))
                else:
                    for i, ch in enumerate(line):
                        conv = self.convert(ch)
                        if conv != ch:
                            edits.append((pos + i, pos + i + 1, conv))
            pos += len(line)
        return edits


def _char_edits(before: str, after: str, offset: int) -> list[tuple[int, int, str]]:
    pairs = enumerate(zip(before, after, strict=True))
    return [(offset + i, offset + i + 1, b) for i, (a, b) in pairs if a != b]


class Normalizer:
    """The default normalisation chain, built once per process."""

    def __init__(self) -> None:
        self.t2s = TraditionalToSimplified()
        self.steps: list[Step] = [strip_invisible, nfkc, strip_pinyin_glosses, self.t2s]

    def __call__(self, text: str) -> Normalized:
        return apply_steps(text, self.steps)

    def text(self, text: str) -> str:
        """Normalised text only (for queries and lexicon terms)."""
        return apply_steps(text, self.steps).text
