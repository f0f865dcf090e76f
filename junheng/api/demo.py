"""The bundled sample, end to end."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from junheng.api.documents import IngestReport, Progress, ingest
from junheng.api.tables import compare, top_measures
from junheng.corpus import compare as compare_mod
from junheng.corpus.store import Corpus
from junheng.errors import CorpusError
from junheng.pipeline import Pipeline
from junheng.settings import Settings, load_settings

DEMO_DB = "junheng-demo.db"
DEMO_MARK = "demo"


# ---------------------------------------------------------------- demo


@dataclass(frozen=True, slots=True)
class DemoResult:
    db: str
    ingest: IngestReport
    comparison: compare_mod.Comparison
    measures: list[compare_mod.MeasureCount]


def sample_paths() -> list[Path]:
    """The bundled sample reports (five real pages, noise included)."""
    folder = resources.files("junheng").joinpath("data/sample")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".txt"))


def demo(
    *, db: str | None = None, settings: Settings | None = None, progress: Progress | None = None
) -> DemoResult:
    """Build a fresh demo database from the bundled sample and compare its counties."""
    settings = settings or load_settings()
    path = db or DEMO_DB
    _clear_demo_db(path)
    pipeline = Pipeline(settings)
    report = ingest(
        sample_paths(), db=path, settings=settings, pipeline=pipeline, progress=progress
    )
    with Corpus.open(path, timeout=settings.lock_timeout) as corpus:
        corpus.set_meta(DEMO_MARK, "1")
    comparison = compare(by="county", db=path, settings=settings, pipeline=pipeline)
    return DemoResult(path, report, comparison, top_measures(db=path, settings=settings))


def _clear_demo_db(path: str) -> None:
    """Remove an earlier demo database; refuse to touch any other file."""
    p = Path(path)
    if not p.exists():
        return
    try:
        with Corpus.open(p, readonly=True) as corpus:
            is_demo = corpus.get_meta(DEMO_MARK) == "1"
    except CorpusError:
        is_demo = False
    if not is_demo:
        raise CorpusError(
            f"{path} exists and is not a junheng demo database; choose another --db for the demo"
        )
    for suffix in ("", "-wal", "-shm"):
        Path(str(p) + suffix).unlink(missing_ok=True)
