"""Shared fixtures: one pipeline per test session, temporary corpora, the bundled sample."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "junheng" / "data" / "sample"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep jieba's prefix-dictionary cache out of the user's folders."""
    import os

    os.environ["JUNHENG_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("JUNHENG_DB", None)
    os.environ.pop("JUNHENG_CONFIG", None)


@pytest.fixture(scope="session")
def settings(_isolated_cache: None):
    from junheng.settings import load_settings

    return load_settings()


@pytest.fixture(scope="session")
def pipeline(settings):
    from junheng.pipeline import Pipeline

    p = Pipeline(settings)
    p.nlp  # noqa: B018 - load resources once for the session
    return p


@pytest.fixture(scope="session")
def segmenter(pipeline):
    return pipeline.segmenter


@pytest.fixture(scope="session")
def gazetteer(pipeline):
    return pipeline.gazetteer


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "corpus.db")


@pytest.fixture(scope="session")
def sample_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))}


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory, settings, pipeline) -> str:
    """A corpus built once from the bundled sample (read-only for tests)."""
    from junheng import api

    path = str(tmp_path_factory.mktemp("sample") / "sample.db")
    api.ingest(api.sample_paths(), db=path, settings=settings, pipeline=pipeline)
    return path


def analyse_text(pipeline, text: str, **fields):
    """Analyse one plain text (helper for tests)."""
    from junheng.crawler.files import text_document

    return pipeline.analyse(text_document("test.txt", text, **fields))
