"""The self-contained HTML report: corpus summary, region × strategy heatmap, yearly trends, top
measures, coverage of the 2017 quality-balance evaluation dimensions, and evidence tables.

Everything is inline (CSS, SVG); the only links that leave the file are the evidence sources.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from junheng.corpus.compare import Comparison, Evidence, MeasureCount, Row
from junheng.models.taxonomy import Taxonomy
from junheng.render import LEVEL_ZH
from junheng.reports.svg import PALETTE, bar_chart, line_chart, nice_top


@dataclass(frozen=True, slots=True)
class Summary:
    documents: int
    sentences: int  # counted (non-boilerplate) sentences
    coded_sentences: int  # of which carry a strategy
    measure_mentions: int
    distinct_measures: int
    first: str | None
    last: str | None
    undated_documents: int


@dataclass(frozen=True, slots=True)
class Dimension:
    """A dimension of an evaluation framework and the strategies linked to it."""

    id: str
    name_zh: str
    strategies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class YearSeries:
    years: tuple[str, ...]
    coded: tuple[int, ...]  # coded sentences per year
    documents: tuple[int, ...]  # documents with coded sentences per year
    by_strategy: dict[str, tuple[int, ...]]  # sentences carrying each strategy per year
    undated: int  # coded sentences of undated documents


@dataclass(frozen=True, slots=True)
class ReportData:
    title: str
    generated: str
    source: str
    summary: Summary
    comparison: Comparison
    trend: YearSeries
    measures: tuple[MeasureCount, ...]
    framework: str  # the evaluation framework's Chinese name
    dimensions: tuple[Dimension, ...]
    coverage: dict[str, dict[str, int]]  # row adcode → dimension id → coded sentences
    evidence: dict[str, dict[str, tuple[Evidence, ...]]]  # row adcode → strategy → sentences
    evidence_per_cell: int = 3
    rows_shown: int = 0  # heatmap rows (0: all)
    notes: tuple[str, ...] = field(default=())


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def row_label(row: Row, by: str) -> str:
    if by == "county" and row.level != "county":
        return f"{row.label}（{LEVEL_ZH[row.level]}）"
    return row.label


def heat_colour(value: int, top: int) -> tuple[str, str]:
    """Background and text colour of a heatmap cell: white → deep blue, by a square-root scale
    so that small counts stay visible next to large ones."""
    if value <= 0 or top <= 0:
        return "#fafafa", "#bbb"
    t = min(1.0, (value / top) ** 0.5)
    low, high = (236, 243, 250), (8, 69, 148)
    r, g, b = (round(a + (c - a) * t) for a, c in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}", "#fff" if t > 0.55 else "#13294b"


def source_href(e: Evidence) -> str | None:
    """A link to the evidence's source: its URL, else its file as a file: URI."""
    for candidate in (e.url, e.location):
        if candidate and candidate.startswith(("http://", "https://")):
            return candidate
    if e.location and not e.url:
        path = Path(e.location)
        if path.is_absolute():
            return path.as_uri()
    return None


def marked(e: Evidence) -> str:
    """The sentence, escaped, with its measures wrapped in ``<mark>``."""
    out = []
    pos = 0
    for name, a, b in sorted(e.measures, key=lambda m: (m[1], -m[2])):
        if a < pos or a < 0 or b > len(e.text) or b <= a:
            continue
        out.append(esc(e.text[pos:a]))
        out.append(f'<mark title="{esc(name)}">{esc(e.text[a:b])}</mark>')
        pos = b
    out.append(esc(e.text[pos:]))
    return "".join(out)


# ---------------------------------------------------------------- sections


