"""Multi-label scores: per-category precision/recall/F1 with support, micro and macro F1."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Scores:
    per_category: dict[str, dict[str, float]]
    micro: dict[str, float]
    macro_f1: float

    def as_dict(self) -> dict[str, Any]:
        return {"per_category": self.per_category, "micro": self.micro, "macro_f1": self.macro_f1}


def _f(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(
    gold: Sequence[Iterable[str]], predicted: Sequence[Iterable[str]], categories: Sequence[str]
) -> Scores:
    """Multi-label scores; sentences without gold labels count (predicting any is an error);
    macro F1 averages the categories that have support."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in zip(gold, predicted, strict=True):
        g, p = set(g), set(p)
        for cat in g | p:
            counts[cat]["tp" if cat in g and cat in p else "fp" if cat in p else "fn"] += 1
        for cat in g:
            counts[cat]["support"] += 1
    per = {}
    for cat in categories:
        c = counts[cat]
        pr, rc, f1 = _f(c["tp"], c["fp"], c["fn"])
        per[cat] = {
            "precision": round(pr, 4),
            "recall": round(rc, 4),
            "f1": round(f1, 4),
            "support": c["support"],
        }
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    pr, rc, f1 = _f(tp, fp, fn)
    supported = [v["f1"] for v in per.values() if v["support"]]
    return Scores(
        per,
        {"precision": round(pr, 4), "recall": round(rc, 4), "f1": round(f1, 4)},
        round(sum(supported) / len(supported), 4) if supported else 0.0,
    )
