"""Eval gate: keyword search finds the sentences naming each gold measure of the seeds.

The floor lives in ``baseline_search.json`` (the issue asked for ≥ 0.98; today's figure is
pinned). ``benchmarks/search_recall.py`` prints the misses.
"""

import pytest

from tests.conftest import SHARED
from tests.eval.gate import EPSILON, baseline

GOLD = SHARED / "dev" / "seeds_gold.jsonl"
BASELINE = baseline("search")


def test_search_recall_on_gold_measures(pipeline, settings):
    if not GOLD.exists():
        pytest.skip("needs ../shared/dev/seeds_gold.jsonl")
    from benchmarks.search_recall import score

    result = score(pipeline, settings, GOLD)
    assert result["answers"] > 250
    assert result["recall"] >= BASELINE["floors"]["recall"] - EPSILON, result["misses"][:10]
