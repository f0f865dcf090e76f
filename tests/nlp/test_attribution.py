"""Sentence → region attribution on texts written for these tests."""

from tests.conftest import analyse_text

ROUNDUP = """江西各地推进义务教育优质均衡发展
近年来,南康坚持把教育作为民生头等大事,实施城区学校扩容工程。新建改扩建学校12所,新增学位1.5万个,全区大班额全部消除。
创新推行“县管校聘”管理改革,瑞金每年安排城区教师到农村学校交流轮岗300余人次。全市农村学校教师结构明显优化。
组建城乡教育集团8个,实行集团内师资统一调配、教学统一管理。安福农村学校教学质量稳步提升,全县群众满意度达96%。
依托“互联网+教育”,婺源建成“三个课堂”应用体系。所有教学点开齐开足国家课程,农村学生共享优质课程资源。
"""

EXPECTED = ["南康区", "南康区", "瑞金市", "瑞金市", "安福县", "安福县", "婺源县", "婺源县"]


def content_regions(doc):
    return [s.region.name if s.region else None for s in doc.sentences if not s.boilerplate]


def all_regions(doc):
    """Per content sentence, the names of every place it speaks for."""
    return [[a.region.name for a in s.regions] for s in doc.sentences if not s.boilerplate]


def test_roundup_paragraphs_attributed_from_internal_evidence(pipeline):
    doc = analyse_text(pipeline, ROUNDUP)
    regions = content_regions(doc)
    assert regions[1:] == EXPECTED
    assert {r.name for r in doc.regions} >= {"南康区", "瑞金市", "安福县", "婺源县"}


def test_anaphora_follows_the_main_place(pipeline):
    text = (
        "临澧县推进教师交流轮岗\n"
        "临澧县教育局出台教师交流轮岗实施方案。\n"
        "该县每年选派30名骨干教师到农村学校任教。\n"
        "全县建立城乡学校结对帮扶机制,实现乡村学校全覆盖。\n"
    )
    doc = analyse_text(pipeline, text)
    assert set(content_regions(doc)) == {"临澧县"}
    assert doc.regions[0].city == "常德市"


def test_city_text_addressing_its_districts_stays_city_level(pipeline):
    text = (
        "长沙市推进城乡义务教育一体化\n"
        "长沙市教育局印发通知,要求各区县加快消除大班额。\n"
        "2024年,浏阳市要基本消除56人以上大班额,其余区县要全面消除大班额。\n"
        "全市新增公办学位3万个。\n"
    )
    doc = analyse_text(pipeline, text)
    assert set(content_regions(doc)) == {"长沙市"}
    assert all(s.region is None or s.region.county == "" for s in doc.sentences)


def test_city_roundup_of_its_counties_attributes_each_paragraph(pipeline):
    # a city headline, then one paragraph per county (label or subject), then two listed
    text = (
        "潍坊市多措并举推进义务教育优质均衡发展\n"
        "寿光市：全面推行学区制管理改革，将全市划分为14个学区。\n"
        "青州市：投入资金2.6亿元实施薄弱学校改造提升工程。\n"
        "昌乐县把特殊教育作为补齐短板的重点，为残疾儿童提供送教上门服务。\n"
        "奎文区、潍城区严格控制大班额，全面消除56人以上大班额。\n"
    )
    doc = analyse_text(pipeline, text)
    assert all_regions(doc) == [
        ["潍坊市"],
        ["寿光市"],
        ["青州市"],
        ["昌乐县"],
        ["奎文区", "潍城区"],
    ]


def test_counties_listed_together_each_get_the_sentence(pipeline):
    text = (
        "安吉县深化城乡教育共同体建设\n"
        "安吉县累计组建城乡教共体32个，实现乡村学校全覆盖。\n"
        "德清县、长兴县也相继出台城乡教共体三年行动计划。\n"
    )
    doc = analyse_text(pipeline, text)
    assert all_regions(doc) == [["安吉县"], ["安吉县"], ["德清县", "长兴县"]]


def test_county_written_after_its_city_is_the_county(pipeline):
    for text, county in [
        ("邵阳市武冈市推行集团化办学，组建教育集团5个。", "武冈市"),
        ("近年来，河北省邢台市威县大力实施“互联网+教育”工程。", "威县"),
        ("同期，陕西省宝鸡市陈仓区借鉴合肥经验，推行城乡教共体。", "陈仓区"),
    ]:
        assert content_regions(analyse_text(pipeline, text)) == [county], text


