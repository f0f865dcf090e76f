import pytest

from junheng.nlp.places import Tokens, markers


def places(pipeline, text, context=()):
    rec = pipeline.nlp.get_pipe("junheng_places").recognizer
    return [
        (m.surface, m.region.name, m.method)
        for m in rec.find(Tokens(pipeline.segmenter.cut(text)), context=list(context))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "双方签订合作协议,加强城区学校建设。",
        "新城区学校和老城区学校学位紧张。",
        "推进开发区建设和高新区学校布局。",
        "文化德育活动丰富多彩。",
        "发展资源共享平台,开展合作交流。",
    ],
)
def test_ordinary_words_are_not_places(pipeline, text):
    assert places(pipeline, text) == []


def test_full_names_and_parent_qualified_generic_names(pipeline):
    found = places(pipeline, "湖南省新田县和阳泉市城区开展交流。")
    assert ("新田县", "新田县", "full") in found
    assert ("城区", "城区", "full") in found
    assert ("湖南省", "湖南省", "full") in found


def test_short_names_need_support_from_the_document(pipeline, gazetteer):
    hunan = gazetteer.find_region("湖南省")
    assert ("雨花", "雨花区", "short") in places(pipeline, "以雨花“新三好”为抓手。", hunan)
    assert ("新田", "新田县", "short") in places(pipeline, "“新田经验”在全省推介。", hunan)
    sichuan = gazetteer.find_region("四川省")
    assert places(pipeline, "以雨花“新三好”为抓手。", sichuan) == []


def test_ambiguous_name_resolved_by_context_or_left_out(pipeline, gazetteer):
    assert places(pipeline, "朝阳区教育委员会召开会议。") == []
    found = places(pipeline, "北京市朝阳区教育委员会召开会议。")
    assert ("朝阳区", "朝阳区", "full") in found
    beijing = gazetteer.find_region("北京市")
    assert places(pipeline, "朝阳区教育委员会召开会议。", beijing) == [("朝阳区", "朝阳区", "full")]


def test_markers():
    strong, weak = markers("该县出台方案,县委县政府高度重视,全县104个教学点优化。")
    assert strong == {"县"} and weak == {"县"}
    strong, weak = markers("在全市率先开展试点,居全市第一。")
    assert not strong and not weak


def test_city_short_forms_are_places_without_support(pipeline):
    # prefecture-level cities by their short names, whatever jieba counts them as
    for text, city in [
        ("温州网讯 今年温州将新改扩建中小学181所。", "温州市"),
        ("张家口8个县建设53个教师周转房项目。", "张家口市"),
        ("银川聚焦群众关切，制定11项具体措施。", "银川市"),
    ]:
        assert (city[:-1], city, "short") in places(pipeline, text), text
    # the few that are ordinary words first
    assert places(pipeline, "阿里巴巴捐赠教学设备。") == []


def test_former_names_as_written(pipeline):
    found = places(pipeline, "横县隶属南宁市，户县地处关中平原。")
    assert ("横县", "横县", "former") in found and ("户县", "户县", "former") in found


def test_list_items_left_out_as_words_are_completed_by_the_list(pipeline):
    # 长安 (also 石家庄's, and a word) and 高陵 (a word) are items of a list of 西安 districts
    found = places(pipeline, "其中长安、周至、临潼、蓝田、高陵和灞桥区各15名。")
    assert [(f[1]) for f in found] == ["长安区", "周至县", "临潼区", "蓝田县", "高陵区", "灞桥区"]
    assert places(pipeline, "长安街两侧的高陵和古迹。") == []


def test_short_form_of_a_name_ending_in_lin_qu(gazetteer):
    beilin = gazetteer.find_region("碑林区")[0]
    assert gazetteer.short_forms(beilin) == ["碑林"]


def test_residence_categories_are_no_self_reference():
    assert markers("非本市户籍学生按以下顺序招生。") == (set(), set())
    assert markers("持本市居住证的随迁子女入学。") == (set(), set())
    assert markers("本市将推进学区制改革。")[0] == {"市"}


def test_verbs_before_an_institution_are_no_short_names(pipeline):
    # 新建 is 南昌's 新建区 by name, and a verb before 高新区实验小学
    assert [f[1] for f in places(pipeline, "青岛市高新区新建高新区实验小学等3所学校。")] == [
        "青岛市"
    ]
    assert ("长沙", "长沙市", "short") in places(pipeline, "长沙高新区推进集团化办学。")
