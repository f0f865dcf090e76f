"""Crawling: crawl sources into the corpus, list runs, re-extract stored pages, schedule runs.

``crawl`` holds the database's crawl lock, starts the Scrapy crawl process (a child interpreter:
Twisted's reactor cannot restart within one process) and, while it fetches, analyses the pages it
stores with one ``Pipeline``. See docs/crawling.md.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from junheng.api.documents import refresh_vectors
from junheng.corpus.crawl import CrawlStore
from junheng.corpus.store import Corpus
from junheng.crawler.lock import crawl_lock
from junheng.crawler.pages import PageAnalyser, page_document
from junheng.crawler.process import launch, read_result
from junheng.crawler.runs import RunLog, RunStats
from junheng.crawler.schedule import Installed, Schedule, install, plan
from junheng.crawler.sources import SourceSet, load_sources, quick_sources
from junheng.errors import CorpusError, ExtractionError, FetchError, InputError
from junheng.pipeline import Pipeline, content_hash
from junheng.settings import Settings, load_settings

POLL_SECONDS = 0.2
KEEP_LOGS = 20


class CrawlFailed(FetchError):
    """The crawl process stopped with an error (its log has the details)."""


@dataclass(frozen=True, slots=True)
class CrawlProgress:
    run_id: int
    handled: int  # URLs the crawl dealt with so far (fetched, failed or skipped)
    pending: int  # stored pages waiting for analysis
    analysed: int  # documents analysed so far


@dataclass(frozen=True, slots=True)
class CrawlReport:
    db: str
    run: RunStats
    analysed: int  # documents whose text was new and went through the pipeline
    log: str  # the crawl process's Scrapy log
    responses: int = 0  # HTTP responses the crawl process received (robots.txt included)
    fetch_seconds: float = 0.0  # the crawl process's time from spider open to close


@dataclass(frozen=True, slots=True)
class ReextractReport:
    db: str
    pages: int  # stored versions extracted again
    changed: int  # documents whose text changed (re-analysed)
    unchanged: int
    failed: int  # pages whose extraction fails now (their documents are kept)
    recovered: int  # pages that failed before and now gave a document


def crawl(
    urls: Sequence[str] = (),
    *,
    sources: str | os.PathLike[str] | None = None,
    db: str | None = None,
    settings: Settings | None = None,
    max_pages: int = 100,
    region_hint: str | None = None,
    allow_private: bool = False,
    options: dict[str, Any] | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[CrawlProgress], None] | None = None,
    log_level: str = "WARNING",
    jobs: int | None = None,
) -> CrawlReport:
    """Crawl a sources file (or, quick mode, list-page URLs) into the corpus.

    ``options`` override the ``[crawl]`` options (delay, timeout, …). An interrupted crawl of the
    same sources resumes where it stopped. Raises ``CrawlLocked`` when another crawl holds the
    database, ``SourcesError`` for a bad sources file, ``CrawlFailed`` when the crawl process
    breaks down (the pages it stored are kept and analysed).
    """
    settings = settings or load_settings()
    path = db or settings.db
    if sources is not None and urls:
        raise InputError("give either --sources FILE or URLs, not both")
    source_set = (
        load_sources(sources, overrides=options)
        if sources is not None
        else quick_sources(
            list(urls),
            max_pages=max_pages,
            region_hint=region_hint,
            allow_private=allow_private,
            overrides=options,
        )
    )
    if path == ":memory:":
        raise CorpusError("a crawl needs a database file, not :memory:")
    if not Path(path).expanduser().resolve().parent.is_dir():
        raise CorpusError(f"cannot open database {path}: its folder does not exist")
    with crawl_lock(path) as fd, _open(path, settings) as corpus:
        store = CrawlStore(corpus)
        loader = _Lazy(corpus, settings, pipeline)
        analyser = PageAnalyser(corpus, store, loader, batch_size=settings.batch_size, jobs=jobs)
        log_book = RunLog(corpus)
        run = log_book.start_run(
            [s.name for s in source_set.sources], source_set.fingerprint, os.getpid()
        )
        log = _log_path(settings, path, run.id)
        proc, job_file = _start(source_set, path, run.id, run.job_id, log, fd, log_level)
        try:
            while True:
                alive = proc.poll() is None
                settled = analyser.run_pending()
                if progress is not None:
                    handled, pending = log_book.progress(run.id)
                    progress(CrawlProgress(run.id, handled, pending, analyser.analysed))
                if not alive and settled == 0:
                    break
                if settled == 0:
                    time.sleep(POLL_SECONDS)
        except BaseException:
            _stop(proc)
            analyser.close()
            read_result(job_file)
            log_book.finish_run(run.id, "interrupted", "stopped before the end")
            raise
        analyser.close()
        result = read_result(job_file)
        ok = proc.returncode == 0 and result is not None
        message = None
        if not ok:
            message = f"the crawl process exited with code {proc.returncode}; see {log}"
        elif result is not None and result.errors:
            message = f"{result.errors} errors logged; see {log}"
        log_book.finish_run(run.id, "finished" if ok else "failed", message)
        if loader.loaded is not None:
            corpus.set_meta("pipeline", loader.loaded.fingerprint)
            refresh_vectors(corpus, settings, loader.loaded)
        stats = log_book.run_stats(run.id)
    if not ok:
        raise CrawlFailed(f"run {run.id}: {message}")
    assert result is not None
    return CrawlReport(path, stats, analyser.analysed, str(log), result.responses, result.elapsed)


def list_runs(
    *, db: str | None = None, settings: Settings | None = None, limit: int = 20
) -> list[RunStats]:
    """The latest crawl runs, newest first."""
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, readonly=True, timeout=settings.lock_timeout) as corpus:
        return RunLog(corpus).runs(limit=limit)


def reextract(
    *,
    db: str | None = None,
    settings: Settings | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReextractReport:
    """Extract every stored page again from its raw HTML (no fetching); documents whose text
    changed are updated in place and re-analysed, the others are left alone."""
    settings = settings or load_settings()
    path = db or settings.db
    with _open(path, settings, create=False) as corpus, crawl_lock(path):
        store = CrawlStore(corpus)
        loader = _Lazy(corpus, settings, pipeline)
        analyser = PageAnalyser(corpus, store, loader, batch_size=settings.batch_size)
        versions = store.versions_for_reextract()
        changed: list[tuple[int, int, Any, str]] = []
        retried: list[int] = []
        unchanged = failed = 0
        for version, _page, document, text_hash in versions:
            url, ctype, body, hint = store.raw(version)
            if progress:
                progress(url)
            if document is None:
                store.requeue(version)  # failed before: the normal path may add it now
                retried.append(version)
                continue
            try:
                doc = page_document(url, body, ctype, hint)
            except (InputError, ExtractionError):
                failed += 1
                continue
            digest = content_hash(doc.text)
            if digest == text_hash:
                unchanged += 1
            else:
                changed.append((version, document, doc, digest))
        if changed:
            active = loader()
            for (version, document, _doc, digest), result in zip(
                changed, active.analyse_many([c[2] for c in changed]), strict=True
            ):
                analyser.replace_document(version, document, digest, result, active)
        while analyser.run_pending():
            pass
        still = store.failed_among(retried)
        if loader.loaded is not None:
            corpus.set_meta("pipeline", loader.loaded.fingerprint)
    return ReextractReport(
        path, len(versions), len(changed), unchanged, failed + still, len(retried) - still
    )


def schedule_line(
    when: str,
    *,
    sources: str | os.PathLike[str],
    db: str | None = None,
    log: str | None = None,
    settings: Settings | None = None,
) -> Schedule:
    """The weekly crawl command and its crontab line (nothing is installed)."""
    settings = settings or load_settings()
    return plan(when, sources, db or settings.db, log=log)


def install_schedule(schedule: Schedule) -> Installed:
    """Install a schedule in the user crontab, or as a systemd user timer."""
    return install(schedule)


# ---------------------------------------------------------------- helpers


class _Lazy:
    """The crawl's one pipeline, loaded on the first page that needs analysis."""

    def __init__(self, corpus: Corpus, settings: Settings, given: Pipeline | None) -> None:
        self.corpus = corpus
        self.settings = settings
        self.loaded = given

    def __call__(self) -> Pipeline:
        if self.loaded is None:
            from junheng.api.documents import pipeline_for

            self.loaded = pipeline_for(self.corpus, self.settings)
        return self.loaded


