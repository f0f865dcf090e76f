"""Lexicon measures: variants, longest match, offsets into the original text, context rules."""

from tests.conftest import analyse_text


def measures(pipeline, text):
    doc = analyse_text(pipeline, text)
    out = [(m.term, m.canonical, m.category) for s in doc.sentences for m in s.measures]
    for s in doc.sentences:
        for m in s.measures:
            assert doc.source.text[m.start : m.end] == m.term
    return out


def test_variants_collapse_to_the_canonical_term(pipeline):
    found = measures(pipeline, "新田县深化县管校聘管理改革,推进“县管校聘”改革。")
    assert [c for _, c, _ in found] == ["县管校聘", "县管校聘"]
    assert found[0][2] == "teacher_allocation"


def test_traditional_and_pinyin_debris_keep_original_terms(pipeline):
    found = measures(pipeline, "推進縣管校聘，試行學區(qū)制改革。")
    assert ("縣管校聘", "县管校聘", "teacher_allocation") in found
    assert any(t.startswith("學區(qū)制") and c == "学区制" for t, c, _ in found)


def test_fullwidth_text_offsets(pipeline):
    text = "全面落实“双减”，开展课后服务“５＋２”模式。"
    found = measures(pipeline, text)
    assert ("双减", "双减", "double_reduction") in found or (
        "“双减”",
        "双减",
        "double_reduction",
    ) in found
    assert any(c == "5+2" for _, c, _ in found)


def test_overlapping_forms_merge_under_the_head(pipeline):
    found = measures(pipeline, "加快推进义务教育标准化学校建设。")
    assert found == [("义务教育标准化学校建设", "标准化学校建设", "school_standardization")]


def test_document_titles_and_honours_are_not_measures(pipeline):
    assert measures(pipeline, "印发《关于推进集团化办学的实施意见》。") == []
    assert measures(pipeline, "该县先后获评全国县管校聘管理体制改革示范县。") == []
    assert measures(pipeline, "大力推进县管校聘管理体制改革示范县建设。") != []
    # a list of honours closed as such: every term in it is a title
    honours = "该区先后获全国责任督学挂牌督导创新区、全国义务教育课后服务典型案例单位等荣誉。"
    assert measures(pipeline, honours) == []
    # approval for a pilot is a measure, and so is passing a national assessment
    assert measures(pipeline, "该县获批全国义务教育课后服务试点，全面推行课后服务。") != []
    assert measures(pipeline, "该县通过全国义务教育发展基本均衡县评估认定。") != []


def test_groups_need_an_action(pipeline):
    assert measures(pipeline, "留守儿童占在校生的三成。") == []
    assert [c for _, c, _ in measures(pipeline, "建立留守儿童关爱机制。")] == ["留守儿童关爱"]
    assert [c for _, c, _ in measures(pipeline, "每年选派骨干教师到乡村学校支教。")] == [
        "骨干教师",
        "支教",
    ]


def test_goals_are_not_measures(pipeline):
    assert measures(pipeline, "促进义务教育优质均衡发展。") == []
    assert [c for _, c, _ in measures(pipeline, "加快推进义务教育优质均衡发展创建工作。")] == [
        "优质均衡创建"
    ]


def test_tilt_measures_written_apart(pipeline):
    assert measures(pipeline, "职称评聘中向乡村教师倾斜。") == [
        ("职称评聘中向乡村教师倾斜", "职称评聘倾斜", "teacher_support_development")
    ]
    assert [c for _, c, _ in measures(pipeline, "经费重点向农村和薄弱学校倾斜。")] == ["经费倾斜"]


def test_shortfalls_are_problems_not_measures(pipeline):
    assert measures(pipeline, "三是教育信息化应用水平不高。") == []
    assert [c for _, c, _ in measures(pipeline, "加强教育信息化建设。")] == ["教育信息化"]


def test_more_shortfalls_and_actions(pipeline):
    assert measures(pipeline, "二是教师结构性缺编突出。") == []
    assert measures(pipeline, "县城学校大班额问题尚未彻底消除。") == []
    found = [c for _, c, _ in measures(pipeline, "严格校外培训机构审批和监管。")]
    assert found == ["校外培训机构"]
    assert [c for _, c, _ in measures(pipeline, "全县突出师德师风建设。")] == ["师德师风建设"]


def test_allowances_written_apart_and_offices(pipeline):
    found = measures(pipeline, "为乡村教师每人每月发放生活补助700元至1500元。")
    assert [(c, k) for _, c, k in found] == [("乡村教师生活补助", "teacher_support_development")]
    assert measures(pipeline, "请向省政府教育督导委员会办公室反映。") == []


def test_indicators_reached_and_lists_of_allowances(pipeline):
    assert [c for _, c, _ in measures(pipeline, "九年义务教育巩固率达100%。")] == ["巩固率"]
    found = [c for _, c, _ in measures(pipeline, "实施乡村教师支持计划、落实乡村教师生活补助。")]
    assert found == ["乡村教师支持计划", "乡村教师生活补助"]


def test_junheng_variants_of_spec_terms(pipeline):
    assert [c for _, c, _ in measures(pipeline, "全区推行“区管校聘”改革。")] == ["县管校聘"]
    found = measures(pipeline, "实施青蓝结对工程。")
    assert [(c, k) for _, c, k in found] == [("青蓝工程", "teacher_support_development")]


def test_negations_and_terms_that_are_their_own_action(pipeline):
    assert measures(pipeline, "我县尚未推行县管校聘管理改革。") == []
    assert measures(pipeline, "目前全县没有实行学区制管理。") == []
    assert [c for _, c, _ in measures(pipeline, "今年新建学校3所。")] == ["新建学校"]
    found = [c for _, c, _ in measures(pipeline, "生均公用经费小学每生每年720元。")]
    assert found == ["生均公用经费"]
    found = [c for _, c, _ in measures(pipeline, "全市投入义务教育经费156.3亿元。")]
    assert found == ["教育经费投入"]


def test_negation_must_govern_the_measure(pipeline):
    assert measures(pipeline, "同时，我县尚未推行教师“县管校聘”改革。") == []
    found = [c for _, c, _ in measures(pipeline, "我县为没有食堂的学校实施营养改善计划配餐。")]
    assert found == ["营养改善计划"]
    found = [c for _, c, _ in measures(pipeline, "目前全县没有一所学校不开展课后服务。")]
    assert found == ["课后服务"]
