"""Unit tests of the HTML article extractor on small hand-written Chinese pages."""

from __future__ import annotations

import pytest

from junheng.crawler.decode import decode_bytes
from junheng.crawler.extract import extract_article
from junheng.crawler.extract.dates import find_dates, first_date
from junheng.errors import ExtractionError

P1 = (
    "为深入推进义务教育优质均衡发展，4月17日上午，XX县教育局召开全县义务教育优质均衡发展推进会，"
    "全县各中小学校长、教育局机关各股室负责人参加会议。"
)
P2 = (
    "会议指出，要坚持问题导向，聚焦师资配置、学校建设、课后服务等薄弱环节，"
    "持续推进县域内校长教师交流轮岗，扩大优质教育资源覆盖面，办好人民满意的教育。"
)
P3 = (
    "会议要求，各学校要对照评估指标逐项查漏补缺，建立问题清单、责任清单和整改清单，"
    "确保2023年顺利通过国家义务教育优质均衡发展督导评估认定。"
)

GOV_TRS = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>XX县召开义务教育优质均衡发展推进会_XX县教育局</title>
<meta name="keywords" content="义务教育,优质均衡">
</head><body>
<div class="header"><div class="logo">XX县教育局</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/jyxw/">教育新闻</a></li>
<li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/jyxw/">教育新闻</a></div>
<div class="main">
 <h1 class="title">XX县召开义务教育优质均衡发展推进会</h1>
 <div class="info">发布时间：2023-04-17 10:30 &nbsp; 来源：XX县教育局 &nbsp; 作者：张三
   &nbsp; 浏览次数：<span>1024</span> &nbsp; 字号：[<a href="#">大</a> <a href="#">中</a>
   <a href="#">小</a>]</div>
 <div class="TRS_Editor">
  <p>　　{P1}</p>
  <p>　　{P2}</p>
  <p>　　{P3}</p>
 </div>
 <div class="fj">附件：<a href="/u/1.docx">XX县义务教育优质均衡发展实施方案.docx</a></div>
 <div class="editor">责任编辑：李四</div>
 <div class="tools">【<a href="javascript:window.print()">打印本页</a>】
   【<a href="javascript:window.close()">关闭窗口</a>】</div>
 <div class="prenext"><p>上一篇：<a href="/a.html">XX县开展春季学校安全大检查</a></p>
   <p>下一篇：<a href="/b.html">XX县教育系统召开党风廉政建设工作会议</a></p></div>
</div>
<div class="footer"><p>主办：XX县人民政府办公室 承办：XX县教育局 网站标识码：5101000001</p>
<p>蜀ICP备12345678号 川公网安备 51010402000001号</p></div>
</body></html>"""

GOV_PLATFORM = f"""<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="SiteName" content="XX市人民政府">
<meta name="ArticleTitle" content="关于公布2023年义务教育学校招生入学政策的通知">
<meta name="PubDate" content="2023-06-02 09:00">
<meta name="ContentSource" content="XX市教育局">
<title>XX市人民政府</title></head><body>
<table width="100%"><tr><td><a href="/">网站首页</a> | <a href="/xxgk/">信息公开</a></td></tr></table>
<table class="xxgk"><tr><td>索引号：</td><td>11510100MB0000000X/2023-00123</td>
<td>发布机构：</td><td>XX市教育局</td></tr>
<tr><td>成文日期：</td><td>2023年05月30日</td><td>发布日期：</td><td>2023年06月02日</td></tr></table>
<div class="article">
<div class="bt">关于公布2023年义务教育学校招生入学政策的通知</div>
<div class="sx">信息来源：XX市教育局 发布时间：2023-06-02 【字体：<a>大</a> <a>中</a> <a>小</a>】
 【<a href="#">打印</a>】 【<a href="#">关闭</a>】</div>