def _summary(d: ReportData) -> str:
    s = d.summary
    span = f"{s.first} 至 {s.last}" if s.first and s.last else "无日期"
    cards = [
        ("文档", f"{s.documents:,}"),
        ("正文句子", f"{s.sentences:,}"),
        ("编码句子", f"{s.coded_sentences:,}"),
        ("举措提及", f"{s.measure_mentions:,}"),
        ("不同举措", f"{s.distinct_measures:,}"),
        ("地区", f"{len(d.comparison.rows):,}"),
        ("时间范围", span),
    ]
    body = "".join(
        f'<div class="card"><div class="k">{esc(k)}</div><div class="v">{esc(v)}</div></div>'
        for k, v in cards
    )
    places = "、".join(row_label(r, d.comparison.by) for r in d.comparison.rows[:40])
    more = f" 等 {len(d.comparison.rows)} 个" if len(d.comparison.rows) > 40 else ""
    notes = [
        f"地区：{esc(places)}{esc(more)}" if places else "没有归属到地区的编码句子。",
        f"无发布日期的文档 {s.undated_documents} 篇；"
        f"未能归属地区的编码句子 {d.comparison.unattributed} 句。",
    ]
    return (
        '<section id="summary"><h2>一、语料概况</h2>'
        f'<div class="cards">{body}</div>'
        + "".join(f'<p class="note">{n}</p>' for n in notes)
        + "</section>"
    )