def test_roundup_clauses_within_one_paragraph(pipeline):
    text = (
        "合肥：教共体建设助力城乡教育优质均衡\n"
        "庐江县组建城乡教育共同体36个，实现乡村学校全覆盖；"
        "肥西县全面推行“县管校聘”，2022年交流轮岗教师达到612人。\n"
        "赤峰市红山区推行“公民同招”和划片招生；通辽市科尔沁区建成智慧教育云平台。\n"
    )
    regions = content_regions(analyse_text(pipeline, text))
    assert regions[1:] == ["庐江县", "肥西县", "红山区", "科尔沁区"]


def test_district_name_shared_by_several_cities_follows_its_qualified_mention(pipeline):
    text = (
        "鼓楼区：学区化办学让家门口的好学校越来越多\n"
        "新学期伊始，南京市鼓楼区新增两所九年一贯制学校。\n"
        "近年来，鼓楼区全面推行学区化办学，全区划分为8个学区。\n"
        "今年，鼓楼区还与新疆伊宁县签署对口支援协议，选派10名骨干教师赴伊宁县支教。\n"
    )
    doc = analyse_text(pipeline, text)
    cities = {(s.region.city, s.region.county) for s in doc.sentences if s.region}
    assert cities == {("南京市", "鼓楼区")}


def test_province_text_speaking_of_itself_stays_provincial(pipeline):
    text = (
        "自治区教育厅：全区义务教育均衡发展取得新成效\n"
        "内蒙古自治区教育厅　2023-12-18\n"
        "近日，自治区召开义务教育优质均衡发展推进会。\n"
        "鄂尔多斯市东胜区以“名校+”模式推进集团化办学，组建教育集团12个。\n"
    )
    doc = analyse_text(pipeline, text)
    regions = [s.region for s in doc.sentences if not s.boilerplate]
    assert [(r.province, r.county) for r in regions] == [
        ("内蒙古自治区", ""),
        ("内蒙古自治区", ""),
        ("内蒙古自治区", "东胜区"),
    ]


def test_provincial_paper_as_source_does_not_make_the_report_provincial(pipeline):
    text = (
        "四川省凉山州多地推进义务教育均衡发展见闻\n"
        "2024年3月15日 来源：四川日报 记者 李娟 张强\n"
        "昭觉县：该县全县建成寄宿制学校27所。\n"
        "西昌市：西昌市严格落实公民同招政策。\n"
        "州教育局相关负责人表示，力争到2027年全州有3个县通过国家督导评估认定。\n"
    )
    doc = analyse_text(pipeline, text)
    assert content_regions(doc) == ["凉山彝族自治州", "昭觉县", "西昌市", "凉山彝族自治州"]


def test_district_name_that_is_also_a_word_resolves_inside_the_named_city(pipeline):
    text = (
        "城关区：京藏携手助推义务教育优质均衡发展\n"
        "发布日期：2024-06-20　信息来源：拉萨市教育局\n"
        "近年来，城关区深入推进义务教育优质均衡发展。\n"
        "同时，城关区与堆龙德庆区、达孜区建立教研协作区。\n"
    )
    doc = analyse_text(pipeline, text)
    names = {(s.region.city, s.region.county) for s in doc.sentences if s.region}
    assert names == {("拉萨市", "城关区")}


def test_partners_alone_never_become_the_reports_place(pipeline):
    # 和平区 cannot be resolved (天津 or 沈阳); the partners it helps are not its place
    text = (
        "和平区：以“三个协同”推动义务教育优质均衡\n"
        "近年来，和平区坚持“教育立区”战略，推行干部教师交流轮岗。\n"
        "在对口帮扶方面，和平区与甘肃省天祝藏族自治县结对，选派12名教师赴天祝支教。\n"
        "和平区还与新疆和田地区策勒县开展“组团式”教育帮扶。\n"
    )
    doc = analyse_text(pipeline, text)
    assert all(s.region is None for s in doc.sentences)


def test_dispatch_city_and_verb_like_former_names_are_not_the_place(pipeline):
    text = (
        "甘肃渭源：乡村学校变了样\n"
        "新华社兰州3月5日电（记者 张三）甘肃省定西市渭源县推行县管校聘改革。\n"
        "全县加快新建县第三实验小学，新增学位2000个。\n"
    )
    assert content_regions(analyse_text(pipeline, text)) == ["渭源县", "渭源县", "渭源县"]