<div id="zoom"><p>各区（市）县教育局：</p><p>{P2}</p><p>{P3}</p>
<p style="text-align:right">XX市教育局</p><p style="text-align:right">2023年5月30日</p></div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
</div>
<div class="bottom">版权所有：XX市人民政府 地址：XX市人民路1号 联系电话：028-12345678</div>
</body></html>"""

NEWS = f"""<html><head><meta charset="utf-8">
<title>教育部：持续推进县域义务教育优质均衡发展|新闻网</title>
<meta property="og:title" content="教育部：持续推进县域义务教育优质均衡发展">
<meta property="article:published_time" content="2023-04-17T08:12:00+08:00">
</head><body>
<div class="topbar"><a href="/">新闻网首页</a> <a href="/edu">教育</a> <a href="/login">登录</a></div>
<div class="article-wrap">
<h1>教育部：持续推进县域义务教育优质均衡发展</h1>
<div class="article-meta"><span>2023-04-17 08:12</span> <span>新华社</span></div>
<div class="bdshare"><a>分享到微信</a><a>分享到微博</a></div>
<div class="article-body">
<p>新华社北京4月17日电（记者 王五 赵六）{P1}</p>
<p>{P2}</p>
<p>{P3}</p>
</div>
<div class="related"><h3>相关新闻</h3><ul>
<li><a href="/1">多地出台措施推进学区化集团化办学</a></li>
<li><a href="/2">专家解读：如何让每个孩子都能享有公平而有质量的教育</a></li>
<li><a href="/3">教育部部署2023年义务教育招生入学工作</a></li></ul></div>
<div id="comments"><h3>网友评论</h3>
<p>这个政策好，希望早日落实到我们县里，让农村孩子也能上好学校。</p>
<p>支持！教师交流轮岗一定要真正落地，不能走过场，要有配套的激励措施。</p></div>
</div>
<div class="footer">Copyright © 2023 新闻网 版权所有 京ICP备00000000号</div>
</body></html>"""

AD_TITLE = f"""<html><head><meta charset="utf-8">
<title>[诗婷露雅化妆品]XX县新增三所公办幼儿园-富达传媒</title></head><body>
<div class="post"><h2 class="post-title">[诗婷露雅化妆品]XX县新增三所公办幼儿园</h2>
<div class="post-meta">2019-09-11 南方都市报</div>
<div class="post-body"><p>{P1}</p><p>{P2}</p></div></div></body></html>"""


def test_gov_trs_page() -> None:
    a = extract_article(GOV_TRS, url="http://jyj.example.gov.cn/jyxw/202304/t20230417_1.html")
    assert a.title == "XX县召开义务教育优质均衡发展推进会"
    assert a.published == "2023-04-17"
    assert a.source == "XX县教育局"
    assert a.author == "张三"
    assert "editor: 李四" in a.notes
    lines = a.body.split("\n")
    assert lines[0] == P1 and lines[1] == P2 and lines[2] == P3
    assert "附件：XX县义务教育优质均衡发展实施方案.docx" in lines
    for chrome in (
        "打印本页",
        "关闭窗口",
        "ICP",
        "公网安备",
        "上一篇",
        "下一篇",
        "字号",
        "浏览次数",
        "责任编辑",
        "当前位置",
        "发布时间",
        "网站标识码",
    ):
        assert chrome not in a.body, chrome


def test_gov_platform_page_with_meta_tags() -> None:
    a = extract_article(GOV_PLATFORM)
    assert a.title == "关于公布2023年义务教育学校招生入学政策的通知"
    assert a.published == "2023-06-02"
    assert a.source == "XX市教育局"
    assert a.author is None
    assert a.body.startswith("各区（市）县教育局：\n" + P2)
    assert a.body.endswith("XX市教育局\n2023年5月30日")
    for chrome in ("字体", "打印", "关闭", "分享到", "版权所有", "索引号", "联系电话"):
        assert chrome not in a.body, chrome


def test_news_page_drops_related_share_and_comments() -> None:
    a = extract_article(NEWS)
    assert a.title == "教育部：持续推进县域义务教育优质均衡发展"
    assert a.published == "2023-04-17"
    assert a.source == "新华社"
    assert a.author == "王五 赵六"
    assert a.body.split("\n") == [f"新华社北京4月17日电（记者 王五 赵六）{P1}", P2, P3]


def test_injected_advert_prefix_is_stripped_from_title() -> None:
    a = extract_article(AD_TITLE)
    assert a.title == "XX县新增三所公办幼儿园"
    assert a.published == "2019-09-11"
    assert a.source == "南方都市报"


def test_gbk_page_decodes_and_extracts() -> None:
    html = GOV_TRS.replace('<meta charset="utf-8">', '<meta charset="gb2312">')
    data = html.encode("gbk")
    decoded = decode_bytes(data, html=True)
    assert decoded.encoding == "gb18030"
    a = extract_article(decoded.text)
    assert a.title == "XX县召开义务教育优质均衡发展推进会"
    assert P2 in a.body


def test_paragraph_whitespace_is_collapsed() -> None:
    html = (
        f"<html><body><h1>标题一二三四</h1><div><p>  第一段\n  {P1}  </p>"
        f"<p>{P2}<br>{P3}</p></div></body></html>"
    )
    a = extract_article(html)
    assert a.body.split("\n") == [f"第一段 {P1}", P2, P3]


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "这只是一段纯文本，没有任何标签。",
        "<html><body></body></html>",
        "<html><body><ul><li><a href='/'>首页</a></li><li><a href='/a'>新闻</a></li>"
        "<li><a href='/b'>公告</a></li></ul></body></html>",
    ],
)
def test_pages_without_article_raise(html: str) -> None:
    with pytest.raises(ExtractionError):
        extract_article(html)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间：2023-04-17 10:30", "2023-04-17"),
        ("2023/4/17", "2023-04-17"),
        ("2023年4月7日", "2023-04-07"),
        ("2023.04.17", "2023-04-17"),
        ("二〇二三年四月十七日", "2023-04-17"),
        ("二〇二三年十二月三十一日", "2023-12-31"),
        ("7/5/2005 9:23:57 PM", "2005-07-05"),
        ("Dec 28 Sat 2013 00:28", "2013-12-28"),
        ("2023-13-45", None),
        ("电话 2023-0417", None),
    ],
)
def test_date_formats(text: str, expected: str | None) -> None:
    assert first_date(text) == expected


def test_find_dates_in_order() -> None:
    assert [d for _, d in find_dates("2022年1月27日印发，2022-01-28公开")] == [
        "2022-01-27",
        "2022-01-28",
    ]


def test_labelled_chinese_numeral_date_on_page() -> None:
    html = (
        f"<html><body><h1>关于做好义务教育招生工作的通知</h1>"
        f"<p>发布日期：二〇二三年四月十七日 来源：县教育局</p>"
        f"<div><p>{P1}</p><p>{P2}</p></div></body></html>"
    )
    a = extract_article(html)
    assert a.title == "关于做好义务教育招生工作的通知"
    assert a.published == "2023-04-17"
    assert a.source == "县教育局"
    assert a.body == f"{P1}\n{P2}"


def test_site_name_title_and_layout_tables_without_classes() -> None:
    nav = "".join(f"<td><a href='/{i}'>栏目{i}</a></td>" for i in range(8))
    html = f"""<html><head><title>XX县教育局</title></head><body>
