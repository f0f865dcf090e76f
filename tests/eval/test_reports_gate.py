"""Eval gate: places and county × strategy cells on real reports from all 31 provinces
(``reports_gold.jsonl``, scored by ``benchmarks/reports.py``) must not fall below the pinned
floors of ``baseline_reports.json``, on the development and the test split alike.
"""

import json
from pathlib import Path

import pytest

from tests.conftest import SHARED

GOLD = SHARED / "dev" / "reports_gold.jsonl"
BASELINE = json.loads((Path(__file__).parent / "baseline_reports.json").read_text(encoding="utf-8"))
EPSILON = 0.005


@pytest.fixture(scope="module")
def scores(pipeline):
    if not GOLD.exists():
        pytest.skip("needs ../shared/dev/reports_gold.jsonl")
    from benchmarks.reports import load_gold, run_pipeline, score

    items = load_gold(GOLD)
    return score(items, run_pipeline(items, pipeline=pipeline))


def _get(scores, dotted):
    node = scores
    for key in dotted.split("."):
        node = node[key]
    return node


@pytest.mark.parametrize("metric", sorted(BASELINE["floors"]))
def test_floor(scores, metric):
    value = _get(scores, metric)
    assert value >= BASELINE["floors"][metric] - EPSILON, f"{metric}: {value} < floor"
