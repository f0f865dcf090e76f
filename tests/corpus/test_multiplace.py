"""A sentence belongs to a set of places: stored in ``sentence_regions``, counted once for each
of its places everywhere (distinct sentences), matched by a filter on any of them; corpora
made before keep every attribution when they are upgraded."""

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from junheng import api
from junheng.corpus.store import Corpus
from junheng.errors import CorpusError
from junheng.records import (
    AnalysedDocument,
    Attribution,
    MeasureMention,
    Sentence,
    SourceDocument,
    StrategyScore,
)
from tests.corpus.test_tables import assert_cells_equal_evidence

TEXT = "新田县教育局\n新田县、宁远县推行县管校聘改革。\n新田县新建学校3所。\n"
SHARED = "新田县、宁远县推行县管校聘改革。"


def _document(gazetteer) -> AnalysedDocument:
    xintian = gazetteer.by_adcode["431128"]
    ningyuan = gazetteer.by_adcode["431126"]
    a = TEXT.index(SHARED)
    term = "县管校聘"
    t = TEXT.index(term, a)
    b = TEXT.index("新田县新建")
    return AnalysedDocument(
        source=SourceDocument("multi.txt", TEXT, title="两县推行县管校聘", published="2023-05-01"),
        content_hash="multi-place-test",
        sentences=(
            Sentence(0, 6, "新田县教育局", boilerplate=True, boilerplate_reason="header"),
            Sentence(
                a,
                a + len(SHARED),
                SHARED,
                regions=(
                    Attribution(xintian, 0.9, "list"),
                    Attribution(ningyuan, 0.9, "list"),
                ),
                measures=(MeasureMention(term, term, "teacher_allocation", t, t + 4),),
                strategies=(StrategyScore("teacher_allocation", 0.9),),
                instrument="mandate",
                tokens=("新田县", "、", "宁远县", "推行", "县管校聘", "改革", "。"),
            ),
            Sentence(
                b,
                b + 10,
                TEXT[b : b + 10],
                regions=(Attribution(xintian, 0.9, "subject"),),
                strategies=(StrategyScore("layout_and_capacity", 0.8),),
                tokens=("新田县", "新建", "学校", "3", "所", "。"),
            ),
        ),
        regions=(xintian, ningyuan),
        strategies=(StrategyScore("teacher_allocation", 0.9),),
    )


@pytest.fixture(scope="module")
def multi_db(tmp_path_factory, pipeline):
    db = str(tmp_path_factory.mktemp("multi") / "multi.db")
    with Corpus.open(db) as corpus:
        corpus.add(
            _document(pipeline.gazetteer),
            analysed_with="test",
            index_terms=pipeline.segmenter.index_terms,
        )
    return db


def test_sentence_regions_are_stored(multi_db):
    conn = sqlite3.connect(multi_db)
    rows = conn.execute(
        "select s.text, sr.adcode, sr.rank, sr.method from sentence_regions sr"
        " join sentences s on s.id = sr.sentence_id order by s.idx, sr.rank"
    ).fetchall()
    conn.close()
    assert rows[:2] == [(SHARED, "431128", 0, "list"), (SHARED, "431126", 1, "list")]
    assert len(rows) == 3


def test_compare_counts_the_sentence_for_each_place(multi_db, settings, pipeline):
    table = api.compare(db=multi_db, settings=settings, pipeline=pipeline)
    cells = {r.label: r.cells["teacher_allocation"].sentences for r in table.rows}
    assert cells == {"新田县": 1, "宁远县": 1}
    city = api.compare(by="city", db=multi_db, settings=settings, pipeline=pipeline)
    (yongzhou,) = city.rows
    assert yongzhou.label == "永州市" and yongzhou.cells["teacher_allocation"].sentences == 1
    assert yongzhou.total == 2  # distinct sentences, not one per place
    assert assert_cells_equal_evidence(multi_db, settings, pipeline) == 7
    for place in ("新田县", "宁远县"):
        items = api.evidence(
            strategy="teacher_allocation",
            region=place,
            db=multi_db,
            settings=settings,
            pipeline=pipeline,
        )
        assert [e.text for e in items] == [SHARED] and items[0].region == place