def _heatmap(d: ReportData, taxonomy: Taxonomy) -> str:
    c = d.comparison
    rows = c.rows[: d.rows_shown] if d.rows_shown else c.rows
    top = max((r.cells[s].sentences for r in rows for s in c.strategies), default=0)
    head = "".join(
        f'<th class="col" title="{esc(taxonomy.strategy(s).name_zh)}（{esc(s)}）">'
        f"{esc(taxonomy.short_name(s))}</th>"
        for s in c.strategies
    )
    lines = []
    for r in rows:
        label = row_label(r, c.by)
        place = " ".join(x for x in (r.province, r.city, r.county) if x)
        cells = []
        for s in c.strategies:
            cell = r.cells[s]
            bg, fg = heat_colour(cell.sentences, top)
            name = taxonomy.short_name(s)
            if not cell.sentences:
                cells.append(
                    f'<td class="h" style="background:{bg};color:{fg}" '
                    f'title="{esc(label)} × {esc(name)}：无">·</td>'
                )
                continue
            shown = "、".join(cell.measures[:12]) + ("…" if len(cell.measures) > 12 else "")
            tip = (
                f"{label} × {name}：{cell.sentences} 句，{cell.documents} 篇文档，"
                f"{len(cell.measures)} 项举措" + (f"：{shown}" if shown else "")
            )
            text = str(cell.sentences)
            if s in d.evidence.get(r.adcode, {}):
                text = f'<a href="#ev-{esc(r.adcode)}-{esc(s)}" style="color:{fg}">{text}</a>'
            cells.append(
                f'<td class="h" style="background:{bg};color:{fg}" title="{esc(tip)}">{text}</td>'
            )
        lines.append(
            f'<tr><th class="row" title="{esc(place)}">{esc(label)}</th>'
            f'<td class="num">{r.documents}</td>{"".join(cells)}'
            f'<td class="num total">{r.total}</td></tr>'
        )
    legend = "".join(
        f'<span class="sw" style="background:{heat_colour(v, top)[0]}"></span>{v}'
        for v in sorted({1, max(1, top // 4), max(1, top // 2), top})
        if top
    )
    omitted = (
        f'<p class="note">只显示编码句子最多的 {len(rows)} 个地区（共 {len(c.rows)} 个）；'
        "完整表格见 <code>junheng compare</code>。</p>"
        if len(rows) < len(c.rows)
        else ""
    )
    table = (
        f'<table id="heatmap" class="heat"><thead><tr><th class="row">地区</th><th>文档</th>'
        f"{head}<th>合计</th></tr></thead><tbody>{''.join(lines)}</tbody></table>"
        if rows
        else '<p class="empty">没有符合条件的编码句子。</p>'
        '<table id="heatmap" class="heat"><tbody></tbody></table>'
    )
    return (
        '<section id="heatmap-section"><h2>二、地区 × 策略热力图</h2>'
        f'<p class="note">单元格为带有该策略的正文句子数（得分 ≥ {c.threshold}），颜色越深越多；'
        "鼠标悬停可见文档数和举措名称，点击数字跳到证据。</p>"
        f'<div class="scroll">{table}</div>'
        + (f'<p class="legend">图例：{legend}</p>' if top else "")
        + omitted
        + "</section>"
    )


def _trends(d: ReportData, taxonomy: Taxonomy) -> str:
    t = d.trend
    if not t.years:
        return (
            '<section id="trends"><h2>三、年度趋势</h2>'
            '<p class="empty">没有带发布日期的编码句子。</p></section>'
        )
    overall = bar_chart(
        t.years, t.coded, title="每年编码句子数", width=min(1100, 160 + 70 * len(t.years))
    )
    shares: dict[str, list[float | None]] = {}
    for s, counts in t.by_strategy.items():
        shares[s] = [
            (n / total if total else None) for n, total in zip(counts, t.coded, strict=True)
        ]
    top = nice_top(
        max((v for vs in shares.values() for v in vs if v is not None), default=0), percent=True
    )
    smalls = "".join(
        '<div class="small">'
        + line_chart(
            t.years,
            shares[s],
            title=taxonomy.short_name(s),
            top=top,
            colour=PALETTE[k % len(PALETTE)],
        )
        + "</div>"
        for k, s in enumerate(d.comparison.strategies)
        if s in shares
    )
    undated = f"另有 {t.undated} 个编码句子来自无日期的文档，未计入。" if t.undated else ""
    return (
        '<section id="trends"><h2>三、年度趋势</h2>'
        f'<div class="chart">{overall}</div>'
        "<h3>各策略在当年编码句子中的占比</h3>"
        f'<p class="note">纵轴刻度相同，便于比较；没有编码句子的年份留空。{esc(undated)}</p>'
        f'<div class="smalls">{smalls}</div></section>'
    )


def _measures(d: ReportData, taxonomy: Taxonomy) -> str:
    if not d.measures:
        return (
            '<section id="measures"><h2>四、高频举措</h2>'
            '<p class="empty">没有识别出举措。</p></section>'
        )
    top = max(m.mentions for m in d.measures) or 1
    rows = "".join(
        f"<tr><td>{esc(m.canonical)}</td>"
        f"<td>{esc(taxonomy.short_name(m.category) if m.category in taxonomy.strategies else '–')}"
        f'</td><td class="num">{m.mentions}</td>'
        f'<td class="bar"><span style="width:{100 * m.mentions / top:.0f}%"></span></td>'
        f'<td class="num">{m.documents}</td><td class="num">{m.regions}</td></tr>'
        for m in d.measures
    )
    return (
        '<section id="measures"><h2>四、高频举措</h2>'
        '<table class="measures"><thead><tr><th>举措</th><th>类别</th><th>提及</th><th></th>'
        f"<th>文档</th><th>地区</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _dimensions(d: ReportData, taxonomy: Taxonomy) -> str:
    c = d.comparison
    rows = c.rows[: d.rows_shown] if d.rows_shown else c.rows
    dims = d.dimensions
    head = "".join(
        f'<th title="{esc("、".join(taxonomy.short_name(s) for s in dim.strategies) or "无")}">'
        f"{esc(dim.name_zh)}</th>"
        for dim in dims
    )
    top = max((v for cov in d.coverage.values() for v in cov.values()), default=0)
    lines = []
    silent_total = dict.fromkeys((dim.id for dim in dims), 0)
    for r in rows:
        cov = d.coverage.get(r.adcode, {})
        cells = []
        for dim in dims:
            n = cov.get(dim.id, 0)
            if n:
                bg, fg = heat_colour(n, top)
                cells.append(
                    f'<td class="num dim" style="background:{bg};color:{fg}" '
                    f'title="{esc(row_label(r, c.by))} · {esc(dim.name_zh)}：{n} 句">{n}</td>'
                )
            else:
                silent_total[dim.id] += 1
                cells.append(
                    f'<td class="silent" title="{esc(row_label(r, c.by))} 的报道未涉及'
                    f'{esc(dim.name_zh)}">未涉及</td>'
                )
        covered = sum(1 for dim in dims if cov.get(dim.id))
        lines.append(
            f'<tr><th class="row">{esc(row_label(r, c.by))}</th>{"".join(cells)}'
            f'<td class="num">{covered}/{len(dims)}</td></tr>'
        )
    silent = "".join(f'<td class="num">{silent_total[dim.id]}</td>' for dim in dims)
    none = "（没有映射到这一维度的策略）"
    mapping = "".join(
        f"<li><b>{esc(dim.name_zh)}</b>："
        f"{esc('、'.join(taxonomy.short_name(s) for s in dim.strategies) or none)}</li>"
        for dim in dims
    )
    table = (
        f'<table id="dimensions-table" class="dims"><thead><tr><th class="row">地区</th>{head}'
        f"<th>覆盖</th></tr></thead><tbody>{''.join(lines)}</tbody>"
        f'<tfoot><tr><th class="row">未涉及的地区数</th>{silent}<td></td></tr></tfoot></table>'
        if rows
        else '<p class="empty">没有符合条件的编码句子。</p>'
    )
    return (
        f'<section id="dimensions"><h2>五、{esc(d.framework)}四个维度的覆盖</h2>'
        '<p class="note">每格为该地区带有映射到该维度的任一策略的编码句子数（一句只计一次）；'
        "“未涉及”表示该地区的报道在这一维度上没有编码句子。策略到维度的映射来自分类体系的 "
        "official_links：</p>"
        f'<ul class="mapping">{mapping}</ul><div class="scroll">{table}</div></section>'
    )


def _evidence(d: ReportData, taxonomy: Taxonomy) -> str:
    c = d.comparison
    parts = []
    for r in c.rows:
        per = d.evidence.get(r.adcode)
        if not per:
            continue
        label = row_label(r, c.by)
        place = " ".join(x for x in (r.province, r.city) if x and x != r.label)
        blocks = []
        for s in c.strategies:
            items = per.get(s)
            if not items:
                continue
            cell = r.cells[s]
            shown = (
                f"{cell.sentences} 句"
                if len(items) >= cell.sentences
                else f"{cell.sentences} 句，显示 {len(items)} 句"
            )
            trs = "".join(_evidence_row(e) for e in items)
            blocks.append(
                f'<h4 id="ev-{esc(r.adcode)}-{esc(s)}">{esc(taxonomy.short_name(s))}'
                f" <small>{esc(taxonomy.strategy(s).name_zh)} · {esc(shown)}</small></h4>"
                f'<table class="evidence"><tbody>{trs}</tbody></table>'
            )
        parts.append(
            f'<details class="region" id="ev-{esc(r.adcode)}" open><summary>{esc(label)}'
            f" <small>{esc(place)} · {r.total} 句 · {r.documents} 篇文档</small></summary>"
            + "".join(blocks)
            + "</details>"
        )
    shown_regions = len(parts)
    note = (
        f"每个地区的每个策略列出至多 {d.evidence_per_cell} 个证据句子（最新的在前），举措以"
        "<mark>高亮</mark>标出；全部句子可用 <code>junheng evidence --region 地区 --strategy "
        "策略</code> 查看。"
    )
    if shown_regions < len(c.rows):
        note += f"这里只列出编码句子最多的 {shown_regions} 个地区。"
    return (
        '<section id="evidence"><h2>六、证据</h2>'
        f'<p class="note">{note}</p>' + "".join(parts) + "</section>"
    )


def _evidence_row(e: Evidence) -> str:
    href = source_href(e)
    title = e.title or e.url or e.location or "来源"
    src = (
        f'<a class="source" href="{esc(href)}" rel="noopener noreferrer">{esc(title)}</a>'
        if href
        else esc(title)
    )
    return (
        f'<tr><td class="date">{esc(e.published or "无日期")}</td>'
        f'<td class="text">{marked(e)}</td><td class="src">{src}</td></tr>'
    )


# ---------------------------------------------------------------- page

CSS = """
:root{--ink:#1d2733;--muted:#5b6673;--line:#d9dee4;--accent:#08519c}
*{box-sizing:border-box}
body{margin:0;background:#f4f6f8;color:var(--ink);font:14px/1.6 "Noto Sans CJK SC",
"Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif}
main{max-width:1180px;margin:0 auto;padding:20px 24px 60px;background:#fff}
h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:36px 0 10px;padding-bottom:4px;
border-bottom:2px solid var(--accent)}h3{font-size:16px;margin:18px 0 6px}
h4{font-size:14px;margin:14px 0 4px;color:var(--accent)}h4 small,summary small{color:var(--muted);
font-weight:normal}
.meta,.note{color:var(--muted);font-size:13px;margin:4px 0}
nav{margin:10px 0 0;font-size:13px}nav a{margin-right:14px;color:var(--accent)}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px}
.card .k{color:var(--muted);font-size:12px}.card .v{font-size:20px;font-weight:bold}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 6px}
thead th{background:#eef1f4;font-weight:600;white-space:nowrap}
th.row{text-align:left;white-space:nowrap;background:#f8f9fa;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
table.heat td.h{text-align:center;min-width:46px;font-variant-numeric:tabular-nums}
table.heat td.h a{text-decoration:none;font-weight:600}
table.heat td.total{font-weight:bold}
.legend{font-size:12px;color:var(--muted)}
.legend .sw{display:inline-block;width:22px;height:12px;margin:0 4px 0 10px;
border:1px solid var(--line);vertical-align:middle}
.chart{margin:6px 0}
.smalls{display:flex;flex-wrap:wrap;gap:6px 10px}
.small{border:1px solid var(--line);border-radius:4px}
table.measures td.bar{width:260px}
table.measures td.bar span{display:block;height:10px;background:#4c78a8;border-radius:2px}
table.dims td.dim{min-width:90px}
table.dims td.silent{background:#fdecea;color:#b3261e;text-align:center;font-size:12px}
table.dims tfoot th,table.dims tfoot td{background:#f8f9fa}
ul.mapping{margin:4px 0 10px;padding-left:20px;font-size:13px}
details.region{border:1px solid var(--line);border-radius:6px;margin:10px 0;padding:4px 12px 10px}
details.region summary{font-size:16px;font-weight:bold;cursor:pointer;padding:4px 0}
table.evidence{width:100%;table-layout:fixed}
table.evidence td{vertical-align:top}
table.evidence td.date{width:96px;color:var(--muted);white-space:nowrap}
table.evidence td.src{width:230px;font-size:12px;overflow-wrap:anywhere}
mark{background:#ffe08a;padding:0 1px}
a{color:var(--accent)}
.empty{color:#b3261e}
code{background:#f0f2f4;padding:0 4px;border-radius:3px}
footer{margin-top:40px;color:var(--muted);font-size:12px}
@media print{body{background:#fff}main{max-width:none}details.region{break-inside:avoid}}
"""


def render_report(data: ReportData, taxonomy: Taxonomy) -> str:
    """The report as one HTML document."""
    filters = data.comparison.filters
    filt = f" · 筛选：{esc(filters.describe())}" if filters.active else ""
    nav = "".join(
        f'<a href="#{a}">{esc(t)}</a>'
        for a, t in (
            ("summary", "语料概况"),
            ("heatmap-section", "热力图"),
            ("trends", "年度趋势"),
            ("measures", "高频举措"),
            ("dimensions", "评估维度"),
            ("evidence", "证据"),
        )
    )
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in (*data.comparison.notes, *data.notes))
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(data.title)}</title><style>{CSS}</style></head><body><main>"
        f"<header><h1>{esc(data.title)}</h1>"
        f'<p class="meta">数据库 {esc(data.source)} · 生成于 {esc(data.generated)}{filt}</p>'
        f"{notes}<nav>{nav}</nav></header>"
        + _summary(data)
        + _heatmap(data, taxonomy)
        + _trends(data, taxonomy)
        + _measures(data, taxonomy)
        + _dimensions(data, taxonomy)
        + _evidence(data, taxonomy)
        + "<footer>由 junheng 生成：句子按地区归属、按策略编码（词典规则 lexicon.v1）；"
        "计数只含正文句子（不含页面框架、无关和重复转载的文档）。</footer>"
        "</main></body></html>\n"
    )
