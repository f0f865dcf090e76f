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


def test_fragment_spans_label_their_sentence_but_are_not_stored(pipeline, settings, db_path):
    """A tagger span too short to name a measure (改造) still made its sentence a coded one: the
    sentence counts in the table, the fragment is in no listing."""
    from dataclasses import replace

    from junheng.records import FRAGMENT, MeasureMention, StrategyScore

    text = "新田县推进县管校聘改革。\n新田县投入资金改造农村学校校舍。"
    doc = analyse_text(pipeline, text)
    a = text.index("改造")
    fragment = MeasureMention("改造", "改造", "school_standardization", a, a + 2, FRAGMENT)
    assert not fragment.named
    second = replace(
        doc.sentences[1],
        measures=(fragment,),
        strategies=(StrategyScore("school_standardization", 0.9, "test"),),
    )
    doc = replace(doc, sentences=(doc.sentences[0], second))
    with Corpus.open(db_path) as corpus:
        added = corpus.add(doc, analysed_with="test", index_terms=pipeline.segmenter.index_terms)
        stored = [r["canonical"] for r in corpus.query("select canonical from measures")]
    assert "改造" not in stored and "县管校聘" in stored
    assert added.measures == len(stored)
    from junheng.corpus import compare as compare_mod

    ids = pipeline.taxonomy.strategy_ids
    for direct in (False, True):  # from the tallies and counted from the rows
        with Corpus.open(db_path, readonly=True) as corpus:
            table = compare_mod.compare(corpus, ids, direct=direct)
        (row,) = table.rows
        cell = row.cells["school_standardization"]
        assert cell.sentences == 1 and cell.measures == ()
        # a share is of the row's labelled sentences, the unnamed measure's one included
        assert row.sentences == 2 and cell.share == 0.5
    listed = {m.canonical for m in api.list_measures(db=db_path, settings=settings)}
    assert "改造" not in listed and "县管校聘" in listed
