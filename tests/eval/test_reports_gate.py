"""Eval gate: places and county × strategy cells on real reports from all 31 provinces
(``reports_gold.jsonl``, scored by ``benchmarks/reports.py``) must not fall below the pinned
floors of ``baseline_reports.json``, on the development and the test split alike.
"""

import pytest

from tests.conftest import SHARED
from tests.eval.gate import EPSILON, baseline, value_at

GOLD = SHARED / "dev" / "reports_gold.jsonl"
BASELINE = baseline("reports")


@pytest.fixture(scope="module")
def scores(pipeline):
    if not GOLD.exists():
        pytest.skip("needs ../shared/dev/reports_gold.jsonl")
    from benchmarks.reports import load_gold, run_pipeline, score

    items = load_gold(GOLD)
    return score(items, run_pipeline(items, pipeline=pipeline))


@pytest.mark.parametrize("metric", sorted(BASELINE["floors"]))
def test_floor(scores, metric):
    value = value_at(scores, metric)
    assert value >= BASELINE["floors"][metric] - EPSILON, f"{metric}: {value} < floor"
