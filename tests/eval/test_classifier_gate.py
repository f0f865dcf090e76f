"""Eval gate for the trained classifier: cross-validated on the seed gold (folds by document),
beside lexicon.v1 on the same folds. Floors live in ``baseline_classifier.json``."""

from pathlib import Path

import pytest

from tests.conftest import SHARED
from tests.eval.gate import EPSILON, baseline

GOLD = SHARED / "dev" / "seeds_gold.jsonl"
BASELINE = baseline("classifier")


@pytest.fixture(scope="module")
def evaluation(pipeline):
    if not GOLD.exists():
        pytest.skip("needs ../shared/dev/seeds_gold.jsonl")
    from junheng.api.classifier import evaluate
    from junheng.models.distil import default_model_dir, read_model_info
    from junheng.settings import load_settings

    settings = load_settings()
    model_dir = default_model_dir(Path.home() / ".cache" / "junheng")
    if read_model_info(model_dir, verify=False) is None:
        pytest.skip("the default embedding model is not built (`junheng models build`)")
    settings = settings.with_overrides(cache_dir=str(Path.home() / ".cache" / "junheng"))
    return evaluate(str(GOLD), settings=settings, pipeline=pipeline)


@pytest.mark.parametrize("metric", sorted(BASELINE["floors"]))
def test_floor(evaluation, metric):
    value = {
        "micro_f1": evaluation.model.micro["f1"],
        "macro_f1": evaluation.model.macro_f1,
        "instrument_accuracy": evaluation.instrument_accuracy,
        "instrument_gain_over_rule": evaluation.instrument_accuracy
        - evaluation.baseline_instrument_accuracy,
    }[metric]
    assert value >= BASELINE["floors"][metric] - EPSILON, f"{metric}: {value}"
