"""Several writers on one corpus: every document complete, exactly once, whatever gets killed."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from junheng import api
from junheng.corpus.store import Corpus
from junheng.errors import CorpusCorrupt, CorpusError
from tests.conftest import ROOT, SAMPLE, analyse_text

WRITER = """
import sys
from junheng import api
api.ingest(sys.argv[2:], db=sys.argv[1])
"""

EXTRA = [
    "{place}推进县管校聘改革，{n}名教师交流轮岗。\n{place}实施集团化办学，组建教育集团{n}个。\n"
    "{place}落实双减政策，课后服务覆盖率达到百分之百。",
    "{place}加快学区制改革。\n{place}新建学校{n}所，改善农村学校办学条件。",
]
PLACES = ["新田县", "云和县", "武冈市", "寿光市", "阜平县", "肥西县", "威县", "浏阳市"]


def _inputs(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = [Path(p) for p in sorted(SAMPLE.glob("*.txt"))]
    for k, place in enumerate(PLACES):
        p = folder / f"extra_{k}.txt"
        p.write_text(EXTRA[k % 2].format(place=place, n=k + 3), encoding="utf-8")
        paths.append(p)
    return paths


def _writer(db: str, paths: list[Path]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, db, *map(str, paths)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _half_documents(db: str) -> int:
    """Documents visible to a reader without their sentences (must always be 0)."""
    with Corpus.open(db, readonly=True, timeout=30) as corpus:
        return corpus.query(
            "select count(*) as n from documents d"
            " where not exists (select 1 from sentences s where s.document_id = d.id)"
        )[0]["n"]


def test_concurrent_writers_with_kills_leave_every_document_whole_once(
    pipeline, settings, tmp_path
):
    paths = _inputs(tmp_path / "in")
    expected = {}
    for p in paths:
        doc = analyse_text(pipeline, p.read_text(encoding="utf-8"))
        expected[doc.content_hash] = len(doc.sentences)
    db = str(tmp_path / "c.db")
    api.ingest([paths[0]], db=db, settings=settings, pipeline=pipeline)  # the file exists
    rng = random.Random(12)
    writers = []
    for k in range(4):
        order = paths[:]
        rng.shuffle(order)
        writers.append(_writer(db, order if k % 2 else order[::-1]))
    killed = 0
    deadline = time.monotonic() + 300
    victims = rng.sample(range(len(writers)), 2)
    kill_at = {v: time.monotonic() + rng.uniform(4.0, 12.0) for v in victims}
    while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
        for v, at in list(kill_at.items()):
            if time.monotonic() >= at and writers[v].poll() is None:
                writers[v].send_signal(signal.SIGKILL)
                killed += 1
                del kill_at[v]
        assert _half_documents(db) == 0
        time.sleep(0.2)
    for k, w in enumerate(writers):
        w.wait(timeout=60)
        err = w.stderr.read().decode() if w.stderr else ""
        if w.stderr:
            w.stderr.close()
        if k not in victims or w.returncode != -signal.SIGKILL:
            assert w.returncode == 0, err[-2000:]
    assert killed >= 1
    # a final run completes whatever the killed writers left out
    final = api.ingest(paths, db=db, settings=settings, pipeline=pipeline)
    assert not final.failed
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        conn.execute("insert into sentences_fts(sentences_fts) values ('integrity-check')")
        stored = dict(
            conn.execute(
                "select d.content_hash, count(s.id) from documents d"
                " left join sentences s on s.document_id = d.id group by d.id"
            )
        )
        n_docs = conn.execute("select count(*) from documents").fetchone()[0]
    finally:
        conn.close()
    assert n_docs == len(expected)
    assert stored == expected


def test_a_document_is_stored_whole_or_not_at_all(pipeline, settings, db_path):
    doc = analyse_text(pipeline, "新田县推进县管校聘改革。\n全县交流轮岗教师300人。")
    with Corpus.open(db_path) as corpus:

        def broken(tokens):
            raise RuntimeError("crash while indexing")

        with pytest.raises(RuntimeError):
            corpus.add(doc, analysed_with="x", index_terms=broken)
        assert corpus.counts()["documents"] == 0
        again = corpus.add(doc, analysed_with="x", index_terms=pipeline.segmenter.index_terms)
        assert again.status == "added" and again.sentences == 2


def test_damaged_database_is_not_written(pipeline, settings, tmp_path):
    db = str(tmp_path / "c.db")
    src = tmp_path / "a.txt"
    src.write_text("新田县推进县管校聘改革。" * 400, encoding="utf-8")
    api.ingest([src], db=db, settings=settings, pipeline=pipeline)
    conn = sqlite3.connect(db)
    conn.execute("pragma wal_checkpoint(truncate)")
    page = conn.execute("pragma page_size").fetchone()[0]
    root = conn.execute("select rootpage from sqlite_master where name = 'sentences'").fetchone()[0]
    conn.close()
    data = bytearray(Path(db).read_bytes())
    at = (root - 1) * page
    data[at + 8 : at + 200] = b"\xff" * 192  # a damaged b-tree page
    Path(db).write_bytes(bytes(data))
    before = Path(db).read_bytes()
    other = tmp_path / "b.txt"
    other.write_text("云和县推进集团化办学。", encoding="utf-8")
    with pytest.raises(CorpusCorrupt, match="left untouched"):
        api.ingest([other], db=db, settings=settings, pipeline=pipeline)
    assert Path(db).read_bytes() == before
    assert not Path(db + "-wal").exists() or Path(db + "-wal").stat().st_size == 0


def test_read_only_commands_never_write_or_migrate(pipeline, settings, tmp_path, sample_db):
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("create table documents (id integer primary key, body text)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    with pytest.raises(CorpusCorrupt, match="not a junheng corpus"):
        api.compare(db=str(foreign), settings=settings, pipeline=pipeline)
    with pytest.raises(CorpusCorrupt, match="not a junheng corpus"):
        api.ingest([], db=str(foreign), settings=settings, pipeline=pipeline)
    assert foreign.read_bytes() == before
    # a read-only file serves every reading command
    copy = tmp_path / "ro.db"
    copy.write_bytes(Path(sample_db).read_bytes())
    copy.chmod(0o444)
    try:
        table = api.compare(db=str(copy), settings=settings, pipeline=pipeline)
        assert table.rows
        hits = api.search("县管校聘", db=str(copy), settings=settings, pipeline=pipeline)
        assert hits.hits
    finally:
        copy.chmod(0o644)
    with pytest.raises(CorpusError, match="read-only"), Corpus.open(copy, readonly=True) as corpus:
        corpus.set_meta("x", "y")
