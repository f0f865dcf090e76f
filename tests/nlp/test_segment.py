import jieba

from junheng.nlp.segment import Segmenter

# fmt: off
CASES = [
    ("新田县推进县管校聘改革，同时深化集团化办学，落实双减课后服务。",
     ["新田县", "推进", "县管校聘", "改革", "，", "同时", "深化", "集团化办学", "，", "落实", "双减",
      "课后服务", "。"]),
    ("沅江推行控辍保学和两免一补", ["沅江", "推行", "控辍保学", "和", "两免一补"]),
]
# fmt: on


def test_domain_words_stay_whole(segmenter):
    for text, expected in CASES:
        assert segmenter.cut(text) == expected


def test_tokens_cover_the_text_exactly(segmenter):
    text = "  第一段 \n第二段：县管校聘\t改革。"
    assert "".join(segmenter.cut(text)) == text


def test_own_tokenizer_leaves_jieba_globals_alone(segmenter):
    segmenter.cut("县管校聘")
    assert "县管校聘" not in jieba.dt.FREQ or jieba.dt.FREQ.get("县管校聘", 0) == 0
    assert segmenter.tokenizer is not jieba.dt


def test_index_terms_include_dictionary_subwords(segmenter):
    terms = segmenter.index_terms(["集团化办学", "，", "双减"])
    assert "办学" in terms and "集团化办学" in terms and "双减" in terms
    assert "，" not in terms


def test_query_terms_drop_syntax_characters(segmenter):
    terms = segmenter.query_terms('"县管 OR')
    assert terms and all('"' not in t and " " not in t for t in terms)
    assert terms[-1] == "or"
    assert segmenter.query_terms("集团化办学") == ["集团化办学"]


def test_fingerprint_changes_with_the_dictionary():
    a = Segmenter(["县管校聘"]).fingerprint
    b = Segmenter(["县管校聘", "新三好"]).fingerprint
    assert a != b


def test_a_query_is_cut_without_loading_the_dictionary_and_as_the_full_one_cuts(tmp_path):
    from junheng.nlp.segment import Segmenter

    words, places = ["县管校聘", "标准化学校建设", "集团化办学"], ["新田县", "湖南省"]
    full = Segmenter(words, places, cache_dir=tmp_path)
    full.cut("预热")  # the first full load leaves the word table in the cache
    light = Segmenter(words, places, cache_dir=tmp_path)
    for query in (
        "县管校聘改革",
        "义务教育标准化学校建设",
        "湖南省新田县推进“县管校聘”",
        "教师 3.5亿元",
    ):
        assert light.query_terms(query) == full.query_terms(query)
        assert light.splits(query) == full.splits(query)
    assert light._tk is None  # never loaded


def test_cut_is_jiebas_dictionary_only_cut(pipeline):
    from junheng.api import sample_paths

    seg = pipeline.segmenter
    texts = [p.read_text(encoding="utf-8") for p in sample_paths()]
    texts += ["", " \r\n\t", "abc def 12.5% 教育-改革", "ＡＢＣ全角 😀", "县管校聘县管校聘"]
    for text in texts:
        assert seg.cut(text) == list(seg.tokenizer.cut(text, HMM=False))
