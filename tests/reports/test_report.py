"""The self-contained HTML report, built from the bundled sample."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

SAMPLE_REGIONS = ("云和县", "新田县", "雨花区", "湘乡市", "沅江市", "成都市", "华阴市", "武冈市")
DIMENSIONS = ("资源配置", "政府保障程度", "教育质量", "社会认可度")


class _Links(HTMLParser):
    """Every (tag, attribute, value, tag attributes) that can load or link something."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str, dict[str, str | None]]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "action", "poster") and value:
                self.found.append((tag, name, value, dict(attrs)))


@pytest.fixture(scope="module")
def report_html(sample_db, settings, pipeline, tmp_path_factory) -> str:
    from junheng.api.report import report

    out = tmp_path_factory.mktemp("report") / "report.html"
    result = report(out, db=sample_db, settings=settings, pipeline=pipeline)
    assert result.regions >= 8 and result.evidence > 0
    assert out.stat().st_size == result.bytes
    return out.read_text(encoding="utf-8")


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find("<section", start)
    return html[start : end if end > 0 else len(html)]


def test_report_is_self_contained(report_html):
    parser = _Links()
    parser.feed(report_html)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert "iframe" not in parser.tags and "img" not in parser.tags
    assert "@import" not in report_html and "url(" not in report_html
    for tag, attr, value, attrs in parser.found:
        if re.match(r"(?i)\s*(https?:)?//", value):
            # the only links that leave the file: evidence sources
            assert tag == "a" and attrs.get("class") == "source", (tag, attr, value)
        assert not value.lower().startswith("javascript:")
    assert report_html.startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in report_html


def test_heatmap_holds_the_sample_regions_and_counts(report_html, sample_db, settings, pipeline):
    from junheng import api

    heat = _section(report_html, "heatmap")
    assert heat.startswith('id="heatmap"')
    for name in SAMPLE_REGIONS:
        assert f">{name}" in heat, name
    assert "成都市（市级）" in heat
    for short in ("统筹督导", "教师配置", "集团学区", "双减"):
        assert f">{short}</th>" in heat
    table = api.compare(by="county", db=sample_db, settings=settings, pipeline=pipeline)
    row = next(r for r in table.rows if r.label == "新田县")
    cell = row.cells["teacher_allocation"]
    # the cell's title names the count and its measures; the colour grows with the count
    tips = re.findall(r'title="新田县 × 教师配置：(\d+) 句[^"]*"', heat)
    assert tips == [str(cell.sentences)]
    assert "县管校聘" in re.search(r'title="新田县 × 教师配置：[^"]*"', heat).group(0)
    colours = dict(
        (int(n), bg)
        for bg, n in re.findall(r"background:(#[0-9a-f]{6});[^>]*>(?:<a[^>]*>)?(\d+)<", heat)
    )
    assert len(set(colours.values())) > 3
    assert colours[max(colours)] != colours[min(colours)]


def test_heat_colour_scales_with_the_count():
    from junheng.reports.html import heat_colour

    def darkness(colour: str) -> int:
        return -sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    shades = [darkness(heat_colour(n, 20)[0]) for n in (1, 5, 10, 20)]
    assert shades == sorted(shades) and len(set(shades)) == 4
    assert heat_colour(0, 20)[0] == "#fafafa"


def test_trends_and_top_measures(report_html):
    trends = _section(report_html, "trends")
    assert trends.count("<svg") == 1 + 13  # coded sentences per year + one small chart per strategy
    for year in ("2018", "2022", "2023"):
        assert f">{year}</text>" in trends
    assert "每年编码句子数" in trends and ">集团学区</text>" in trends
    measures = _section(report_html, "measures")
    assert "标准化学校建设" in measures and "双减" in measures


def test_dimensions_section(report_html):
    dims = _section(report_html, "dimensions")
    assert "县域义务教育优质均衡发展督导评估办法" in dims
    for name in DIMENSIONS:
        assert f">{name}</th>" in dims
    # social recognition comes only through 统筹督导, which 新田县 lacks: marked as silent
    row = re.search(r'<th class="row">新田县</th>(.*?)</tr>', dims).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells[3] == "未涉及" and cells[4] == "3/4"
    assert all(c.isdigit() and int(c) > 0 for c in cells[:3])
    assert "<b>社会认可度</b>：统筹督导" in dims


