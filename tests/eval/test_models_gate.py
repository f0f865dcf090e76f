"""Eval gate for the trained models on real reports (``reports_gold.jsonl``): 5-fold
cross-validation grouped by excerpt over the dev split, scored as the hidden set is, beside
lexicon.v1 on the same items. Floors live in ``baseline_models.json``. Slow (about five
minutes on two cores): ``make test-all`` runs it."""

import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED
from tests.eval.gate import EPSILON, baseline

GOLD = SHARED / "dev" / "reports_gold.jsonl"
BASELINE = baseline("models")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def result():
    if not GOLD.exists():
        pytest.skip("needs ../shared/dev/reports_gold.jsonl")
    from junheng.models.distil import default_model_dir, read_model_info

    if read_model_info(default_model_dir(Path.home() / ".cache" / "junheng"), verify=False) is None:
        pytest.skip("the default embedding model is not built (`junheng models build`)")
    import os

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import reports

    before = os.environ.get("JUNHENG_CACHE_DIR")
    os.environ["JUNHENG_CACHE_DIR"] = str(Path.home() / ".cache" / "junheng")
    try:
        return reports.cross_validate(reports.load_gold(GOLD), progress=lambda _m: None)
    finally:
        if before is None:
            os.environ.pop("JUNHENG_CACHE_DIR", None)
        else:
            os.environ["JUNHENG_CACHE_DIR"] = before


def figure(result, name):
    model, rules = result["dev_cv"]["model"], result["dev_cv"]["lexicon.v1"]
    return {
        "measures_precision": model["measures"]["precision"],
        "measures_recall": model["measures"]["recall"],
        "strategies_micro_f1": model["strategies"]["micro"]["f1"],
        "strategies_macro_f1": model["strategies"]["macro_f1"],
        "cells_precision": model["cells"]["precision"],
        "cells_recall": model["cells"]["recall"],
        "micro_gain_over_lexicon": model["strategies"]["micro"]["f1"]
        - rules["strategies"]["micro"]["f1"],
    }[name]


@pytest.mark.parametrize("metric", sorted(BASELINE["floors"]))
def test_floor(result, metric):
    value = figure(result, metric)
    assert value >= BASELINE["floors"][metric] - EPSILON, f"{metric}: {value}"
