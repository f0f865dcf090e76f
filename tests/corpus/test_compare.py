from junheng import api
from junheng.render import render_comparison

SAMPLE_ROWS = {"武冈市", "云和县", "新田县", "湘乡市", "沅江市", "雨花区", "华阴市", "成都市"}


def test_county_table_of_the_sample(sample_db, settings, pipeline):
    table = api.compare(by="county", db=sample_db, settings=settings, pipeline=pipeline)
    labels = {r.label for r in table.rows}
    assert labels >= SAMPLE_ROWS
    chengdu = next(r for r in table.rows if r.label == "成都市")
    assert chengdu.level == "city"
    assert "泛亚电竞" not in labels
    for row in table.rows:
        cells = [c.sentences for c in row.cells.values()]
        assert max(cells) <= row.total <= sum(cells)  # distinct sentences of the row
        assert all(len(c.measures) <= c.sentences * 10 for c in row.cells.values())


def test_levels_aggregate(sample_db, settings, pipeline):
    county = api.compare(by="county", db=sample_db, settings=settings, pipeline=pipeline)
    province = api.compare(by="province", db=sample_db, settings=settings, pipeline=pipeline)
    hunan = next(r for r in province.rows if r.label == "湖南省")
    hunan_counties = [r for r in county.rows if r.province == "湖南省"]
    assert max(r.total for r in hunan_counties) <= hunan.total
    assert hunan.total <= sum(r.total for r in hunan_counties)
    city = api.compare(by="city", db=sample_db, settings=settings, pipeline=pipeline)
    assert {"邵阳市", "丽水市", "永州市", "成都市"} <= {r.label for r in city.rows}


def test_formats(sample_db, settings, pipeline):
    import csv
    import io
    import json

    from junheng.models.taxonomy import load_taxonomy

    table = api.compare(db=sample_db, settings=settings, pipeline=pipeline)
    tax = load_taxonomy()
    data = json.loads(render_comparison(table, tax, "json"))
    assert {r["region"] for r in data["rows"]} >= SAMPLE_ROWS
    rows = list(csv.DictReader(io.StringIO(render_comparison(table, tax, "csv"))))
    assert len(rows) == len(table.rows) and "double_reduction_measures" in rows[0]
    md = render_comparison(table, tax, "md")
    assert md.splitlines()[0].startswith("| 地区 |") and "新田县" in md


def test_spam_and_sidebars_never_reach_the_counts(sample_db):
    from junheng.corpus.store import Corpus

    with Corpus.open(sample_db, create=False) as corpus:
        assert (
            corpus.query("select count(*) n from measures where term like '%泛亚电竞%'")[0]["n"]
            == 0
        )
        assert corpus.query("select count(*) n from regions where name like '%泛亚%'")[0]["n"] == 0
        # the finance/news sidebar of sample 000 and the related-reading list of sample 004
        sidebar = corpus.query(
            "select s.boilerplate, s.adcode from sentences s join documents d on d.id = s.document_id"
            " where s.text like '%盖茨基金会%' or s.text like '%焦作市解放区%'"
            " or s.text like '%湖北将招募800名银龄教师%'"
        )
        assert sidebar and all(r["boilerplate"] == 1 and r["adcode"] is None for r in sidebar)
        labels = {
            r["name"]
            for r in corpus.query(
                "select distinct r.name from sentences s join regions r on r.adcode = s.adcode"
            )
        }
    assert not labels & {"焦作市", "解放区", "湖北省", "威海市", "常州市"}


def test_repeated_text_counts_once(settings, pipeline, tmp_path):
    caption = "新田县深化教师县管校聘管理改革。"
    (tmp_path / "a.txt").write_text(
        f"新田县教育局\n新田县实施县管校聘改革，交流轮岗教师300人。\n{caption}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        f"新田县融媒体中心\n{caption}\n新田县推进乡村教师周转宿舍建设，落实乡村教师生活补助。\n"
        "新田县全面推行中小学校长职级制改革。\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "c.db")
    api.ingest([tmp_path], db=db, settings=settings, pipeline=pipeline)
    table = api.compare(db=db, settings=settings, pipeline=pipeline)
    row = next(r for r in table.rows if r.label == "新田县")
    cell = row.cells["teacher_allocation"]
    items = api.evidence(
        strategy="teacher_allocation", region="新田县", db=db, settings=settings, pipeline=pipeline
    )
    texts = [e.text for e in items]
    assert caption in texts and len(texts) == len(set(texts)) == cell.sentences == 3
    distinct = set()
    for sid in table.strategies:
        distinct |= {
            e.text
            for e in api.evidence(
                strategy=sid, region="新田县", db=db, settings=settings, pipeline=pipeline
            )
        }
    assert row.total == len(distinct)
    csv_text = render_comparison(table, pipeline.taxonomy, "csv")
    assert csv_text.startswith(
        "region,level,adcode,province,city,county,documents,distinct_sentences"
    )
