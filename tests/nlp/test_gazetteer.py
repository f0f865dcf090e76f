import pytest

from junheng.nlp.trie import trie_regex


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("武冈市", ("湖南省", "邵阳市", "武冈市")),
        ("芷江县", ("湖南省", "怀化市", "芷江侗族自治县")),
        ("芷江侗族自治县", ("湖南省", "怀化市", "芷江侗族自治县")),
        ("成都市", ("四川省", "成都市", "")),
        ("北京市", ("北京市", "北京市", "")),
        ("海淀区", ("北京市", "北京市", "海淀区")),
        ("甘孜州", ("四川省", "甘孜藏族自治州", "")),
        ("广西", ("广西壮族自治区", "", "")),
        ("济源市", ("河南省", "", "济源市")),
    ],
)
def test_lookup(gazetteer, name, expected):
    regions = gazetteer.find_region(name)
    assert len(regions) == 1
    r = regions[0]
    assert (r.province, r.city, r.county) == expected


def test_ambiguous_names_keep_every_candidate(gazetteer):
    provinces = {r.province for r in gazetteer.find_region("朝阳区")}
    assert provinces == {"北京市", "吉林省"}


def test_region_hierarchy(gazetteer):
    (r,) = gazetteer.find_region("新田县")
    assert r.adcode == "431128"
    assert r.at("city").city == "永州市" and r.at("city").adcode == "431100"
    assert r.at("province").province == "湖南省"
    assert gazetteer.parent(r).name == "永州市"
    (haidian,) = gazetteer.find_region("海淀区")
    assert haidian.at("city").adcode == "110100"


def test_trie_regex_prefers_longest():
    import re

    pattern = re.compile(trie_regex(["新田", "新田县", "田县"]))
    assert [m.group() for m in pattern.finditer("新田县和新田")] == ["新田县", "新田"]
