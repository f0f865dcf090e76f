"""Evaluation: cross-validation grouped by document, per-category precision/recall/F1 with
support, micro and macro F1, for the trained model beside ``lexicon.v1`` on the same folds."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from junheng.models.train import Example, InstrumentModel, StrategyModel


@dataclass(frozen=True, slots=True)
class Scores:
    per_category: dict[str, dict[str, float]]
    micro: dict[str, float]
    macro_f1: float

    def as_dict(self) -> dict[str, Any]:
        return {"per_category": self.per_category, "micro": self.micro, "macro_f1": self.macro_f1}


@dataclass(frozen=True, slots=True)
class Evaluation:
    model: Scores
    baseline: Scores  # lexicon.v1 on the same sentences
    instrument_accuracy: float
    baseline_instrument_accuracy: float
    folds: int
    sentences: int
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model.as_dict(),
            "lexicon.v1": self.baseline.as_dict(),
            "instrument_accuracy": self.instrument_accuracy,
            "lexicon_instrument_accuracy": self.baseline_instrument_accuracy,
            "folds": self.folds,
            "sentences": self.sentences,
            "notes": list(self.notes),
        }


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


def cross_validate(
    examples: Sequence[Example],
    *,
    make_models: Callable[[], tuple[StrategyModel, InstrumentModel]],
    extra_training: Sequence[Example] = (),
    threshold: float = 0.5,
) -> Evaluation:
    """Leave-one-document-out: each document's sentences are predicted by models trained on the
    other documents (plus ``extra_training``, e.g. taxonomy pseudo-sentences); nothing of a
    test document is seen in training. Predictions are pooled over the folds."""
    groups = sorted({e.group for e in examples})
    predicted: dict[int, set[str]] = {}
    inst_pred: dict[int, str] = {}
    for g in groups:
        test = [k for k, e in enumerate(examples) if e.group == g]
        train = [e for e in examples if e.group != g] + list(extra_training)
        strategy, instrument = make_models()
        strategy.fit(train)
        instrument.fit(train)
        tests = [examples[k] for k in test]
        labels = strategy.predict(
            [e.text for e in tests], [e.lexicon for e in tests], [e.group for e in tests]
        )
        insts = instrument.predict([e.text for e in tests], [e.lexicon_instrument for e in tests])
        for k, lab, ins in zip(test, labels, insts, strict=True):
            predicted[k] = set(lab)
            inst_pred[k] = ins
    order = range(len(examples))
    categories = make_models()[0].taxonomy.strategy_ids
    gold = [examples[k].strategies for k in order]
    model_scores = score(gold, [predicted[k] for k in order], categories)
    baseline = score(
        gold, [_lexicon_labels(examples[k].lexicon, threshold) for k in order], categories
    )
    coded = [k for k in order if examples[k].instrument]
    acc = sum(inst_pred[k] == examples[k].instrument for k in coded) / len(coded) if coded else 0.0
    base_acc = (
        sum(examples[k].lexicon_instrument == examples[k].instrument for k in coded) / len(coded)
        if coded
        else 0.0
    )
    return Evaluation(
        model_scores, baseline, round(acc, 4), round(base_acc, 4), len(groups), len(examples)
    )


def _lexicon_labels(lexicon: Mapping[str, float], threshold: float) -> set[str]:
    return {sid for sid, s in lexicon.items() if s >= threshold}
