"""Eval gate: pipeline quality on the seed gold must not fall below the pinned floors.

Floors live in ``baseline_quality.json``; raise them when the pipeline improves. Lowering one
needs a reason in the commit message.
"""

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED

GOLD = SHARED / "dev" / "seeds_gold.jsonl"
BASELINE = json.loads((Path(__file__).parent / "baseline_quality.json").read_text(encoding="utf-8"))
EPSILON = 0.005


@pytest.fixture(scope="module")
def scores(pipeline):
    if not GOLD.exists():
        pytest.skip("needs ../shared/dev/seeds_gold.jsonl")
    from benchmarks.quality import load_gold, score

    return score(pipeline, load_gold(GOLD))


def _get(scores, dotted):
    node = scores
    for key in dotted.split("."):
        node = node[key]
    return node


@pytest.mark.parametrize("metric", sorted(BASELINE["floors"]))
def test_floor(scores, metric):
    value = _get(scores, metric)
    assert value >= BASELINE["floors"][metric] - EPSILON, f"{metric}: {value} < floor"


def test_every_gold_sentence_is_found(scores):
    assert scores["errors"] == []
