"""Corpus-level new-term discovery: character n-grams that hold together (pointwise mutual
information between their parts) and stand free (many different characters on either side,
i.e. high left/right branching entropy) — the classic recipe for finding words no dictionary
lists, here used to propose measure names (县管校聘, 集团化办学) for the lexicon."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# characters that do not begin or end a measure name
EDGE_STOP = frozenset(
    "的了和与及等在是对为把将被从向以于而或并也都又就才还要会能可该其之所个年月日中上下有着让使由到"
)


@dataclass(frozen=True, slots=True)
class TermCandidate:
    term: str
    count: int
    pmi: float
    left_entropy: float
    right_entropy: float

    @property
    def score(self) -> float:
        return self.count * min(self.left_entropy, self.right_entropy) * max(self.pmi, 0.0)

    def as_dict(self) -> dict[str, float | int | str]:
        return {
            "term": self.term,
            "count": self.count,
            "pmi": round(self.pmi, 3),
            "left_entropy": round(self.left_entropy, 3),
            "right_entropy": round(self.right_entropy, 3),
            "score": round(self.score, 3),
        }


def _entropy(counts: Counter[str], free: int) -> float:
    """Entropy of the neighbour distribution; each text edge counts as a distinct neighbour."""
    total = sum(counts.values()) + free
    if total == 0:
        return 0.0
    h = -sum(c / total * math.log(c / total) for c in counts.values())
    if free:
        h -= free * (1 / total) * math.log(1 / total)
    return h


def discover(
    texts: Iterable[str],
    *,
    known: Container[str] = (),
    is_word: Callable[[str], bool] = lambda _w: False,
    min_len: int = 3,
    max_len: int = 6,
    min_count: int = 2,
    min_pmi: float = 2.0,
    min_entropy: float = 0.6,
    top: int = 100,
) -> list[TermCandidate]:
    """Candidate terms from ``texts``, best first.

    Args:
        texts: the corpus (e.g. its non-boilerplate sentences).
        known: terms already in the lexicon (left out of the result).
        is_word: ordinary dictionary words, left out too.
        min_len / max_len: candidate length in characters.
        min_count: occurrences needed (2 suits a few documents, 5+ a large corpus).
        min_pmi: cohesion needed at the weakest split point.
        min_entropy: left and right branching entropy needed.
        top: how many candidates to return.
    """
    grams: Counter[str] = Counter()
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    left_free: Counter[str] = Counter()
    right_free: Counter[str] = Counter()
    chars = 0
    for text in texts:
        for run in CJK_RUN.findall(text):
            n = len(run)
            chars += n
            for i in range(n):
                for size in range(1, min(max_len, n - i) + 1):
                    g = run[i : i + size]
                    grams[g] += 1
                    if size >= min_len:
                        if i > 0:
                            left[g][run[i - 1]] += 1
                        else:
                            left_free[g] += 1
                        if i + size < n:
                            right[g][run[i + size]] += 1
                        else:
                            right_free[g] += 1
    if not chars:
        return []
    log_total = math.log(chars)

    def logp(s: str) -> float:
        return math.log(grams[s]) - log_total

    found: list[TermCandidate] = []
    for g, count in grams.items():
        if len(g) < min_len or count < min_count or g in known or is_word(g):
            continue
        if g[0] in EDGE_STOP or g[-1] in EDGE_STOP:
            continue
        pmi = min(logp(g) - logp(g[:k]) - logp(g[k:]) for k in range(1, len(g)))
        if pmi < min_pmi:
            continue
        le = _entropy(left[g], left_free[g])
        re_ = _entropy(right[g], right_free[g])
        if min(le, re_) < min_entropy:
            continue
        found.append(TermCandidate(g, count, pmi, le, re_))
    # keep maximal strings: drop a candidate that a longer one explains (县管校 inside 县管校聘)
    by_term = {c.term: c for c in found}
    kept = [
        c
        for c in found
        if not any(
            o.term != c.term and c.term in o.term and o.count >= 0.8 * c.count
            for o in by_term.values()
        )
    ]
    kept.sort(key=lambda c: (-c.score, -c.count, c.term))
    return kept[:top]