def _open(path: str, settings: Settings, *, create: bool = True) -> Corpus:
    # the crawl process writes too: wait longer than usual for its short transactions
    return Corpus.open(path, create=create, timeout=max(settings.lock_timeout, 60.0))


def _start(
    source_set: SourceSet, db: str, run_id: int, job_id: int, log: Path, fd: int, level: str
) -> tuple[Any, Path]:
    job = {
        "db": str(Path(db).resolve()),
        "run_id": run_id,
        "job_id": job_id,
        "sources": source_set.to_json(),
        "log_level": level,
    }
    return launch(job, log_path=log, keep_fds=(fd,))


def _stop(proc: Any) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except Exception:
            proc.kill()
            proc.wait()


def _log_path(settings: Settings, db: str, run_id: int) -> Path:
    """The crawl process's log, in the cache folder (the newest ``KEEP_LOGS`` are kept)."""
    import hashlib

    ident = hashlib.sha256(str(Path(db).resolve()).encode()).hexdigest()[:8]
    folder = settings.cache_path / "crawl-logs"
    folder.mkdir(parents=True, exist_ok=True)
    logs = sorted(folder.glob(f"{ident}-run*.log"), key=lambda p: p.stat().st_mtime)
    for old in logs[:-KEEP_LOGS]:
        old.unlink(missing_ok=True)
    return folder / f"{ident}-run{run_id}.log"
