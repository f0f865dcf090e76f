"""A small trained bundle (no embeddings) shared by the model tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def rules_pipeline(settings):
    from junheng.pipeline import Pipeline

    return Pipeline(settings, models=False)


@pytest.fixture(scope="session")
def training_docs(rules_pipeline):
    from junheng.models import golddata

    items = golddata.read_jsonl(golddata.training_file(golddata.REPORTS))
    dev = [it for it in items if not golddata.is_test(it["id"])][:60]
    seeds = golddata.read_jsonl(golddata.training_file(golddata.SEEDS))
    return golddata.report_docs(rules_pipeline, dev) + golddata.seed_docs(rules_pipeline, seeds)


@pytest.fixture(scope="session")
def small_bundle(rules_pipeline, training_docs):
    from junheng.models.bundle import train_bundle

    return train_bundle(
        training_docs,
        taxonomy=rules_pipeline.taxonomy,
        lexicon=rules_pipeline.lexicon,
        tokenize=rules_pipeline.segmenter.cut,
        embed=None,
    )


@pytest.fixture(scope="session")
def model_pipeline(settings, rules_pipeline, small_bundle):
    from junheng.pipeline import Pipeline

    return Pipeline(
        settings,
        lexicon=rules_pipeline.lexicon,
        taxonomy=rules_pipeline.taxonomy,
        models=small_bundle,
    )
