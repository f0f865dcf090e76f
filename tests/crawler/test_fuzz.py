"""Generated inputs against the readers: decoders (txt, html, jsonl), HTML extraction and the
pipeline. Whatever comes in, the answer is a document or one clear reason: no traceback, no
hang (an alarm stops a runaway example), memory bounded by the input."""

import json
import signal
import tracemalloc
from contextlib import contextmanager, suppress

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from junheng.crawler.files import _from_bytes, text_document
from junheng.errors import ExtractionError

HANG_SECONDS = 60  # a guard against endless loops, not a speed requirement
MEMORY = 64 * 1024 * 1024

REPORT_CHARS = (
    "新田县云和县武冈市推进实施县管校聘集团化办学学区制双减教师交流轮岗学校标准化建设"
    "义务教育优质均衡发展万亿元人次所个年月日第一二三四五"
    "，。；：、“”《》（）()！？!?…—-·●■【】〔〕\n\n \t\u3000"
    "0123456789abcXYZ泛亚电竞🔥教yu育學區(qū)制"
)
HTML_BITS = st.sampled_from(
    [
        "<html>",
        "<head><title>新田县推进县管校聘改革</title></head>",
        "<body>",
        "<div class='content'>",
        "<p>",
        "</p>",
        "</div>",
        "<script>var a=1;</script>",
        "<!--",
        "-->",
        "<meta charset='gbk'>",
        "<br/>",
        "<a href='/t20240101_1.html'>相关阅读</a>",
        "&nbsp;",
        "&#x4e2d;",
        "<table><tr><td>",
        "发布时间：2024-03-01",
        "来源：新田县教育局",
        "<![CDATA[",
        "\x00",
    ]
)


@contextmanager
def guarded():
    def stop(*_):
        raise TimeoutError(f"an example ran longer than {HANG_SECONDS} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(HANG_SECONDS)
    tracemalloc.start()
    try:
        yield
        peak = tracemalloc.get_traced_memory()[1]
        assert peak < MEMORY, peak
    finally:
        tracemalloc.stop()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _check(items, data_len):
    for item in items:
        assert (item.document is None) != (item.error is None)
        if item.error is not None:
            assert "\n" not in item.error and len(item.error) < 300
        else:
            assert item.document.text.strip()


@hsettings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_decoders_take_any_bytes(data):
    with guarded():
        for kind in ("txt", "html", "jsonl"):
            _check(list(_from_bytes("fuzz", data, kind=kind)), len(data))


@hsettings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(HTML_BITS, st.text(alphabet=REPORT_CHARS, max_size=80)), max_size=40))
def test_html_pages_give_a_document_or_a_reason(parts):
    page = "".join(parts)
    with guarded():
        for encoding in ("utf-8", "gb18030"):
            data = page.encode(encoding, errors="replace")
            _check(list(_from_bytes("fuzz.html", data, kind="html")), len(data))
        from junheng.crawler.extract import extract_article

        with suppress(ExtractionError):
            extract_article(page)


@hsettings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {"text": st.text(alphabet=REPORT_CHARS, max_size=200)},
                optional={
                    "title": st.one_of(st.none(), st.text(max_size=30)),
                    "published": st.one_of(st.none(), st.text(max_size=20), st.integers()),
                    "region": st.one_of(st.none(), st.text(alphabet=REPORT_CHARS, max_size=20)),
                    "html": st.text(max_size=50),
                },
            ),
            st.integers(),
            st.lists(st.integers(), max_size=3),
            st.text(max_size=20),
        ),
        max_size=6,
    )
)
def test_jsonl_lines_of_any_shape(objects):
    data = "\n".join(json.dumps(o, ensure_ascii=False) for o in objects).encode("utf-8")
    with guarded():
        _check(list(_from_bytes("fuzz.jsonl", data, kind="jsonl")), len(data))


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=REPORT_CHARS, min_size=1, max_size=600))
def test_the_pipeline_analyses_any_text(pipeline, text):
    with guarded():
        doc = pipeline.analyse(text_document("fuzz.txt", text))
    for s in doc.sentences:
        assert text[s.start : s.end] == s.text
        for m in s.measures:
            assert text[m.start : m.end] == m.term
        assert all(a.region.adcode for a in s.regions)
