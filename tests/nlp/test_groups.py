"""Sentences that speak for several places, on texts written for these tests."""

from junheng.nlp.groups import group_count
from tests.conftest import analyse_text


def regions_of(doc):
    return [[a.region.name for a in s.regions] for s in doc.sentences if not s.boilerplate]


def test_a_list_with_amounts_gives_every_listed_place(pipeline):
    text = (
        "岳阳市推进农村学校改造\n"
        "岳阳市启动农村学校食堂改造工程，其中包括岳阳县12所、华容县20所、平江县35所。\n"
    )
    assert regions_of(analyse_text(pipeline, text))[1] == ["岳阳县", "华容县", "平江县"]


def test_a_pilot_list_after_zai_closed_by_a_count_is_where_it_happens(pipeline):
    text = (
        "广州市推进集团化办学\n"
        "2022年，广州市在越秀、海珠、天河3个区先行试点集团化办学。\n"
        "在广州召开的现场会上，各区交流了经验。\n"
    )
    regions = regions_of(analyse_text(pipeline, text))
    assert regions[1] == ["越秀区", "海珠区", "天河区"]
    assert regions[2] == ["广州市"]  # 在广州召开: a venue, not a list


def test_city_labelled_lines_and_a_group_reference(pipeline):
    text = (
        "陕西首批6个县（区）通过义务教育优质均衡发展国家督导评估\n"
        "近日，教育部公布名单，我省6个县（区）榜上有名。\n"
        "西安市：雁塔区、碑林区\n"
        "宝鸡市：金台区\n"
        "咸阳市：杨陵区、秦都区、兴平市\n"
        "这6个县（区）将持续巩固优质均衡发展成果。\n"
    )
    regions = regions_of(analyse_text(pipeline, text))
    six = ["雁塔区", "碑林区", "金台区", "杨陵区", "秦都区", "兴平市"]
    assert sorted(regions[0]) == sorted(six)  # the headline refers to the six
    assert regions[2] == ["雁塔区", "碑林区"]
    assert regions[3] == ["金台区"]  # a city label is not the place of its county
    assert sorted(regions[5]) == sorted(six)


def test_the_lead_of_an_enumeration_speaks_for_its_items(pipeline):
    text = (
        "邵阳市公布乡村教师定向培养计划\n"
        "我市今年定向培养乡村教师的具体计划为：隆回县80名；\n"
        "洞口县60名；\n"
        "新宁县45名；\n"
        "城步苗族自治县30名。\n"
    )
    regions = regions_of(analyse_text(pipeline, text))
    assert regions[1] == ["隆回县", "洞口县", "新宁县", "城步苗族自治县"]
    assert regions[3] == ["新宁县"]


def test_places_that_only_qualify_a_group_are_not_the_group(pipeline):
    text = (
        "安徽7个县通过国家督导评估\n"
        "我省合肥、六安和安庆3市的7个县（市、区）通过评估，分别为肥东县、肥西县、长丰县、"
        "霍山县、金寨县、岳西县、潜山市。\n"
    )
    regions = regions_of(analyse_text(pipeline, text))
    assert "合肥市" not in regions[1]
    assert regions[1] == ["肥东县", "肥西县", "长丰县", "霍山县", "金寨县", "岳西县", "潜山市"]


def test_districts_a_city_gives_tasks_stay_with_the_city(pipeline):
    text = (
        "株洲市推进义务教育均衡发展\n"
        "株洲市教育局出台实施方案。\n"
        "荷塘区、芦淞区要在2025年全面消除大班额。\n"
    )
    assert regions_of(analyse_text(pipeline, text))[2] == ["株洲市"]


def test_a_target_count_is_no_reference_to_a_short_list(pipeline):
    text = (
        "凉山州推进控辍保学\n"
        "昭觉县：该县建成寄宿制学校27所。\n"
        "西昌市：严格落实公民同招政策。\n"
        "州教育局表示，力争到2027年全州有3个县通过国家督导评估认定。\n"
    )
    assert regions_of(analyse_text(pipeline, text))[3] == ["凉山彝族自治州"]


def test_group_counts():
    assert group_count("这9个县（市、区）分别为") == 9
    assert group_count("内蒙古首批8个旗县（区）获评") == 8
    assert group_count("我市参评的5个辖市区全部通过认定") == 5
    assert group_count("我省长治、忻州和临汾3市的9个县（市、区）入选") == 9
    assert group_count("两区签订教育联合体协议") == 2
    assert group_count("全县新建学校3所") is None


def test_after_an_enumeration_the_text_is_not_its_last_items(pipeline):
    text = (
        "河北省10个县通过省级评估\n"
        "经省级实地评估，以下3个县（市、区）通过义务教育优质均衡发展省级评估：\n"
        "石家庄市：正定县、栾城区\n"
        "衡水市：冀州区\n"
        "通知要求，各地要对照省级评估反馈的问题建立整改台账。\n"
    )
    regions = regions_of(analyse_text(pipeline, text))
    assert regions[2] == ["正定县", "栾城区"] and regions[3] == ["冀州区"]
    assert regions[4] == ["河北省"]


def test_a_labelled_paragraph_is_no_enumeration_line(pipeline):
    text = (
        "珠海市各区推进教育民生实事\n"
        "香洲区：新建、改扩建中小学9所，新增学位8640个；\n"
        "推进集团化办学，组建教育集团6个。\n"
        "金湾区：实施“强校带弱校”工程。\n"
    )
    assert regions_of(analyse_text(pipeline, text))[1:] == [["香洲区"], ["香洲区"], ["金湾区"]]
