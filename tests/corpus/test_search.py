import pytest

from junheng import api
from junheng.errors import QueryError, TaxonomyError


@pytest.mark.parametrize("query", ["双减", "办学", "集团化办学", "县管校聘"])
def test_short_and_long_queries_match(sample_db, settings, pipeline, query):
    result = api.search(query, db=sample_db, settings=settings, pipeline=pipeline)
    assert result.hits, query
    for hit in result.hits:
        assert hit.matches and hit.text[hit.matches[0][0] : hit.matches[0][1]]


def test_fts_syntax_is_treated_as_text(sample_db, settings, pipeline):
    for query in ['"县管 OR', "NEAR(双减", "双减 AND", "课后服务*", "-双减"]:
        api.search(query, db=sample_db, settings=settings, pipeline=pipeline)


def test_query_without_words(sample_db, settings, pipeline):
    with pytest.raises(QueryError):
        api.search("“”。", db=sample_db, settings=settings, pipeline=pipeline)
    for mode in ("semantic", "hybrid"):  # nothing to embed either
        with pytest.raises(QueryError):
            api.search(" ，", db=sample_db, settings=settings, pipeline=pipeline, mode=mode)


def test_region_and_strategy_filters(sample_db, settings, pipeline):
    hits = api.search(
        "教师", db=sample_db, region="湖南省", settings=settings, pipeline=pipeline, limit=50
    ).hits
    assert hits and all(h.region is not None and h.region.province == "湖南省" for h in hits)
    hits = api.search(
        "课后服务", db=sample_db, strategy="double_reduction", settings=settings, pipeline=pipeline
    ).hits
    assert hits and all("double_reduction" in h.strategies for h in hits)
    with pytest.raises(QueryError, match="unknown region"):
        api.search("教师", db=sample_db, region="不存在县", settings=settings, pipeline=pipeline)
    with pytest.raises(TaxonomyError):
        api.search("教师", db=sample_db, strategy="nope", settings=settings, pipeline=pipeline)


def test_boilerplate_is_not_searched(sample_db, settings, pipeline):
    # 盖茨基金会 appears only in the finance sidebar of sample 000
    assert api.search("盖茨基金会", db=sample_db, settings=settings, pipeline=pipeline).hits == ()


def test_longer_forms_and_words_cut_across_tokens_are_found(settings, pipeline, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(
        "新田县推进名校集团化办学，成立教育集团。\n"
        "义务教育标准化学校建设投入加大。\n"
        "标准化学校的建设还要加强。\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "c.db")
    api.ingest([src], db=db, settings=settings, pipeline=pipeline)

    def texts(q):
        return [h.text for h in api.search(q, db=db, settings=settings, pipeline=pipeline).hits]

    assert texts("集团化办学") == ["新田县推进名校集团化办学，成立教育集团。"]
    assert texts("名校集团化办学") == ["新田县推进名校集团化办学，成立教育集团。"]
    # the text cuts 义务教育标准化学校|建设; only the sentence that has the term is a hit
    assert texts("标准化学校建设") == ["义务教育标准化学校建设投入加大。"]
