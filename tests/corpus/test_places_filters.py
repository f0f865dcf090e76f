"""One place-name resolver for every command: qualified names work everywhere, an ambiguous
name is one clear error everywhere, and table rows name the city of an ambiguous county."""

import pytest

from junheng import api
from junheng.errors import QueryError


@pytest.fixture(scope="module")
def two_changan(tmp_path_factory, settings, pipeline):
    folder = tmp_path_factory.mktemp("changan")
    (folder / "xa.txt").write_text(
        "西安市长安区教育局\n西安市长安区推进集团化办学，组建教育集团5个。\n"
        "西安市长安区实施县管校聘改革，交流轮岗教师200人。\n",
        encoding="utf-8",
    )
    (folder / "sjz.txt").write_text(
        "石家庄市长安区教育局\n石家庄市长安区推进集团化办学，组建教育集团3个。\n",
        encoding="utf-8",
    )
    db = str(folder / "c.db")
    api.ingest([folder], db=db, settings=settings, pipeline=pipeline)
    return db


def _call(command, db, settings, pipeline, region):
    if command == "compare":
        return api.compare(db=db, settings=settings, pipeline=pipeline, region=region)
    if command == "evidence":
        return api.evidence(
            strategy="school_collaboration",
            region=region,
            db=db,
            settings=settings,
            pipeline=pipeline,
        )
    if command == "search":
        return api.search("集团化办学", region=region, db=db, settings=settings, pipeline=pipeline)
    if command == "measures":
        return api.list_measures(db=db, region=region, settings=settings)
    return api.export("sentences", "/dev/null.csv", db=db, settings=settings, region=region)


@pytest.mark.parametrize("command", ["compare", "evidence", "search", "measures", "export"])
def test_ambiguous_name_is_the_same_error_everywhere(two_changan, settings, pipeline, command):
    with pytest.raises(QueryError, match=r"ambiguous.*陕西省西安市长安区"):
        _call(command, two_changan, settings, pipeline, "长安区")
    with pytest.raises(QueryError, match=r"ambiguous.*北京市朝阳区"):
        _call(command, two_changan, settings, pipeline, "朝阳区")


def test_qualified_names_are_accepted_everywhere(two_changan, settings, pipeline):
    for name in ("西安市长安区", "陕西省西安市长安区", "610116"):
        table = _call("compare", two_changan, settings, pipeline, name)
        assert [r.label for r in table.rows] == ["西安市长安区"]
        items = _call("evidence", two_changan, settings, pipeline, name)
        assert items and all("西安市" in e.text for e in items)
        hits = _call("search", two_changan, settings, pipeline, name).hits
        assert [h.text[:5] for h in hits] == ["西安市长安"]
        assert _call("measures", two_changan, settings, pipeline, name)
    empty = api.search(
        "集团化办学", region="北京市朝阳区", db=two_changan, settings=settings, pipeline=pipeline
    )
    assert empty.hits == ()


def test_rows_of_an_ambiguous_county_name_its_city(two_changan, settings, pipeline):
    table = api.compare(db=two_changan, settings=settings, pipeline=pipeline)
    assert sorted(r.label for r in table.rows) == ["石家庄市长安区", "西安市长安区"]
