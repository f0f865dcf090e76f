"""Eval gate: pipeline quality on the seed gold must not fall below the pinned floors.

Floors live in ``baseline_quality.json``; raise them when the pipeline improves. Lowering one
needs a reason in the commit message.
"""

import pytest

from tests.conftest import SHARED
from tests.eval.gate import EPSILON, baseline, value_at

GOLD = SHARED / "dev" / "seeds_gold.jsonl"
BASELINE = baseline("quality")


@pytest.fixture(scope="module")
def scores(pipeline):
    if not GOLD.exists():
        pytest.skip("needs ../shared/dev/seeds_gold.jsonl")
    from benchmarks.quality import load_gold, score

    return score(pipeline, load_gold(GOLD))


@pytest.mark.parametrize("metric", sorted(BASELINE["floors"]))
def test_floor(scores, metric):
    value = value_at(scores, metric)
    assert value >= BASELINE["floors"][metric] - EPSILON, f"{metric}: {value} < floor"


def test_every_gold_sentence_is_found(scores):
    assert scores["errors"] == []
