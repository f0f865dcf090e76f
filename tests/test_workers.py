"""Parallel analysis: N jobs store exactly what one job stores; workers die with their writer."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from junheng import api

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "junheng" / "data" / "sample"
TABLES = (
    "documents",
    "sentences",
    "measures",
    "sentence_strategies",
    "sentence_regions",
    "document_strategies",
    "document_regions",
    "regions",
)


def _inputs(folder: Path, copies: int = 3) -> list[Path]:
    folder.mkdir()
    out = []
    for k in range(copies):
        for path in sorted(SAMPLE.glob("*.txt")):
            target = folder / f"{k}_{path.name}"
            target.write_text(path.read_text(encoding="utf-8") + f"\n（第{k}份）\n", "utf-8")
            out.append(target)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    out.insert(3, folder / "empty.txt")
    out.append(out[0])  # the same content twice
    return out


def _dump(db: str) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        out = {}
        for table in TABLES:
            cols = [r[1] for r in conn.execute(f"pragma table_info([{table}])")]
            keep = ", ".join(f"[{c}]" for c in cols if c != "ingested_at")
            out[table] = conn.execute(f"select {keep} from [{table}] order by 1, 2").fetchall()
        out["fts"] = conn.execute(
            "select rowid from sentences_fts where sentences_fts match '教师' order by rowid"
        ).fetchall()
        return out
    finally:
        conn.close()


def test_n_jobs_store_exactly_what_one_job_stores(pipeline, settings, tmp_path):
    paths = _inputs(tmp_path / "in")
    one = api.ingest(
        paths, db=str(tmp_path / "one.db"), settings=settings, pipeline=pipeline, jobs=1
    )
    two = api.ingest(
        paths, db=str(tmp_path / "two.db"), settings=settings, pipeline=pipeline, jobs=2
    )
    assert [(i.location, i.status, i.document_id) for i in one.items] == [
        (i.location, i.status, i.document_id) for i in two.items
    ]
    assert one.count("added") == 15 and one.count("failed") == 1
    assert one.count("unchanged") == 1
    assert _dump(str(tmp_path / "one.db")) == _dump(str(tmp_path / "two.db"))
    # re-analysis in workers gives the stored analysis again
    report = api.reanalyse(
        db=str(tmp_path / "two.db"), settings=settings, pipeline=pipeline, jobs=2
    )
    assert report.documents == 15 and not report.failed
    before = _dump(str(tmp_path / "one.db"))["sentences"]
    after = _dump(str(tmp_path / "two.db"))["sentences"]
    assert [r[1:] for r in before] == [r[1:] for r in after]  # new sentence ids


WRITER = """
import sys
from junheng import api
api.ingest(sys.argv[2:], db=sys.argv[1], jobs=2)
"""


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_workers_exit_when_their_writer_is_killed(tmp_path):
    paths = _inputs(tmp_path / "in", copies=6)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path / "k.db"), *map(str, paths)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and writer.poll() is None:
        time.sleep(0.1)
        workers = _children(writer.pid)
    assert len(workers) >= 2, "the writer started no workers"
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.2)
    alive = []
    for w in workers:
        try:
            state = Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.append(w)
    assert not alive, f"workers outlived their writer: {alive}"
