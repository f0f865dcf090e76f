"""The crawl process: Scrapy runs in a child interpreter, once per crawl.

Twisted's reactor cannot be restarted inside one process, so ``junheng.api.crawl`` (which may
be called many times, in tests or a long-lived program) starts ``python -m
junheng.crawler.process JOBFILE`` for each crawl. The child inherits the crawl lock and dies with
its parent (``PR_SET_PDEATHSIG`` on Linux), so a killed crawl never leaves a writer behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXIT_FINISHED = 0
EXIT_STOPPED = 3  # shut down by a signal before the end
EXIT_ORPHANED = 4  # the parent was gone before the crawl started


@dataclass(frozen=True, slots=True)
class ChildResult:
    finish_reason: str
    errors: int
    requests: int
    responses: int
    elapsed: float  # seconds from spider open to close


def launch(
    job: dict[str, Any], *, log_path: Path, keep_fds: tuple[int, ...] = ()
) -> tuple[subprocess.Popen[bytes], Path]:
    """Start the crawl process; returns it and the file it writes its result to."""
    fd, job_file = tempfile.mkstemp(prefix="junheng-crawl-", suffix=".json")
    result_file = Path(job_file).with_suffix(".result.json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(
            {**job, "parent": os.getpid(), "result": str(result_file)}, fh, ensure_ascii=False
        )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "junheng.crawler.process", job_file],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=keep_fds,
            close_fds=True,
        )
    return proc, Path(job_file)


def read_result(job_file: Path) -> ChildResult | None:
    """The child's summary (``None`` when it died before writing one); removes the files."""
    result_file = job_file.with_suffix(".result.json")
    try:
        data = json.loads(result_file.read_text("utf-8"))
    except (OSError, ValueError):
        data = None
    for path in (job_file, result_file):
        path.unlink(missing_ok=True)
    if data is None:
        return None
    return ChildResult(
        data["finish_reason"], data["errors"], data["requests"], data["responses"], data["elapsed"]
    )


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        sys.exit(EXIT_ORPHANED)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    job_file = Path(args[0])
    job = json.loads(job_file.read_text("utf-8"))
    job_file.unlink(missing_ok=True)  # read once; nothing is left behind if we are killed
    _die_with_parent(int(job["parent"]))

    from scrapy.crawler import CrawlerProcess

    from junheng.crawler.settings import scrapy_settings
    from junheng.crawler.sources import SourceSet
    from junheng.crawler.spider import PageSpider

    options = SourceSet.from_json(job["sources"]).options
    settings = scrapy_settings(options, job, log_level=job.get("log_level", "WARNING"))
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PageSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = str(stats.get("finish_reason", "unknown"))
    Path(job["result"]).write_text(
        json.dumps(
            {
                "finish_reason": reason,
                "errors": int(stats.get("log_count/ERROR", 0)),
                "requests": int(stats.get("downloader/request_count", 0)),
                "responses": int(stats.get("downloader/response_count", 0)),
                "elapsed": float(stats.get("elapsed_time_seconds", 0.0)),
            }
        ),
        "utf-8",
    )
    return EXIT_FINISHED if reason == "finished" else EXIT_STOPPED


if __name__ == "__main__":
    sys.exit(main())
