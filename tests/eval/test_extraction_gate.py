"""Eval gate: HTML extraction on the peer bench must not fall below the pinned floors.

Floors live in ``baseline_extraction.json`` (overall figures of all 131 pages, scored with the
bench README rules in ``benchmarks/extraction_scoring.py``); raise them when the extractor
improves. Timing is measured by ``benchmarks/extraction.py``, not here.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SHARED
from tests.eval.gate import EPSILON, baseline

BENCH = SHARED / "bench" / "extraction"
BASELINE = baseline("extraction")


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    if not (BENCH / "manifest.json").is_file():
        pytest.skip("needs the extraction bench at ../shared/bench/extraction")
    from benchmarks.extraction_scoring import Prediction, aggregate, load_bench, score_page
    from junheng.crawler.extract import extract_article
    from junheng.errors import ExtractionError

    scores = []
    for gold in load_bench(BENCH):
        try:
            a = extract_article(gold["html"], url=gold.get("url"))
            pred = Prediction(a.body, a.title, a.published, a.author, a.source)
        except ExtractionError:
            pred = Prediction()
        scores.append(score_page(gold, pred))
    return aggregate(scores)


@pytest.mark.parametrize("metric", sorted(BASELINE["floors"]))
def test_floor(figures: dict[str, Any], metric: str) -> None:
    value = figures[metric]
    assert value is not None, f"{metric}: not computed"
    assert value >= BASELINE["floors"][metric] - EPSILON, f"{metric}: {value:.4f} < floor"


def test_no_page_fails(figures: dict[str, Any]) -> None:
    assert figures["empty"] <= BASELINE.get("max_empty", 0)