def test_provincial_meeting_report(pipeline):
    text = (
        "全区义务教育优质均衡发展推进会在吴忠召开\n"
        "发布时间：2024-04-18　来源：宁夏回族自治区教育厅\n"
        "4月17日，全区义务教育优质均衡发展推进会在吴忠市召开。\n"
        "会议指出，银川市金凤区、石嘴山市大武口区、吴忠市利通区顺利通过督导评估。\n"
        "利通区介绍了推进城乡学校共同体建设的经验。\n"
        "会议要求，各地要严格落实公民同招和免试就近入学政策。\n"
        "自治区教育厅有关负责人表示，全区将力争到2027年有30个县通过评估。\n"
    )
    doc = analyse_text(pipeline, text)
    regions = [s.region for s in doc.sentences if not s.boilerplate]
    assert [r.county if r else None for r in regions] == ["", "", "金凤区", "利通区", "", ""]
    assert {r.province for r in regions} == {"宁夏回族自治区"}
    # the counties that passed the assessment each get the sentence; the province does not
    assert all_regions(doc)[2] == ["金凤区", "大武口区", "利通区"]


def test_parents_acting_and_places_that_cannot_be_resolved(pipeline):
    text = (
        "新化县推进优质均衡\n"
        "新化县新建学校10所。\n"
        "据悉，湖南省今年还将新增学位10万个。\n"
        "依托北京市对口帮扶，新化县与北京市海淀区结对。\n"
        "和平区教育局在本市率先试点课后服务。\n"
    )
    regions = [s.region for s in analyse_text(pipeline, text).sentences]
    assert [(r.province, r.county) if r else None for r in regions] == [
        ("湖南省", "新化县"),
        ("湖南省", "新化县"),
        ("湖南省", ""),
        ("湖南省", "新化县"),
        None,
    ]


def test_first_county_of_a_paragraph_after_a_city_sentence(pipeline):
    text = (
        "南阳市多举措推进教师队伍建设\n"
        "目前，我市已在全市推行“县管校聘”。邓州市探索实施“银龄讲学计划”。\n"
    )
    assert content_regions(analyse_text(pipeline, text)) == ["南阳市", "南阳市", "邓州市"]


def test_topic_openers_national_quotes_and_higher_authorities(pipeline):
    text = (
        "合肥市多措并举推进义务教育优质均衡\n"
        "近年来，合肥市坚持城乡统筹。\n"
        "在蜀山区，名校集团化办学已覆盖全区，组建教育集团18个。\n"
        "教育部负责同志表示，各地要深化县管校聘管理改革，推进教师交流轮岗。\n"
        "合肥市认真贯彻落实，全市已组建教育集团86个。\n"
        "按照安徽省教育厅工作部署，我市开展了全面自查。\n"
    )
    assert content_regions(analyse_text(pipeline, text)) == [
        "合肥市",
        "合肥市",
        "蜀山区",
        None,
        "合肥市",
        "合肥市",
    ]


def test_other_counties_named_after_a_county_paragraph(pipeline):
    text = (
        "河南省2023年度督导评估结果公布\n"
        "来源：河南省人民政府教育督导委员会办公室\n"
        "长垣市新建改扩建中小学校26所。\n"
        "评估也指出，杞县、郏县部分乡村学校音体美专任教师不足。\n"
        "各地要以此次督导评估为契机，持续加大投入。\n"
    )
    doc = analyse_text(pipeline, text)
    regions = [s.region for s in doc.sentences if not s.boilerplate]
    assert [(r.city, r.county) for r in regions] == [
        ("", ""),
        ("新乡市", "长垣市"),
        ("开封市", "杞县"),
        ("", ""),
    ]
    assert all_regions(doc)[2] == ["杞县", "郏县"]


def test_ordinary_openers_scenes_and_visits_keep_the_reports_place(pipeline):
    text = (
        "互助县2023年义务教育工作总结\n"
        "2023年，在县委、县政府的坚强领导下，我县义务教育均衡发展取得新成效。\n"
        "县教育局先后组织校长赴浙江省安吉县、长兴县、德清县考察集团化办学。\n"
        "在长沙，湖南师范大学附属中学与我县民族中学建立帮扶关系。\n"
        "《互助县义务教育优质均衡发展实施方案》明确，到2025年全县新建学校3所。\n"
        "全县组建城乡学校共同体8个。\n"
    )
    assert set(content_regions(analyse_text(pipeline, text))) == {"互助土族自治县"}


