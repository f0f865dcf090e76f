"""Noise families in real pages, each on a short text written for the test: the cleaned text,
offsets that still point into the original, and the reported removal."""

from tests.conftest import analyse_text


def removed(doc):
    return [(r.text, r.reason) for r in doc.removed]


def sentence(doc, fragment):
    return next(s for s in doc.sentences if fragment in s.text)


def test_brand_in_place_of_headings_and_place_names(pipeline):
    text = (
        "江西各地推进教师交流轮岗凯撒电竞\n"
        "凯撒电竞坚持城乡统筹,全面推行县管校聘改革。\n"
        "凯撒电竞每年交流校长教师260人次。\n"
    )
    doc = analyse_text(pipeline, text)
    assert removed(doc) == [("凯撒电竞", "spam-brand")] * 3
    assert doc.cleaned_text() == (
        "江西各地推进教师交流轮岗\n坚持城乡统筹,全面推行县管校聘改革。\n每年交流校长教师260人次。\n"
    )
    for r in doc.removed:
        assert text[r.start : r.end] == "凯撒电竞"
    s = sentence(doc, "县管校聘")
    assert text[s.start : s.end] == "凯撒电竞坚持城乡统筹,全面推行县管校聘改革。"  # offsets kept
    (m,) = [m for m in s.measures if m.canonical == "县管校聘"]
    assert text[m.start : m.end] == "县管校聘"
    assert all("凯撒" not in m.term for x in doc.sentences for m in x.measures)
    assert all(p.surface != "凯撒" for x in doc.sentences for p in x.places)


def test_spam_word_inserted_every_few_characters(pipeline):
    text = "推进义务包養教育均衡发展,深化县管包養校聘改革,全县交流包養轮岗教师包養300人次。"
    doc = analyse_text(pipeline, text)
    assert {t for t, _ in removed(doc)} == {"包養"}
    assert doc.cleaned_text() == "推进义务教育均衡发展,深化县管校聘改革,全县交流轮岗教师300人次。"
    terms = {m.canonical for s in doc.sentences for m in s.measures}
    assert {"县管校聘", "交流轮岗"} <= terms
    for s in doc.sentences:
        for m in s.measures:
            assert text[m.start : m.end] == m.term


def test_unknown_insert_found_by_broken_words(pipeline):
    text = (
        "全县琪琪义务教育琪琪学校全部达琪琪标,城乡教琪琪师交流轮岗制度全面落琪琪实,"
        "学校标准琪琪化建设稳步推进。"
    )
    doc = analyse_text(pipeline, text)
    assert {t for t, _ in removed(doc)} == {"琪琪"}
    assert "琪琪" not in doc.cleaned_text()


def test_gambling_header_line_is_boilerplate(pipeline):
    text = (
        "澳门葡京娱乐城官网 百家乐 老虎机\n"
        "沅江市推进课后服务全覆盖\n"
        "沅江市全面推行“5+2”课后服务模式,覆盖全部义务教育学校。\n"
    )
    doc = analyse_text(pipeline, text)
    first = doc.sentences[0]
    assert first.boilerplate and first.boilerplate_reason == "spam"
    assert not sentence(doc, "课后服务模式").boilerplate
    assert doc.regions[0].name == "沅江市"


def test_emoji_and_pinyin_pushed_into_words(pipeline):
    text = "全面落实双😀减政策,推进集团化办xue学,县管校聘🔥改革成效明显。"
    doc = analyse_text(pipeline, text)
    assert sorted(removed(doc)) == sorted(
        [("😀", "emoji"), ("xue", "latin-in-word"), ("🔥", "emoji")]
    )
    assert doc.cleaned_text() == "全面落实双减政策,推进集团化办学,县管校聘改革成效明显。"
    terms = {m.canonical for s in doc.sentences for m in s.measures}
    assert {"双减", "集团化办学", "县管校聘"} <= terms


def test_latin_words_in_text_stay(pipeline):
    doc = analyse_text(pipeline, "开展STEAM教育和AI课程,建设5G智慧校园。")
    assert doc.removed == ()


def test_forum_chrome_and_duplicated_paragraphs(pipeline):
    text = (
        "标题: 温江区推进集团化办学\n"
        "只看该作者 楼主 发表于 2018-1-17 10:59\n"
        "温江区组建5个教育集团,实行集团内教师统一调配。\n"
        "温江区组建5个教育集团,实行集团内教师统一调配。\n"
        "查看: 1290 | 回复: 3\n"
    )
    doc = analyse_text(pipeline, text)
    reasons = [s.boilerplate_reason for s in doc.sentences]
    assert reasons[0] == "meta" and reasons[1] in {"meta", "chrome"}
    assert reasons[2:] == [None, "duplicate", "chrome"]


def test_traditional_text_with_pinyin_glosses(pipeline):
    text = "雨花區(qū)推行學區(qū)制管理,組建教育集團。"
    doc = analyse_text(pipeline, text)
    assert doc.removed == ()  # glosses are conversion debris, normalised rather than spam
    terms = {m.canonical: m.term for s in doc.sentences for m in s.measures}
    assert terms.get("学区制", "").startswith("學區(qū)制")
    assert doc.sentences[0].places and doc.sentences[0].places[0].region.name == "雨花区"


def test_unknown_insert_cut_into_single_characters(pipeline):
    text = (
        "全县奥玥义务教育学校全部达奥玥标,城乡教奥玥师交流轮岗制度全面落奥玥实,"
        "学校标准奥玥化建设稳步推进。"
    )
    doc = analyse_text(pipeline, text)
    assert {t for t, _ in removed(doc)} == {"奥玥"}
    assert (
        doc.cleaned_text()
        == "全县义务教育学校全部达标,城乡教师交流轮岗制度全面落实,学校标准化建设稳步推进。"
    )


def test_a_line_of_spam_terms_is_spam_but_a_sentence_about_gambling_is_not(pipeline):
    text = (
        "沅江市推进课后服务全覆盖\n"
        "澳门葡京娱乐城官网 百家乐 老虎机\n"
        "沅江市严厉打击校园周边赌博、彩票销售行为。\n"
    )
    doc = analyse_text(pipeline, text)
    assert sentence(doc, "百家乐").boilerplate_reason == "spam"
    assert not sentence(doc, "彩票销售").boilerplate


def test_spam_term_glued_into_a_place_name_leaves_the_place(pipeline):
    text = "陵川包养网县推进县管校聘改革。\n陵川包养网县新建学校3所。\n全县交流教师120人。"
    doc = analyse_text(pipeline, text)
    assert [r.text for r in doc.removed] == ["包养网", "包养网"]
    assert {a.region.name for s in doc.sentences for a in s.regions} == {"陵川县"}
