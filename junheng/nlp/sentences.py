"""Sentence splitting for Chinese report text, keeping character offsets.

Rules: every line break ends a sentence; within a line a sentence ends after 。！？； (and their
ASCII forms, except right after an ASCII letter or digit, as in ``Discuz! X3.2``); closing quotes
and brackets that follow stay with the sentence they close; enumerations (一是…, (1)…) are not
split points; surrounding whitespace is trimmed; pieces with no letter or digit are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FULL_TERMINATORS = frozenset("。！？；")
ASCII_TERMINATORS = frozenset("!?;")
CLOSERS = frozenset("”’」』）)】》〕")
SPACES = " \t\r\u3000\u00a0\u2002\u2003\u200b\ufeff"
_CANDIDATE = re.compile("[。！？；!?;]")


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    """A sentence as ``[start, end)`` offsets plus the index of its line (paragraph)."""

    start: int
    end: int
    paragraph: int


def _is_terminator(line: str, i: int) -> bool:
    ch = line[i]
    if ch in FULL_TERMINATORS:
        return True
    if ch in ASCII_TERMINATORS:
        prev = line[i - 1] if i > 0 else ""
        return not (prev.isascii() and prev.isalnum())
    return False


_CONTENT = re.compile(r"[^\W_]")  # a letter or digit in any script


def _has_content(text: str) -> bool:
    return _CONTENT.search(text) is not None


def split_line(line: str) -> list[tuple[int, int]]:
    """Sentence spans within one line (no trimming)."""
    cuts: list[tuple[int, int]] = []
    seg = 0
    n = len(line)
    for m in _CANDIDATE.finditer(line):
        i = m.start()
        if i < seg or not _is_terminator(line, i):
            continue
        j = i + 1
        while j < n and (line[j] in CLOSERS or _is_terminator(line, j)):
            j += 1
        cuts.append((seg, j))
        seg = j
    if seg < n:
        cuts.append((seg, n))
    return cuts


def split_sentences(text: str) -> list[SentenceSpan]:
    """Sentences of ``text`` in order, with offsets into ``text`` and their line index."""
    spans: list[SentenceSpan] = []
    pos = 0
    for paragraph, line in enumerate(text.split("\n")):
        for a, b in split_line(line):
            while a < b and line[a] in SPACES:
                a += 1
            while b > a and line[b - 1] in SPACES:
                b -= 1
            if a < b and _has_content(line[a:b]):
                spans.append(SentenceSpan(pos + a, pos + b, paragraph))
        pos += len(line) + 1
    return spans