def test_region_filters_match_any_place(multi_db, settings, pipeline):
    only = api.compare(db=multi_db, settings=settings, pipeline=pipeline, region="宁远县")
    assert [r.label for r in only.rows] == ["宁远县"]
    hits = api.search(
        "县管校聘", region="宁远县", db=multi_db, settings=settings, pipeline=pipeline
    )
    assert [h.text for h in hits.hits] == [SHARED]
    province = api.compare(db=multi_db, settings=settings, pipeline=pipeline, province="湖南省")
    assert {r.label for r in province.rows} == {"新田县", "宁远县"}
    rows = api.list_measures(db=multi_db, region="宁远县", settings=settings)
    assert [(m.canonical, m.mentions, m.regions) for m in rows] == [
        ("县管校聘", 1, (("宁远县", 1),))
    ]


def test_other_analyses_count_each_place(multi_db, settings, pipeline, tmp_path):
    m = api.matrix(
        rows="county", cols="strategy", db=multi_db, settings=settings, pipeline=pipeline
    )
    assert m.counts[("宁远县", "teacher_allocation")] == 1
    assert m.counts[("新田县", "teacher_allocation")] == 1
    by_instrument = api.matrix(db=multi_db, settings=settings, pipeline=pipeline)
    assert by_instrument.counts[("mandate", "teacher_allocation")] == 1  # distinct sentences
    t = api.trend(strategy="teacher_allocation", db=multi_db, settings=settings, pipeline=pipeline)
    assert [(p.period, p.hits) for p in t.points] == [("2023", 1)]
    measures = api.list_measures(db=multi_db, settings=settings)
    (row,) = measures
    assert row.mentions == 1 and dict(row.regions) == {"新田县": 1, "宁远县": 1}
    timeline = api.timeline("县管校聘", db=multi_db, settings=settings, pipeline=pipeline)
    assert {t.region for t in timeline} == {"新田县", "宁远县"}
    out = tmp_path / "s.csv"
    api.export("sentences", out, db=multi_db, settings=settings)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert sorted(r["county"] for r in rows if r["text"] == SHARED) == ["宁远县", "新田县"]


def test_report_and_datasette_queries_count_each_place(multi_db, settings, pipeline, tmp_path):
    from junheng.api.report import report
    from junheng.serve.metadata import comparison_sql, evidence_sql

    conn = sqlite3.connect(f"{Path(multi_db).resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        taxonomy = pipeline.taxonomy
        got = {
            r["地区"]: r[taxonomy.short_name("teacher_allocation")]
            for r in conn.execute(comparison_sql(taxonomy, settings.strategy_threshold))
        }
        assert got == {"新田县": 1, "宁远县": 1}
        ev = conn.execute(
            evidence_sql(taxonomy, settings.strategy_threshold),
            {"region": "宁远县", "strategy": "teacher_allocation"},
        ).fetchall()
        assert [r["句子"] for r in ev] == [SHARED]
    finally:
        conn.close()
    out = tmp_path / "r.html"
    report(out=str(out), db=multi_db, settings=settings)
    html = out.read_text(encoding="utf-8")
    assert "宁远县" in html and "新田县" in html


def test_older_corpus_is_upgraded_in_place_nothing_lost(sample_db, settings, pipeline, tmp_path):
    old = tmp_path / "old.db"
    old.write_bytes(Path(sample_db).read_bytes())
    before = api.compare(db=str(old), settings=settings, pipeline=pipeline)
    conn = sqlite3.connect(old)
    with conn:  # the corpus as the code before the migration left it
        conn.execute("drop table sentence_regions")
        conn.execute("delete from _sqlite_migrations where name = 'm006_sentence_regions'")
    n_attributed = conn.execute(
        "select count(*) from sentences where adcode is not null"
    ).fetchone()
    conn.close()
    with pytest.raises(CorpusError, match="junheng upgrade"):
        api.compare(db=str(old), settings=settings, pipeline=pipeline)
    assert api.upgrade(db=str(old), settings=settings) == ["m006_sentence_regions"]
    assert api.upgrade(db=str(old), settings=settings) == []
    conn = sqlite3.connect(old)
    copied = conn.execute(
        "select count(*) from sentence_regions sr join sentences s on s.id = sr.sentence_id"
        " where sr.adcode = s.adcode and sr.rank = 0"
    ).fetchone()
    conn.close()
    assert copied == n_attributed
    after = api.compare(db=str(old), settings=settings, pipeline=pipeline)
    assert after.rows == before.rows and after.unattributed == before.unattributed
