"""Functional zones as places, on texts written for these tests."""

from junheng.nlp.zones import zone_code
from junheng.records import Region
from tests.conftest import analyse_text


def places_of(doc):
    return [(m.surface, m.region.city, m.region.county) for s in doc.sentences for m in s.places]


def test_zone_after_its_city(pipeline):
    found = places_of(analyse_text(pipeline, "长沙高新区推进集团化办学，新增学位3000个。"))
    assert ("长沙高新区", "长沙市", "长沙高新区") in found


def test_zone_glued_to_its_city_in_one_token(pipeline):
    found = places_of(analyse_text(pipeline, "武汉经济技术开发区推进学区制办学。"))
    assert found == [("武汉经济技术开发区", "武汉市", "武汉经济技术开发区")]


def test_zone_after_a_full_city_name(pipeline):
    found = places_of(analyse_text(pipeline, "成都市高新区全面推行集团化办学。"))
    assert [f[1:] for f in found] == [("成都市", "成都高新区")]
    found = places_of(analyse_text(pipeline, "贵州省铜仁市大龙经济开发区建成学校3所。"))
    assert ("大龙经济开发区", "铜仁市", "大龙经济开发区") in found


def test_bare_zone_as_an_item_inside_a_one_city_text(pipeline):
    text = (
        "郑州市新学期新增学校\n"
        "记者从郑州市教育局获悉，金水区新投入使用3所学校。\n"
        "此外，经开区有5所新建小学投入使用。\n"
    )
    doc = analyse_text(pipeline, text)
    assert [a.region.county for a in doc.sentences[2].regions] == ["郑州经开区"]


def test_new_area_words_that_are_no_zone(pipeline):
    text = (
        "天津市滨海新区推进集团化办学\n"
        "滨海新区组建教育集团12个。\n"
        "新区教体局出台实施方案，推动新区学校建设。\n"
    )
    doc = analyse_text(pipeline, text)
    assert {a.region.county for s in doc.sentences for a in s.regions} == {"滨海新区"}


def test_zone_named_with_its_county_is_the_county(pipeline):
    found = places_of(analyse_text(pipeline, "乌鲁木齐高新区（新市区）推进集团化办学。"))
    assert ("乌鲁木齐市", "新市区") in [f[1:] for f in found]
    assert all("高新区" not in f[2] for f in found)


def test_one_zone_one_code_whatever_its_zone_word():
    wuhan = Region("湖北省", "武汉市", "", "420100")
    assert zone_code(wuhan, "武汉经开区") == zone_code(wuhan, "武汉经济技术开发区")
    assert zone_code(wuhan, "武汉经开区").startswith("4201Z")
    assert zone_code(wuhan, "武汉高新区") != zone_code(wuhan, "武汉经开区")


def test_zone_labelling_a_paragraph_of_a_city_roundup(pipeline):
    text = "珠海市各区推进教育民生实事\n斗门区：投入1.2亿元实施农村学校提升工程。\n横琴新区：新建横琴第一中学投入使用。\n"
    doc = analyse_text(pipeline, text)
    assert [a.region.county for a in doc.sentences[2].regions] == ["横琴新区"]
