"""Crawl runs: start, end and status in ``crawl_runs``; statistics from the run log
(``crawl_fetches``: one row per URL a run dealt with)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from junheng.corpus.crawl import now
from junheng.corpus.store import Corpus


@dataclass(frozen=True, slots=True)
class RunInfo:
    id: int
    job_id: int
    resumed_from: int | None


@dataclass(frozen=True, slots=True)
class RunStats:
    """What one run did; ``failed`` and ``skipped`` count URLs by reason."""

    id: int
    job_id: int
    resumed_from: int | None
    started: str
    finished: str | None
    status: str
    sources: tuple[str, ...]
    lists: int
    new: int
    changed: int
    unchanged: int
    pending: int
    failed: dict[str, int]
    skipped: dict[str, int]
    bytes: int
    message: str | None = None

    @property
    def fetched(self) -> int:
        """Responses received: list pages and article pages (200 and 304)."""
        return self.lists + self.new + self.changed + self.unchanged + self.pending

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "job_id": self.job_id,
            "resumed_from": self.resumed_from,
            "started": self.started,
            "finished": self.finished,
            "status": self.status,
            "sources": list(self.sources),
            "fetched": self.fetched,
            "lists": self.lists,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "pending": self.pending,
            "failed": self.failed,
            "skipped": self.skipped,
            "bytes": self.bytes,
            "message": self.message,
        }


class RunLog:
    """The ``crawl_runs`` table of one corpus."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.conn = corpus.db.conn

    def start_run(self, sources: Sequence[str], fingerprint: str, pid: int) -> RunInfo:
        """Record a new run. Runs left 'running' (their process died: the caller holds the crawl
        lock) become 'interrupted'; when the latest run was interrupted (or failed) with the same
        sources, the new run resumes its job (its queued frontier)."""
        with self.corpus.transaction():
            self.conn.execute(
                "update crawl_runs set status = 'interrupted',"
                " message = coalesce(message, 'the crawl process stopped before the end')"
                " where status = 'running'"
            )
            last = self.conn.execute(
                "select id, job_id, status, fingerprint from crawl_runs order by id desc limit 1"
            ).fetchone()
            resume = (
                last is not None and last[2] in ("interrupted", "failed") and last[3] == fingerprint
            )
            cur = self.conn.execute(
                "insert into crawl_runs (job_id, resumed_from, started, status, sources,"
                " fingerprint, pid) values (?, ?, ?, 'running', ?, ?, ?)",
                (
                    last[1] if resume else None,
                    last[0] if resume else None,
                    now(),
                    json.dumps(list(sources), ensure_ascii=False),
                    fingerprint,
                    pid,
                ),
            )
            run_id = int(cur.lastrowid or 0)
            job_id = int(last[1]) if resume else run_id
            self.conn.execute("update crawl_runs set job_id = ? where id = ?", (job_id, run_id))
        return RunInfo(run_id, job_id, int(last[0]) if resume else None)

    def finish_run(self, run_id: int, status: str, message: str | None = None) -> None:
        """Close a run. Once a run has finished no job can be resumed (only the latest run's
        job resumes), so the frontier is emptied."""
        with self.corpus.transaction():
            self.conn.execute(
                "update crawl_runs set finished = ?, status = ?, message = ? where id = ?",
                (now(), status, message, run_id),
            )
            if status == "finished":
                self.conn.execute("delete from crawl_frontier")

    def run_stats(self, run_id: int) -> RunStats:
        rows = self.runs(run_id=run_id)
        if not rows:
            raise KeyError(run_id)
        return rows[0]

    def runs(self, *, limit: int = 20, run_id: int | None = None) -> list[RunStats]:
        """The latest runs, newest first, with statistics from the run log."""
        where, params = ("where id = ?", (run_id,)) if run_id is not None else ("", ())
        runs = self.conn.execute(
            "select id, job_id, resumed_from, started, finished, status, sources, message"
            f" from crawl_runs {where} order by id desc limit ?",
            (*params, limit),
        ).fetchall()
        out = []
        for rid, job, resumed, started, finished, status, sources, message in runs:
            counts: dict[str, int] = {}
            failed: dict[str, int] = {}
            skipped: dict[str, int] = {}
            total_bytes = 0
            for outcome, reason, n, size in self.conn.execute(
                "select outcome, coalesce(reason, ''), count(*), coalesce(sum(bytes), 0)"
                " from crawl_fetches where run_id = ? group by outcome, reason",
                (rid,),
            ):
                total_bytes += size
                if outcome == "failed":
                    failed[reason or "error"] = failed.get(reason or "error", 0) + n
                elif outcome == "skipped":
                    skipped[reason or "skipped"] = skipped.get(reason or "skipped", 0) + n
                else:
                    counts[outcome] = counts.get(outcome, 0) + n
            out.append(
                RunStats(
                    id=rid,
                    job_id=job,
                    resumed_from=resumed,
                    started=started,
                    finished=finished,
                    status=status,
                    sources=tuple(json.loads(sources or "[]")),
                    lists=counts.get("list", 0),
                    new=counts.get("new", 0),
                    changed=counts.get("changed", 0),
                    unchanged=counts.get("unchanged", 0),
                    pending=counts.get("pending", 0),
                    failed=failed,
                    skipped=skipped,
                    bytes=total_bytes,
                    message=message,
                )
            )
        return out

    def progress(self, run_id: int) -> tuple[int, int]:
        """(URLs dealt with, pages waiting for analysis) so far in a run."""
        done = self.conn.execute(
            "select count(*) from crawl_fetches where run_id = ?", (run_id,)
        ).fetchone()[0]
        pending = self.conn.execute(
            "select count(*) from crawl_versions where status = 'pending'"
        ).fetchone()[0]
        return int(done), int(pending)