<table><tr><td><h1>XX县教育局</h1></td><td>2023年4月20日 星期四</td></tr></table>
<table><tr>{nav}</tr></table>
<table><tr><td><a href="/1">关于开展2023年春季学期教学视导工作的通知</a></td></tr>
<tr><td><a href="/2">关于做好2023年中小学生暑期安全教育工作的通知</a></td></tr></table>
<table><tr><td>您现在的位置：<a href="/">首页</a> &gt;&gt; 正文</td></tr>
<tr><td align="center"><b>XX县扎实推进义务教育优质均衡发展工作</b></td></tr>
<tr><td>作者：王小明　来源：基础教育股　发布时间：2023年4月19日　点击数：356</td></tr>
<tr><td>　　{P1}<br>　　{P2}<br>　　{P3}<br></td></tr>
<tr><td>（审核：赵主任　编辑：钱小姐）</td></tr>
<tr><td>【<a href="#">打印</a>】【<a href="#">关闭</a>】</td></tr></table>
<table><tr><td>版权所有：XX县教育局 地址：XX县人民路88号<br>备案号：蜀ICP备05000000号-1</td></tr>
</table></body></html>"""
    a = extract_article(html)
    assert a.title == "XX县扎实推进义务教育优质均衡发展工作"
    assert a.published == "2023-04-19"
    assert (a.source, a.author) == ("基础教育股", "王小明")
    assert a.body == "\n".join([P1, P2, P3])


def test_data_table_rows_and_notice_lines_are_kept() -> None:
    side = "".join(
        f"<li><a href='/n{i}'>XX县第{i}中学召开家长会暨安全教育专题会议</a></li>" for i in range(8)
    )
    html = f"""<html><head><title>关于2023年秋季学校划片招生的公告_XX区教育局</title></head><body>
