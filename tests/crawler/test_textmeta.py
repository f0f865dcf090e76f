import pytest

from junheng.crawler.textmeta import normalise_date, parse_header

# fmt: off
HEADERS = [
    ("武冈:集思广益促提升 凝聚共识话发展\n时间:2023-08-19 22:08:10来源:腾讯网\n\n正文。",
     ("武冈:集思广益促提升 凝聚共识话发展", "2023-08-19", "腾讯网")),
    ("VV升学帮\n标题: 成都市初中工作会在温江召开,会议都说了些啥? [打印本页]\n作者: xczmm    时间: 2018-1-17 10:59\n",
     ("成都市初中工作会在温江召开,会议都说了些啥?", "2018-01-17", None)),
    ("教育装备采购网\n陕西华阴加快推进义务教育优质均衡发展创建工作\n教育装备采购网 2022-10-08 10:09 围观1028次\n",
     ("陕西华阴加快推进义务教育优质均衡发展创建工作", "2022-10-08", "教育装备采购网")),
    ("自治区教育厅：全区义务教育均衡发展取得新成效\n内蒙古自治区教育厅　2023-12-18\n",
     ("自治区教育厅：全区义务教育均衡发展取得新成效", "2023-12-18", "内蒙古自治区教育厅")),
    ("奉节县推进集团化办学\n华龙网-新重庆客户端　2023年10月12日\n",
     ("奉节县推进集团化办学", "2023-10-12", "华龙网-新重庆客户端")),
    ("湖南各地着力提升义务教育质量(二)\n2023-04-17 18:27\n",
     ("湖南各地着力提升义务教育质量(二)", "2023-04-17", None)),
    ("临湘市推进教师交流\n发布日期:2024年3月2日 信息来源:临湘市教育局\n",
     ("临湘市推进教师交流", "2024-03-02", "临湘市教育局")),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), HEADERS)
def test_parse_header(text, expected):
    h = parse_header(text)
    assert (h.title, h.published, h.source) == expected


def test_dates():
    assert normalise_date("2008-05-19 17:08:13") == "2008-05-19"
    assert normalise_date("2023年4月17日") == "2023-04-17"
    assert normalise_date("2023.13.01 或 2022/2/3") == "2022-02-03"
    assert normalise_date("无日期") is None


@pytest.mark.parametrize(
    ("text", "author"),
    [
        (
            "南海区集团化办学激活优质教育\n2023年9月1日 08:30 来源：佛山日报 记者 李明\n正文。",
            "李明",
        ),
        (
            "武冈:集思广益促提升\n科教新报讯(通讯员邓小伟 杨涯珍 黄敦余)8月18日上午,武冈市召开会议。"
            * 1,
            "邓小伟 杨涯珍 黄敦余",
        ),
        ("作者: xczmm    时间: 2018-1-17 10:59\n", "xczmm"),
        ("临湘市推进教师交流\n全市交流教师120人。\n", None),
    ],
)
def test_header_bylines(text, author):
    assert parse_header(text).author == author


def test_wechat_header_and_a_report_signed_at_its_end():
    wechat = "点击蓝字 关注我们👆\n阳城教育 2024-05-09 18:30 山西\n🔥阳城这所乡村小学火了！城乡孩子同上一堂课\n正文。"
    h = parse_header(wechat)
    assert (h.title, h.published, h.source) == (
        "阳城这所乡村小学火了！城乡孩子同上一堂课",
        "2024-05-09",
        "阳城教育",
    )
    signed = "互助县2023年义务教育优质均衡发展工作总结\n一、基本情况\n正文。\n互助土族自治县教育局\n2023年12月20日\n"
    h = parse_header(signed)
    assert (h.published, h.source) == ("2023-12-20", "互助土族自治县教育局")
    h = parse_header("琼中推进教育\n来源：海南日报　作者：记者 陈蔚林 通讯员 王家传\n")
    assert h.author == "陈蔚林 王家传"


def test_traditional_labels_and_speech_venues():
    h = parse_header(
        "安溪縣推進義務教育優質均衡發展工作\n發布時間：2023-10-16 09:20　來源：安溪縣教育局\n"
    )
    assert (h.published, h.source) == ("2023-10-16", "安溪縣教育局")
    h = parse_header(
        "2024年蕲春县人民政府工作报告（节选）\n——2024年1月10日在蕲春县第十八届人民代表大会第四次会议上\n"
    )
    assert (h.published, h.source) == ("2024-01-10", None)


def test_interview_questions_are_not_bylines():
    text = (
        "【专访】让每个孩子在家门口上好学\n"
        "2023-12-28 10:06:33　来源：宿迁网　记者 李敏 通讯员 王晨\n"
        "记者：沭阳是人口大县，义务教育阶段学生超过25万人，如何保障？\n"
        "记者：谢谢您接受采访！\n"
    )
    assert parse_header(text).author == "李敏 王晨"


def test_breadcrumbs_and_seo_spam_are_not_titles():
    from junheng.crawler.textmeta import parse_header

    for first in (
        "首页 > 政务资讯 > 教育动态",
        "当前位置：首页>>新闻中心>>教育要闻",
        "您现在的位置： 首页 > 工作动态 > 正文",
        "泛亚电竞官网-泛亚电竞APP下载-泛亚电竞平台入口",
    ):
        header = parse_header(f"{first}\n新田县推进县管校聘改革工作纪实\n2023-05-01\n正文。")
        assert header.title == "新田县推进县管校聘改革工作纪实", first
