"""Measures beyond the lexicon, figures tied to measures, and corpus-level term discovery."""

import pytest

from junheng.nlp import newmeasures
from junheng.nlp.figures import attach, find_figures
from junheng.nlp.newterms import discover
from tests.conftest import analyse_text

# fmt: off
QUOTED = [
    ("实行“一线工作法”,定期到学校开展督导。", ["一线工作法"]),
    ("大力实施校园“四师”行动计划,配齐营养师。", ["四师"]),
    ("实施“非遗”进校园工程,每位学生学会一项技艺。", ["非遗"]),
    ("开展“一校一品牌、一班一特色”创建活动。", ["一校一品牌、一班一特色"]),
    ("组织实施了“扫盲”、“普六”等教育工程。", ["普六"]),
    ("教育是“压舱石”,也是“风向标”。", []),
    ("增强“四个意识”,树牢“四个自信”。", []),
    ("使以往的“套餐”模式变为“自助餐”模式。", []),
    ("形成“校长—副校长—主任”顶层赛课模式。", []),
    ("获评“全国义务教育课后服务典型案例”称号。", []),
]
VERB_OBJECT = [
    ("大力实施学生关爱工程,全面提升特殊群体保障水平。", ["学生关爱工程"]),
    ("全面实施优质学校培育计划。", ["优质学校培育计划"]),
    ("实施新一轮义务教育质量提升工程。", ["义务教育质量提升工程"]),
    ("实施四项工程。", []),
]
# fmt: on


@pytest.mark.parametrize(("sentence", "names"), QUOTED)
def test_quoted_names(segmenter, sentence, names):
    found = newmeasures.quoted_names(sentence, set(), lambda w: segmenter.base_freq(w) > 0)
    assert [c.canonical for c in found] == names


@pytest.mark.parametrize(("sentence", "names"), VERB_OBJECT)
def test_verb_object(sentence, names):
    assert [c.canonical for c in newmeasures.verb_object(sentence, set())] == names


def test_lexicon_forms_are_left_to_the_lexicon():
    assert newmeasures.quoted_names("推行“县管校聘”改革。", {"县管校聘"}) == []


def test_new_measures_in_the_pipeline_get_offsets_method_and_category(pipeline):
    text = "搭建“云堂课”网络课堂平台,城乡学校同步共享优质课程资源。"
    doc = analyse_text(pipeline, text)
    (m,) = [m for s in doc.sentences for m in s.measures if m.method == "quoted"]
    assert m.canonical == "云堂课" and text[m.start : m.end] == m.term
    assert m.category == "digital_resource_sharing"


def test_figures():
    figs = find_figures(
        "交流轮岗300余人次,新增学位8548个,投入5.5亿元,新增城区学位2.9万个,覆盖率达100%。"
    )
    assert [(f.value, f.unit, f.approximate) for f in figs] == [
        (300, "人次", True),
        (8548, "个", False),
        (5.5e8, "元", False),
        (29000, "个", False),
        (100, "%", False),
    ]


def test_figures_with_thousands_separators():
    figs = find_figures("交流轮岗教师1,260人次，投入1，200万元。")
    assert [(f.value, f.unit) for f in figs] == [(1260, "人次"), (12_000_000, "元")]


def test_figures_attach_to_the_measure_of_their_clause():
    text = "推进县管校聘改革,交流轮岗300余人次;新增学位8548个。"
    a = text.index("交流轮岗")
    b = text.index("新增学位")
    tied = attach(text, [(a, a + 4), (b, b + 4)])
    assert [f.text for f in tied[0]] == ["300余人次"] and [f.text for f in tied[1]] == ["8548个"]


def test_figures_in_the_contract(pipeline):
    doc = analyse_text(pipeline, "全县交流轮岗教师300余人次,新增学位8548个。")
    by = {m.canonical: m for s in doc.sentences for m in s.measures}
    assert [f.text for f in by["交流轮岗"].figures] == ["300余人次"]
    assert (
        doc.source.text[by["新增学位"].figures[0].start : by["新增学位"].figures[0].end] == "8548个"
    )


def test_discovery_brings_back_removed_lexicon_terms(pipeline, sample_texts):
    """Remove a handful of terms from the lexicon: corpus statistics propose them again."""
    removed = {"集团化办学", "课后服务", "师德师风", "五育并举", "书香校园", "教育联盟", "县管校聘"}
    sentences = []
    for text in sample_texts.values():
        doc = analyse_text(pipeline, text)
        sentences += [doc.cleaned_text(s.start, s.end) for s in doc.sentences if not s.boilerplate]
    forms = set(pipeline.lexicon.forms())
    known = {f for f in forms if not any(r in f for r in removed)}
    found = {
        c.term
        for c in discover(
            sentences, known=known, is_word=lambda w: pipeline.segmenter.base_freq(w) > 0
        )
    }
    back = {r for r in removed if r in found}
    assert len(back) >= 5, back
    assert "泛亚电竞" not in found  # spam does not come back as a term


def test_quoted_name_takes_the_category_its_own_words_give(pipeline):
    doc = analyse_text(pipeline, "全县推进教师交流轮岗，实施“城乡学校一体化办学”改革。")
    found = {m.canonical: m.category for s in doc.sentences for m in s.measures}
    assert found["城乡学校一体化办学"] == "school_collaboration"
    assert found["交流轮岗"] == "teacher_allocation"


def test_corner_brackets_quote_a_name_like_double_quotes(pipeline):
    from tests.conftest import analyse_text

    doc = analyse_text(
        pipeline,
        "新田县教育局\n新田县实施『强师铸魂』工程，培训教师500人。\n新田县启动『四名』建设计划。\n",
    )
    found = {m.canonical: m.method for m in doc.measures}
    assert found == {"强师铸魂": "quoted", "四名": "quoted"}
    assert not any(ch in c for c in found for ch in "『』「」")