def test_dimension_counts_are_distinct_sentences(sample_db, settings, pipeline):
    from junheng import api
    from junheng.api.report import report_data

    flt = api.make_filters(pipeline)
    data = report_data(db=sample_db, settings=settings, taxonomy=pipeline.taxonomy, filters=flt)
    dims = {d.id: d for d in data.dimensions}
    assert set(dims) == {
        "resource_allocation",
        "government_guarantee",
        "education_quality",
        "social_recognition",
    }
    assert "teacher_allocation" in dims["resource_allocation"].strategies
    for row in data.comparison.rows:
        cov = data.coverage[row.adcode]
        for dim in dims.values():
            cells = [row.cells[s].sentences for s in dim.strategies]
            # a sentence carrying two linked strategies counts once
            assert max(cells, default=0) <= cov[dim.id] <= sum(cells)


def test_evidence_tables(report_html):
    ev = _section(report_html, "evidence")
    assert "<mark" in ev and "</mark>" in ev
    assert re.search(r"<mark[^>]*>县管校聘</mark>", ev)
    assert 'id="ev-431128-teacher_allocation"' in ev  # 新田县 × 教师配置, linked from the heatmap
    assert 'href="#ev-431128-teacher_allocation"' in report_html
    # sources: the sample files are linked as file: URIs
    links = re.findall(r'<a class="source" href="([^"]+)"', ev)
    assert links and all(link.startswith("file:///") for link in links)


def test_report_escapes_everything(tmp_path, settings, pipeline):
    from junheng import api
    from junheng.api.report import report

    doc = tmp_path / "x.txt"
    doc.write_text(
        '<script>alert("标题")</script>新田县推进县管校聘改革\n\n'
        "新田县全面推进“县管校聘”管理改革，<b>教师</b>交流轮岗 300 余人次。\n"
        "新田县实施<img src=x onerror=alert(1)>集团化办学，组建教育联盟。\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "x.db")
    api.ingest([str(doc)], db=db, settings=settings, pipeline=pipeline)
    out = tmp_path / "x.html"
    report(out, db=db, settings=settings, pipeline=pipeline)
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "<b>教师" not in html
    assert "&lt;script&gt;" in html or "&lt;b&gt;" in html


def test_filters_that_match_nothing_give_an_empty_report(tmp_path, sample_db, settings, pipeline):
    from junheng.api.report import report

    out = tmp_path / "empty.html"
    result = report(out, db=sample_db, years="1990", settings=settings, pipeline=pipeline)
    html = out.read_text(encoding="utf-8")
    assert result.regions == 0 and result.evidence == 0
    assert 'id="heatmap"' in html and "没有符合条件的编码句子" in html
    assert "筛选" in html


def test_report_command(tmp_path, sample_db):
    from click.testing import CliRunner

    import junheng.cli.report  # noqa: F401 - registers the commands
    from junheng.cli import cli

    out = tmp_path / "r.html"
    args = ["report", "--db", sample_db, "--out", str(out), "--province", "湖南省"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    heat = _section(html, "heatmap")
    assert "新田县" in heat and "云和县" not in heat
    res = CliRunner().invoke(cli, ["report", "--db", str(tmp_path / "none.db"), "--out", str(out)])
    assert res.exit_code != 0 and "no corpus" in res.output
    res = CliRunner().invoke(
        cli, ["report", "--db", sample_db, "--out", str(tmp_path / "no/r.html")]
    )
    assert res.exit_code != 0 and "does not exist" in res.output
    for name in ("report", "serve"):
        assert "Example:" in (cli.commands[name].help or "")


def test_svg_axes_are_round():
    from junheng.reports.svg import bar_chart, grid_lines, nice_top

    assert [nice_top(v) for v in (0, 3, 14, 85, 250)] == [1, 5, 20, 100, 250]
    assert nice_top(0.3, percent=True) == 0.4
    assert grid_lines(100, percent=False) == 4
    assert grid_lines(0.5, percent=True, most=2) == 2
    svg = bar_chart(["2018", "<2019>"], [14, 85], title="a&b")
    assert "&lt;2019&gt;" in svg and "a&amp;b" in svg and ">75</text>" in svg
    assert not re.search(r">\d+\.\d{3,}<", svg)


def test_report_paths(tmp_path):
    from junheng.corpus.compare import Evidence
    from junheng.reports.html import marked, source_href

    e = Evidence(
        1,
        "推进<县管校聘>",
        None,
        None,
        None,
        str(Path("/data/a b.txt")),
        None,
        "x",
        1.0,
        (("县管校聘", 3, 7),),
    )
    assert marked(e) == '推进&lt;<mark title="县管校聘">县管校聘</mark>&gt;'
    assert source_href(e) == "file:///data/a%20b.txt"
    js = Evidence(1, "t", None, None, "javascript:alert(1)", "rel/path.txt", None, "x", 1.0, ())
    assert source_href(js) is None