<div><ul>{side}</ul></div><div>
<h2>关于2023年秋季学校划片招生的公告</h2><p>2023-07-01 来源：XX区教育局 【打印】</p>
<p>根据有关规定，现将我区2023年秋季义务教育阶段学校划片招生范围公告如下：</p>
<table><tr><td>学校名称</td><td>招生范围</td><td>计划班数</td></tr>
<tr><td>第一小学</td><td>人民路以东</td><td>6</td></tr>
<tr><td>实验中学</td><td>全区</td><td>10</td></tr></table>
<p>注册时间为8月20日至8月25日。监督举报电话：028-12345678</p>
<p>特此公告。</p><p>XX区教育局</p><p>2023年7月1日</p></div></body></html>"""
    a = extract_article(html)
    assert a.title == "关于2023年秋季学校划片招生的公告"
    assert (a.published, a.source) == ("2023-07-01", "XX区教育局")
    assert a.body.split("\n") == [
        "根据有关规定，现将我区2023年秋季义务教育阶段学校划片招生范围公告如下：",
        "学校名称 招生范围 计划班数",
        "第一小学 人民路以东 6",
        "实验中学 全区 10",
        "注册时间为8月20日至8月25日。监督举报电话：028-12345678",
        "特此公告。",
        "XX区教育局",
        "2023年7月1日",
    ]


def test_mobile_copy_of_the_text_is_not_repeated() -> None:
    text = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"
    nav = "".join(f"<li><a href='/{i}'>栏目{i}</a></li>" for i in range(30))
    html = (
        f"<html><body><h1>重复正文的页面标题</h1><div>{text}</div><ul>{nav}</ul>"
        f"<div class='m-article'>{text}</div></body></html>"
    )
    assert extract_article(html).body == "\n".join([P1, P2, P3])


def test_verse_without_punctuation_falls_back_to_short_lines() -> None:
    verse = "".join(
        f"<div>{line}</div>" for line in ("春眠不觉晓", "处处闻啼鸟", "夜来风雨声", "花落知多少")
    )
    html = (
        "<html><body><ul><li><a href='/'>首页</a></li><li><a href='/a'>诗词</a></li></ul>"
        f"<h3>春晓</h3><div class='poem'>{verse}</div></body></html>"
    )
    a = extract_article(html)
    assert a.title == "春晓"
    assert a.body.split("\n") == ["春眠不觉晓", "处处闻啼鸟", "夜来风雨声", "花落知多少"]
