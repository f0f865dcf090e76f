from junheng.nlp.boilerplate import BoilerplateDetector
from junheng.nlp.sentences import split_sentences
from tests.conftest import analyse_text


def reasons(detector, text):
    spans = split_sentences(text)
    return {
        text[s.start : s.end]: r for s, r in zip(spans, detector.detect(text, spans), strict=True)
    }


def detector_for(segmenter):
    return BoilerplateDetector(segmenter.char_freq)


ARTICLE = (
    "临湘市教育局召开城乡教师交流推进会。\n"
    "发布时间:2024-03-02 09:15 来源:临湘市教育局 浏览次数:328\n"
    "3月1日,临湘市教育局召开会议,部署2024年义务教育教师交流轮岗工作。全市交流教师120人。\n"
    "会议要求各校落实县管校聘改革,推进集团化办学。\n"
    "责任编辑:李明\n"
    "相关新闻\n"
    "• 岳阳市开展校园安全大检查\n"
    "为进一步加强校园安全管理,近日,岳阳市教育局组织开展...\n"
    "• 平江县举办教师技能大赛\n"
    "4月,平江县举办中小学教师教学技能大赛,全县200余名教师...\n"
    "• 华容县新建学校投入使用\n"
    "版权所有:临湘市教育局 湘ICP备12345678号\n"
)


def test_article_kept_and_page_furniture_marked(segmenter):
    r = reasons(detector_for(segmenter), ARTICLE)
    assert r["临湘市教育局召开城乡教师交流推进会。"] is None
    assert r["会议要求各校落实县管校聘改革,推进集团化办学。"] is None
    assert r["全市交流教师120人。"] is None
    assert r["发布时间:2024-03-02 09:15 来源:临湘市教育局 浏览次数:328"] == "meta"
    assert r["责任编辑:李明"] == "meta"
    assert r["相关新闻"] == "sidebar"
    assert r["• 平江县举办教师技能大赛"] == "sidebar"
    assert r["为进一步加强校园安全管理,近日,岳阳市教育局组织开展..."] == "sidebar"
    assert r["版权所有:临湘市教育局 湘ICP备12345678号"] is not None


def test_file_metadata_and_promo_lines(segmenter):
    text = (
        "推进义务教育均衡发展的思考\n- 格式:docx\n- 大小:31.2 KB\n- 文档页数:4\n"
        "以下是小编为大家整理的推进义务教育均衡发展的思考,仅供参考。\n"
        "我县坚持以县为主,统筹城乡学校布局。\n"
    )
    r = reasons(detector_for(segmenter), text)
    assert r["- 格式:docx"] == "meta"
    assert r["- 文档页数:4"] == "meta"
    assert r["以下是小编为大家整理的推进义务教育均衡发展的思考,仅供参考。"] == "promo"
    assert r["我县坚持以县为主,统筹城乡学校布局。"] is None


def test_ocr_garbage_is_marked(segmenter):
    text = "全县义务教育学校全部达标。\n嚣醅鞫{}|§馥耋龌|箍%锤{§秸}超{}籍珏||\n下一步继续推进均衡发展。"
    r = reasons(detector_for(segmenter), text)
    assert r["嚣醅鞫{}|§馥耋龌|箍%锤{§秸}超{}籍珏||"] == "garbage"
    assert r["全县义务教育学校全部达标。"] is None


def test_header_chrome_and_its_brand_later(segmenter):
    text = (
        "学习强教网\n广告位招租 学习强教\n"
        "长沙县推进城乡教育共同体建设\n"
        "2024-05-06 10:00 来源:长沙县教育局\n"
        "长沙县以城乡教育共同体为抓手,推动优质资源下沉。\n"
        "学习强教网首页\n"
    )
    r = reasons(detector_for(segmenter), text)
    assert r["学习强教网"] == "chrome"
    assert r["广告位招租 学习强教"] == "chrome"
    assert r["长沙县推进城乡教育共同体建设"] is None
    assert r["学习强教网首页"] == "chrome"


def test_copyright_block(segmenter):
    text = (
        "全区新增学位3000个。\n版权与免责声明:\n"
        "① 凡本网注明来源的作品,版权均属于本网,未经授权不得转载。\n"
        "② 转载目的在于传递更多信息,不承担侵权责任。\n"
    )
    r = reasons(detector_for(segmenter), text)
    assert r["全区新增学位3000个。"] is None
    assert r["① 凡本网注明来源的作品,版权均属于本网,未经授权不得转载。"] == "copyright"


def test_headings_and_short_lines_in_the_body_are_kept(segmenter):
    text = (
        "优化教师队伍结构\n1. 加强教师配置\n全市新招聘教师500人。\n二是狠抓基础设施建设。\n"
        "三是完善督导机制。\n"
    )
    r = reasons(detector_for(segmenter), text)
    assert all(v is None for v in r.values()), r


