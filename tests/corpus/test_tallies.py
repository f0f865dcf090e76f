"""The maintained tallies give the tables counted from the sentences, after every kind of write."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from sqlite_utils import Database

from junheng import api
from junheng.corpus import compare as compare_mod
from junheng.corpus.filters import Filters
from junheng.corpus.measures import list_measures
from junheng.corpus.store import Corpus


@pytest.fixture
def db(sample_db, tmp_path):
    path = str(tmp_path / "c.db")
    shutil.copy(sample_db, path)
    return path


def _same_tables(path: str, pipeline, filters: Filters | None = None) -> None:
    ids = pipeline.taxonomy.strategy_ids
    with Corpus.open(path, readonly=True) as corpus:
        fast = compare_mod.compare(corpus, ids, filters=filters)
        slow = compare_mod.compare(corpus, ids, filters=filters, direct=True)
        assert fast.rows == slow.rows
        assert fast.unattributed == slow.unattributed
        assert fast.labelled_by == slow.labelled_by
        if filters is None:
            assert list_measures(corpus, limit=500) == list_measures(corpus, limit=500, direct=True)
            new = list_measures(corpus, new_only=True, limit=500)
            assert new == list_measures(corpus, new_only=True, limit=500, direct=True)
        for table in ("ctally", "mtally"):
            bad = corpus.query(f"select count(*) as n from {table} where n <= 0")[0]["n"]
            assert bad == 0, f"{table} holds non-positive counts"
        assert corpus.query("select count(*) as n from msum where mentions < 0")[0]["n"] == 0
        return fast


def test_tallies_match_direct_counts_after_every_kind_of_write(db, settings, pipeline):
    table = _same_tables(db, pipeline)
    assert table.rows and table.unattributed
    hunan = pipeline.gazetteer.resolve("湖南省")
    _same_tables(db, pipeline, Filters(regions=tuple(hunan)))
    conn = sqlite3.connect(db)
    with conn:  # crawl flags: a document left out, a copy, a new date
        conn.execute("update documents set relevant = 0 where id = 1")
        conn.execute("update documents set duplicate_of = 2 where id = 3")
        conn.execute("update documents set published = '2031-01-01' where id = 4")
    _same_tables(db, pipeline)
    with conn:  # back again
        conn.execute("update documents set relevant = 1 where id = 1")
        conn.execute("update documents set duplicate_of = null where id = 3")
    _same_tables(db, pipeline)
    with conn:  # classify: labels replaced, scores moved across the threshold
        conn.execute(
            "update sentence_strategies set score = 0.3 where rowid in"
            " (select rowid from sentence_strategies order by rowid limit 20)"
        )
        conn.execute(
            "update sentence_strategies set score = 0.9, method = 'strategy.v1@x'"
            " where rowid in (select rowid from sentence_strategies order by rowid desc limit 5)"
        )
        conn.execute(
            "delete from sentence_strategies where rowid in"
            " (select rowid from sentence_strategies order by rowid limit 30 offset 40)"
        )
        sid = conn.execute("select id from sentences where boilerplate = 0 limit 1").fetchone()[0]
        conn.execute(
            "insert or ignore into sentence_strategies (sentence_id, document_id, strategy,"
            " score, method) select id, document_id, 'double_reduction', 0.8, 'strategy.v1@x'"
            " from sentences where id = ?",
            (sid,),
        )
    conn.close()
    _same_tables(db, pipeline)
    api.reanalyse(db=db, settings=settings, pipeline=pipeline, jobs=1)
    _same_tables(db, pipeline)
    with Corpus.open(db) as corpus, corpus.transaction():  # a document's analysis removed
        corpus._delete_analysis(2)
        corpus.db.execute("delete from documents where id = 2")
    _same_tables(db, pipeline)


def test_an_older_corpus_gains_exact_tallies_on_upgrade(db, settings, pipeline):
    expected = _same_tables(db, pipeline)
    conn = sqlite3.connect(db)
    with conn:  # the corpus as the code before m007–m010 left it
        for (name,) in conn.execute(
            "select name from sqlite_master where type = 'trigger' and name like 'tally_%'"
        ).fetchall():
            conn.execute(f"drop trigger {name}")
        for table in ("ctally", "csum", "mtally", "msum", "sentence_replacements"):
            conn.execute(f"drop table {table}")
        for suffix in ("ai", "ad", "au"):
            conn.execute(f"drop trigger sentence_rows_{suffix}")
        conn.execute("drop table sentences_fts")
        conn.execute("drop view sentences")
        conn.execute("alter table sentence_rows rename to sentences")
        conn.execute("alter table sentences add column text text")
        conn.execute(
            "update sentences set text = (select substr(d.text, sentences.char_start + 1,"
            " sentences.char_end - sentences.char_start) from documents d"
            " where d.id = sentences.document_id)"
        )
        conn.execute("alter table sentences drop column text_key")
        conn.execute("alter table sentences drop column places")
        Database(conn)["sentences"].enable_fts(["index_text"], create_triggers=True)
        conn.execute(
            "create table vectors (content_hash text, model text, dim integer, vector blob,"
            " primary key (content_hash, model))"
        )
        conn.execute(
            "delete from _sqlite_migrations where name in ('m007_search_places',"
            " 'm008_vector_index', 'm009_tallies', 'm010_sentence_text_once')"
        )
    conn.close()
    applied = api.upgrade(db=db, settings=settings)
    assert applied == [
        "m007_search_places",
        "m008_vector_index",
        "m009_tallies",
        "m010_sentence_text_once",
    ]
    assert _same_tables(db, pipeline).rows == expected.rows
    hits = api.search("县管校聘", db=db, region="湖南省", settings=settings, pipeline=pipeline)
    assert hits.hits