def test_top_headings_end_a_county_passage_and_parents_acting_for_the_county(pipeline):
    text = (
        "南阳市教育局关于推进城乡教师交流的答复\n"
        "目前，我市已在全市推行“县管校聘”。邓州市探索实施“银龄讲学计划”。\n"
        "三、关于发挥优质学校辐射带动作用的建议\n"
        "我局出台了集团化办学实施方案，全市组建教育集团83个。\n"
    )
    assert content_regions(analyse_text(pipeline, text)) == [
        "南阳市",
        "南阳市",
        "邓州市",
        "南阳市",
        "南阳市",
    ]
    text = (
        "阳城县推进城乡学校共同体建设\n"
        "阳城县组建城乡学校共同体12个。\n"
        "晋城市还为阳城县争取到公费师范生名额30个。\n"
        "町店镇中心小学的学生开心地说，现在每周都能上音乐课了。\n"
    )
    assert set(content_regions(analyse_text(pipeline, text))) == {"阳城县"}


def test_unrelated_place_named_as_a_partner_is_an_aside(pipeline):
    text = (
        "桑植县开展结对帮扶\n"
        "桑植县与长沙市芙蓉区签订教育帮扶协议,选派骨干教师跟岗学习。\n"
        "全县12所学校与芙蓉区学校结成对子。\n"
    )
    doc = analyse_text(pipeline, text)
    assert set(content_regions(doc)) == {"桑植县"}


def test_no_place_means_no_attribution(pipeline):
    doc = analyse_text(pipeline, "加强教师队伍建设。\n落实课后服务。\n")
    assert content_regions(doc) == [None, None]
    assert doc.regions == ()


def test_source_line_and_site_hint_give_the_main_place(pipeline):
    text = "我县推进教师交流轮岗\n2024-03-02 来源:临澧县教育局\n全县交流轮岗教师120人次。\n"
    doc = analyse_text(pipeline, text)
    assert doc.regions[0].name == "临澧县"
    hinted = analyse_text(pipeline, "全县新增学位3000个。", region="湖南省常德市临澧县")
    assert hinted.regions[0].name == "临澧县"


def test_renamed_units_and_functional_zones(pipeline):
    # a former name is the place as the text names it, with today's unit's code
    doc = analyse_text(pipeline, "新津县教育局推进集团化办学。\n")
    region = doc.regions[0]
    assert (region.city, region.county, region.adcode) == ("成都市", "新津县", "510118")
    doc = analyse_text(pipeline, "江干区实施教师交流轮岗,交流教师80人。")
    assert (doc.regions[0].county, doc.regions[0].adcode) == ("江干区", "330102")
    # a functional zone is a place of its own under its city
    doc = analyse_text(pipeline, "长沙高新区推进集团化办学,新增学位3000个。")
    assert (doc.regions[0].city, doc.regions[0].county) == ("长沙市", "长沙高新区")
    assert doc.regions[0].adcode.startswith("4301Z")
    doc = analyse_text(pipeline, "芷江县推进县管校聘改革。")
    assert doc.regions[0].county == "芷江侗族自治县"


def test_a_places_own_office_as_source_is_its_place(pipeline):
    text = (
        "8个县建设53个教师周转房项目\n"
        "记者从张家口市教育局获悉，今年该市将加大教育投入，实施教师周转房项目。\n"
    )
    doc = analyse_text(pipeline, text)
    assert content_regions(doc)[1] == "张家口市"


def test_city_acting_in_a_text_that_names_only_its_districts(pipeline):
    text = (
        "课后延时服务有了新消息\n"
        "湖里区已确定在8所公办小学先行展开试点。\n"
        "此前市里已确定7所市属小学将试点课后延时服务。\n"
        "另外，海沧区也已确定首批试点课后延时服务。\n"
    )
    assert content_regions(analyse_text(pipeline, text))[1:] == ["湖里区", "厦门市", "海沧区"]