def test_unbulleted_headlines_under_a_related_heading_and_bracketed_editor(segmenter):
    text = (
        "洛宁县推进集团化办学。\n"
        "全县组建6个教育集团,覆盖乡镇学校41所。\n"
        "下一步,洛宁县将持续补短板、强弱项。\n"
        "（编辑：陈晨）\n"
        "相关新闻：\n"
        "洛宁县召开2023年秋季森林防火工作会议\n"
        "洛宁：苹果产业助农增收\n"
    )
    r = reasons(detector_for(segmenter), text)
    assert r["全县组建6个教育集团,覆盖乡镇学校41所。"] is None
    assert r["（编辑：陈晨）"] == "meta"
    assert r["洛宁县召开2023年秋季森林防火工作会议"] == "sidebar"
    assert r["洛宁：苹果产业助农增收"] == "sidebar"


def test_wechat_and_notice_furniture(segmenter):
    text = (
        "点击蓝字 关注我们👆\n"
        "阳城县以城乡学校共同体建设为抓手，让乡村孩子在家门口上好学。\n"
        "—END—\n"
        "【南海网】原标题：山区孩子在家门口享受优质教育\n"
        "联系电话：0431-88904567\n"
    )
    r = reasons(detector_for(segmenter), text)
    assert r["阳城县以城乡学校共同体建设为抓手，让乡村孩子在家门口上好学。"] is None
    for line in ("点击蓝字 关注我们👆", "—END—", "联系电话：0431-88904567"):
        assert r[line] is not None, line
    assert r["【南海网】原标题：山区孩子在家门口享受优质教育"] is not None


def test_dash_led_work_items_are_content(segmenter):
    text = (
        "来凤县教育局2024年工作回顾\n"
        "今年重点做了以下工作：\n"
        "——推进集团化办学。组建城乡教育集团6个，覆盖乡村学校32所。\n"
        "——深化县管校聘改革。交流轮岗教师260名。\n"
        "——落实控辍保学。全县义务教育巩固率达到99%。\n"
    )
    r = reasons(detector_for(segmenter), text)
    assert all(v is None for v in r.values()), r


def test_signature_and_credit_lines_at_the_end(segmenter):
    text = (
        "全县义务教育巩固率达到99%。\n"
        "湖南省人民政府教育督导委员会办公室\n"
        "（湛江市教育局基础教育科供稿）\n"
        "2024年1月15日\n"
    )
    r = reasons(detector_for(segmenter), text)
    assert r["全县义务教育巩固率达到99%。"] is None
    assert r["湖南省人民政府教育督导委员会办公室"] == "meta"
    assert r["（湛江市教育局基础教育科供稿）"] == "meta"


def test_comment_section_and_letter_furniture(segmenter):
    text = (
        "阜平县推进县管校聘改革。\n"
        "全县交流轮岗教师300名。\n"
        "网友评论（128）\n"
        "我们涞源县为什么没有集团化办学？\n"
        "回复 赞(98)\n"
    )
    r = reasons(detector_for(segmenter), text)
    assert r["全县交流轮岗教师300名。"] is None
    assert r["我们涞源县为什么没有集团化办学？"] == "comments"
    letter = "宛教提〔2024〕17号\n尊敬的张丽华委员：\n您提出的提案收悉。\n抄送：市政协提案委员会\n"
    r = reasons(detector_for(segmenter), letter)
    assert r["宛教提〔2024〕17号"] and r["尊敬的张丽华委员："] and r["抄送：市政协提案委员会"]
    assert r["您提出的提案收悉。"] is None


def test_wechat_furniture_is_boilerplate_and_never_a_search_hit(settings, pipeline, tmp_path):
    from junheng import api

    promo = [
        "长按二维码关注新田教育公众号，获取更多县管校聘资讯",
        "欢迎关注“新田教育”微信公众号",
        "转发、点赞、在看三连",
        "喜欢此内容的人还喜欢",
    ]
    (tmp_path / "a.txt").write_text(
        "新田县推进县管校聘改革\n新田县推进县管校聘改革，全县交流轮岗教师300人。\n"
        + "\n".join(promo)
        + "\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "c.db")
    api.ingest([tmp_path / "a.txt"], db=db, settings=settings, pipeline=pipeline)
    hits = api.search("县管校聘", db=db, settings=settings, pipeline=pipeline).hits
    assert all(h.text not in promo for h in hits) and hits


def test_contact_and_address_lines_are_chrome(pipeline):
    text = "青阳县推进五大行动\n青阳县教体局紧密结合实际。\n安徽科技报 电话/传真:0551-84908822\n地址:中国·安徽省合肥市花园街4号\n"
    doc = analyse_text(pipeline, text)
    assert [s.boilerplate for s in doc.sentences] == [False, False, True, True]
    assert [r.name for r in doc.regions] == ["青阳县"]
