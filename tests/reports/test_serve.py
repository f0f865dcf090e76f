"""The Datasette side without a server: canned queries agree with the library, the corpus check
reads without writing, and queries are segmented like ``junheng search``."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest


def _rows(db: str, sql: str, params: dict | None = None, fts=None) -> list[dict]:
    conn = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    if fts:
        conn.create_function("junheng_fts", 1, fts)
    try:
        return [dict(r) for r in conn.execute(sql, params or {})]
    finally:
        conn.close()


def test_comparison_query_matches_compare(sample_db, settings, pipeline):
    from junheng import api
    from junheng.serve.metadata import comparison_sql

    taxonomy = pipeline.taxonomy
    table = api.compare(by="county", db=sample_db, settings=settings, pipeline=pipeline)
    rows = _rows(sample_db, comparison_sql(taxonomy, settings.strategy_threshold))
    assert [r["代码"] for r in rows] == [r.adcode for r in table.rows]
    for got, want in zip(rows, table.rows, strict=True):
        label = want.label if want.level == "county" else f"{want.label}（市级）"
        assert got["地区"] == label
        assert got["文档"] == want.documents and got["合计"] == want.total
        for sid in table.strategies:
            assert got[taxonomy.short_name(sid)] == want.cells[sid].sentences, (label, sid)


@pytest.mark.parametrize(
    ("region", "strategy"),
    [("新田县", "teacher_allocation"), ("431128", "教师配置"), ("成都市（市级）", "布局学位")],
)
def test_evidence_query_counts_equal_the_cell(sample_db, settings, pipeline, region, strategy):
    from junheng import api
    from junheng.serve.metadata import evidence_sql

    taxonomy = pipeline.taxonomy
    sid = next(s for s in taxonomy.strategy_ids if strategy in (s, taxonomy.short_name(s)))
    name = {"431128": "新田县"}.get(region, region).replace("（市级）", "")
    want = api.evidence(
        strategy=sid, region=name, db=sample_db, settings=settings, pipeline=pipeline
    )
    sql = evidence_sql(taxonomy, settings.strategy_threshold)
    got = _rows(sample_db, sql, {"region": region, "strategy": strategy})
    assert len(got) == len(want) > 0
    assert {g["句子"] for g in got} == {e.text for e in want}
    assert _rows(sample_db, sql, {"region": "", "strategy": strategy}) == []


def test_region_measures_and_search_queries(sample_db, settings, pipeline):
    from junheng.serve.metadata import region_measures_sql, search_sql
    from junheng.serve.search import configure, segmented_fts

    taxonomy = pipeline.taxonomy
    rows = _rows(sample_db, region_measures_sql(taxonomy), {"region": "新田县"})
    assert "县管校聘" in {r["举措"] for r in rows}
    hunan = _rows(sample_db, region_measures_sql(taxonomy), {"region": "湖南省"})
    assert len(hunan) > len(rows)
    configure("corpus", lambda q: pipeline.segmenter.query_terms(q), {})
    assert segmented_fts("县管校聘改革") == 'index_text : ("县管校聘" AND "改革")'
    assert segmented_fts("  ") == '""'
    sql = search_sql(taxonomy, settings.strategy_threshold)
    hits = _rows(sample_db, sql, {"q": "县管校聘"}, fts=segmented_fts)
    # the measure sentence, and the honour (…县管校聘管理体制改革示范县) that names the word
    assert [h["地区"] for h in hits] == ["新田县", "新田县"]
    assert any("教师配置" in h["策略"] and "县管校聘" in h["举措"] for h in hits)
    # an unspaced phrase is cut into words, as `junheng search` does
    assert len(_rows(sample_db, sql, {"q": "县管校聘改革"}, fts=segmented_fts)) == 2
    assert _rows(sample_db, sql, {"q": ""}, fts=segmented_fts) == []


def test_metadata_has_chinese_labels(pipeline):
    from junheng.serve.metadata import metadata

    meta = metadata(pipeline.taxonomy, 0.5)
    db = meta["databases"]["corpus"]
    assert set(db["queries"]) == {"comparison", "evidence", "region_measures", "search"}
    assert db["queries"]["evidence"]["params"] == ["region", "strategy"]
    assert db["tables"]["sentences"]["title"].startswith("句子")
    assert db["tables"]["sentences"]["columns"]["text"] == "句子"
    assert db["tables"]["sentences"]["fts_table"] == "sentences_fts"


def test_check_corpus_reads_without_writing(tmp_path, sample_db):
    from junheng.api.serve import check_corpus
    from junheng.errors import CorpusCorrupt, CorpusError

    before = hashlib.sha256(Path(sample_db).read_bytes()).hexdigest()
    check_corpus(sample_db)
    assert hashlib.sha256(Path(sample_db).read_bytes()).hexdigest() == before
    with pytest.raises(CorpusError, match="no corpus"):
        check_corpus(tmp_path / "missing.db")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.commit()
    with pytest.raises(CorpusCorrupt, match="not a junheng corpus"):
        check_corpus(other)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CorpusCorrupt):
        check_corpus(junk)


def test_mark_terms_escapes():
    from junheng.serve.search import mark_terms

    assert mark_terms("<b>县管校聘</b>与校聘", ["县管校聘", "校聘"]) == (
        "&lt;b&gt;<mark>县管校聘</mark>&lt;/b&gt;与<mark>校聘</mark>"
    )


def test_serve_shows_live_data_read_only(tmp_path, sample_db, settings, pipeline):
    """Datasette reads the corpus as it is now (not an immutable snapshot) and never writes."""
    import asyncio

    from junheng import api
    from junheng.api.serve import build_datasette

    db = str(tmp_path / "live.db")
    Path(db).write_bytes(Path(sample_db).read_bytes())
    ds = build_datasette(db, settings=settings)

    async def count() -> int:
        r = await ds.client.get("/corpus.json?sql=select+count(*)+as+n+from+documents&_shape=array")
        return r.json()[0]["n"]

    first = asyncio.run(count())
    extra = tmp_path / "new.txt"
    extra.write_text("云和县推进集团化办学，组建教育集团5个。", encoding="utf-8")
    api.ingest([extra], db=db, settings=settings, pipeline=pipeline)
    assert [asyncio.run(count()) for _ in range(4)] == [first + 1] * 4
    write = asyncio.run(ds.client.get("/corpus.json?sql=delete+from+documents"))
    assert write.status_code >= 400
    assert asyncio.run(count()) == first + 1
