import sqlite3
from pathlib import Path

import pytest

from junheng import api
from junheng.corpus.store import Corpus
from junheng.errors import CorpusCorrupt, CorpusError, CorpusLocked
from tests.conftest import analyse_text


def test_add_and_readd_same_content(pipeline, db_path):
    doc = analyse_text(pipeline, "新田县推进县管校聘改革。\n全县交流轮岗教师300人。")
    with Corpus.open(db_path) as corpus:
        first = corpus.add(
            doc, analysed_with=pipeline.fingerprint, index_terms=pipeline.segmenter.index_terms
        )
        again = corpus.add(
            doc, analysed_with=pipeline.fingerprint, index_terms=pipeline.segmenter.index_terms
        )
        assert first.status == "added" and again.status == "unchanged"
        assert again.document_id == first.document_id
        counts = corpus.counts()
    assert counts["documents"] == 1 and counts["sentences"] == 2 and counts["measures"] >= 2


def test_schema_is_migrated_and_recorded(db_path):
    with Corpus.open(db_path) as corpus:
        names = {r["name"] for r in corpus.query("select name from _sqlite_migrations")}
    assert {"m001_initial", "m002_fulltext"} <= names


def test_corrupt_file_is_reported_and_left_untouched(tmp_path):
    path = tmp_path / "broken.db"
    payload = b"this is not a database" * 100
    path.write_bytes(payload)
    with pytest.raises(CorpusCorrupt):
        Corpus.open(path)
    assert path.read_bytes() == payload


def test_foreign_sqlite_database_is_not_touched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("create table notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(CorpusCorrupt, match="not a junheng corpus"):
        Corpus.open(path)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("select name from sqlite_master")] == ["notes"]


def test_locked_database_gives_a_clear_error_and_keeps_data(pipeline, settings, tmp_path):
    db = str(tmp_path / "c.db")
    first = tmp_path / "a.txt"
    first.write_text("新田县推进县管校聘改革。", encoding="utf-8")
    api.ingest([first], db=db, settings=settings, pipeline=pipeline)
    holder = sqlite3.connect(db)
    holder.execute("begin immediate")
    try:
        second = tmp_path / "b.txt"
        second.write_text("云和县推进集团化办学。", encoding="utf-8")
        with pytest.raises(CorpusLocked, match="locked"):
            api.ingest(
                [second],
                db=db,
                settings=settings.with_overrides(lock_timeout=0.2),
                pipeline=pipeline,
            )
    finally:
        holder.rollback()
        holder.close()
    with Corpus.open(db) as corpus:
        assert corpus.counts()["documents"] == 1


def test_missing_database_for_reading(tmp_path):
    with pytest.raises(CorpusError, match="run `junheng ingest` first"):
        Corpus.open(tmp_path / "none.db", create=False)
    assert not Path(tmp_path / "none.db").exists()