def test_schools_of_other_places_are_partners(pipeline):
    text = (
        "尤溪县推进山海协作\n"
        "尤溪县西城中心小学与泉州晋江市华泰实验小学结为友好联盟校。\n"
        "晋江市华泰实验小学每学期派出优质教师到尤溪送培送教。\n"
        "两校还约定互派教师跟岗学习。\n"
    )
    assert set(content_regions(analyse_text(pipeline, text))) == {"尤溪县"}


def test_a_county_opening_a_cited_title_is_its_own_case(pipeline):
    text = (
        "重庆市多个案例入选校外培训治理优秀案例\n"
        "经严格评选，《渝中区“三个精准”压减学科类校外培训》《垫江县四大机制破解校外培训治理难题》"
        "入选优秀案例。\n"
        "市教委印发《重庆市校外培训机构管理办法》。\n"
    )
    regions = all_regions(analyse_text(pipeline, text))
    assert regions[1] == ["渝中区", "垫江县"]
    assert regions[2] == ["重庆市"]


def test_a_county_compared_with_its_city_stays_the_county(pipeline):
    text = (
        "宜章县推进“五育并举”\n"
        "宜章县教育局持续推进“五育并举”。\n"
        "优化课后服务，4所学校获批“全市首批课后服务示范校”，填补郴州市参加全国技能大赛空白。\n"
        "建成青少年体育俱乐部4所，取得郴州市青少年竞技体育历史性突破。\n"
    )
    assert set(content_regions(analyse_text(pipeline, text))) == {"宜章县"}


def test_prepositions_and_places_learned_from_are_not_actors(pipeline):
    text = (
        "深圳新改扩建学校\n"
        "记者从深圳市教育局获悉，今年我市新改扩建学校42所。\n"
        "根据市教育局提供的数据，2018年深圳新改扩建公办义务教育学校37所。\n"
        "龙岗区借鉴合肥经验，推行城乡教共体。\n"
    )
    regions = all_regions(analyse_text(pipeline, text))
    assert regions[2] == ["深圳市"]  # 根据市教育局… is no unknown place acting
    assert regions[3] == ["龙岗区"]  # 合肥 is learned from


def test_national_policy_quoted_belongs_to_no_place(pipeline):
    text = (
        "丹东市推进义务教育均衡发展\n"
        "丹东市出台实施意见，推进学校标准化建设。\n"
        "党的十八届三中全会通过的《决定》强调，要“大力促进教育公平，健全家庭经济困难学生资助体系。\n"
        "统筹城乡义务教育资源均衡配置，实行校长教师交流轮岗，试行学区制”。\n"
        "我市将推进学区制改革。\n"
    )
    regions = all_regions(analyse_text(pipeline, text))
    assert regions[2:] == [[], [], ["丹东市"]]


def test_a_citys_school_in_a_districts_passage_keeps_the_district(pipeline):
    text = (
        "太原市将扩建改建以下学校\n"
        "一、小店区\n"
        "太原五中新校建设项目包括体育馆、教学楼。\n"
        "二、万柏林\n"
        "完成万柏林区实验中学等5所学校的操场建设。\n"
    )
    assert content_regions(analyse_text(pipeline, text))[1:] == [
        "小店区",
        "小店区",
        "万柏林区",
        "万柏林区",
    ]


def test_a_city_report_naming_only_its_counties(pipeline):
    text = (
        "我市今年投入3.2亿元改善农村薄弱学校办学条件\n"
        "2015-04-08 来源:齐齐哈尔日报\n"
        "记者从市教育局获悉，今年我市继续实施全面改善贫困地区义务教育薄弱学校基本办学条件工作。\n"
        "按照计划，讷河市改造12所、依安县20所、克山县18所。\n"
        "同时，市教育局要求各县（市）为项目学校配备教学仪器设备。\n"
    )
    regions = all_regions(analyse_text(pipeline, text))
    assert regions[0] == ["齐齐哈尔市"] and regions[1] == ["齐齐哈尔市"]  # 记者从市… is no place
    assert regions[2] == ["讷河市", "依安县", "克山县"]
    assert regions[3] == ["齐齐哈尔市"]  # a list of amounts opens no county's passage
    # a county-level city speaks of itself as 我市 too
    county = "讷河市推进学校改造\n讷河市今年改造学校12所。\n我市还将新建寄宿制学校2所。\n"
    assert set(content_regions(analyse_text(pipeline, county))) == {"讷河市"}
