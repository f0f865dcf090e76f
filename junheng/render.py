"""Output formats for tables: terminal table, Markdown, CSV, JSON and HTML.

Every analysis is turned into a ``TableData`` (headers, rows, caption); the formats render that.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from junheng.corpus.analyses import Matrix, TimelineRow, Trend
from junheng.corpus.compare import Comparison, Evidence, MeasureCount
from junheng.models.taxonomy import Taxonomy
from junheng.reports.tabular import csv_text

if TYPE_CHECKING:
    from rich.table import Table

TEXT_FORMATS = ("table", "md", "csv", "json", "html")
LEVEL_ZH = {"county": "县级", "city": "市级", "province": "省级"}
INSTRUMENT_ZH = {
    "mandate": "强制型",
    "inducement": "激励型",
    "capacity_building": "能力建设型",
    "system_changing": "系统变革型",
    "hortatory": "劝导型",
}


@dataclass(frozen=True, slots=True)
class TableData:
    """A table in plain values: what every output format renders."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str = ""
    right: frozenset[int] = field(default=frozenset())  # right-aligned (numeric) columns
    wide_headers: tuple[str, ...] = ()  # column names for csv/json when they differ from headers

    def keys(self) -> tuple[str, ...]:
        return self.wide_headers or self.headers


def _row_label(row: Any, by: str) -> str:
    if by == "county" and row.level != "county":
        return f"{row.label}（{LEVEL_ZH[row.level]}）"
    return row.label


def _cell_text(sentences: int, measures: int) -> str:
    return f"{sentences}/{measures}" if sentences else "·"


def comparison_footnote(table: Comparison) -> str:
    note = (
        f"Cells: distinct sentences/distinct measures (strategy score ≥ {table.threshold}; "
        "a text repeated in the corpus counts once); 合计: distinct sentences of the row. "
        f"{table.unattributed} sentences with a strategy are not attributed to any region."
    )
    if table.filters.active:
        note += f" Filters: {table.filters.describe()}."
    if table.labelled_by:
        note += f" Strategy labels by {', '.join(table.labelled_by)}."
    return " ".join((*table.notes, note))


def comparison_table(table: Comparison, taxonomy: Taxonomy) -> TableData:
    """Compact view: one ``sentences/measures`` cell per strategy."""
    headers = ("地区", "文档", *(taxonomy.short_name(s) for s in table.strategies), "合计")
    rows = tuple(
        (
            _row_label(r, table.by),
            r.documents,
            *(_cell_text(r.cells[s].sentences, len(r.cells[s].measures)) for s in table.strategies),
            r.total,
        )
        for r in table.rows
    )
    return TableData(
        f"Strategies by {table.by}",
        headers,
        rows,
        comparison_footnote(table),
        frozenset(range(1, len(headers))),
    )


def comparison_json(table: Comparison, taxonomy: Taxonomy) -> dict[str, Any]:
    return {
        "by": table.by,
        "threshold": table.threshold,
        "counted": "distinct sentences (a repeated text counts once) with a strategy score"
        " at or above the threshold; a row's sentences count each sentence once",
        "filters": table.filters.describe(),
        "labelled_by": list(table.labelled_by),
        "notes": list(table.notes),
        "strategies": [
            {"id": s, "name_zh": taxonomy.strategy(s).name_zh, "short_zh": taxonomy.short_name(s)}
            for s in table.strategies
        ],
        "rows": [
            {
                "region": r.label,
                "level": r.level,
                "adcode": r.adcode,
                "province": r.province,
                "city": r.city,
                "county": r.county,
                "documents": r.documents,
                "sentences": r.total,
                "measure_sentences": r.measure_sentences,
                "cells": {
                    sid: {
                        "sentences": c.sentences,
                        "documents": c.documents,
                        "measures": list(c.measures),
                        "share": c.share,
                    }
                    for sid, c in r.cells.items()
                },
            }
            for r in table.rows
        ],
        "unattributed_sentences": table.unattributed,
    }


def comparison_csv(table: Comparison, taxonomy: Taxonomy) -> str:
    """Wide CSV: per strategy its sentences, documents, share and measures (Excel-ready)."""
    head = [
        "region",
        "level",
        "adcode",
        "province",
        "city",
        "county",
        "documents",
        "distinct_sentences",
    ]
    for sid in table.strategies:
        head += [sid, f"{sid}_documents", f"{sid}_share", f"{sid}_measures"]
    lines = []
    for r in table.rows:
        line: list[Any] = [
            r.label,
            r.level,
            r.adcode,
            r.province,
            r.city,
            r.county,
            r.documents,
            r.total,
        ]
        for sid in table.strategies:
            c = r.cells[sid]
            line += [c.sentences, c.documents, c.share, "、".join(c.measures)]
        lines.append(line)
    return csv_text(head, lines)


def matrix_table(m: Matrix, taxonomy: Taxonomy) -> TableData:
    def label(axis: str, value: str) -> str:
        if axis == "strategy" and value in taxonomy.strategies:
            return taxonomy.short_name(value)
        if axis == "instrument":
            return INSTRUMENT_ZH.get(value, value)
        return value

    headers = (
        f"{m.rows_axis} \\ {m.cols_axis}",
        *(label(m.cols_axis, c) for c in m.cols),
        "合计",
        "占比",
    )
    rows = []
    for r in m.rows:
        cells = [
            f"{m.counts.get((r, c), 0)} ({m.share(r, c):.1%})" if m.counts.get((r, c)) else "·"
            for c in m.cols
        ]
        rows.append(
            (
                label(m.rows_axis, r),
                *cells,
                m.row_total(r),
                f"{m.row_total(r) / m.total:.1%}" if m.total else "–",
            )
        )
    rows.append(("合计", *(m.col_total(c) for c in m.cols), m.total, "100%" if m.total else "–"))
    caption = " ".join((*m.notes, "Cells: coded sentences (share of all)."))
    wide = (m.rows_axis, *m.cols, "total", "share")
    return TableData(
        f"{m.rows_axis} × {m.cols_axis}",
        headers,
        tuple(rows),
        caption,
        frozenset(range(1, len(headers))),
        wide,
    )


def matrix_json(m: Matrix) -> dict[str, Any]:
    return {
        "rows_axis": m.rows_axis,
        "cols_axis": m.cols_axis,
        "rows": list(m.rows),
        "cols": list(m.cols),
        "total": m.total,
        "notes": list(m.notes),
        "cells": [
            {"row": r, "col": c, "count": m.counts.get((r, c), 0), "share": round(m.share(r, c), 4)}
            for r in m.rows
            for c in m.cols
        ],
    }


def trend_table(t: Trend) -> TableData:
    rows = tuple((p.period, p.hits, p.documents, p.sentences, f"{p.share:.1%}") for p in t.points)
    caption = " ".join((*t.notes, f"{t.undated} coded sentences have no date."))
    return TableData(
        f"Trend of {t.subject} by {t.by}",
        ("时期", "命中句", "文档", "编码句", "占比"),
        rows,
        caption,
        frozenset({1, 2, 3, 4}),
        ("period", "hits", "documents", "coded_sentences", "share"),
    )


def timeline_table(rows: Sequence[TimelineRow], measure: str) -> TableData:
    data = tuple(
        (
            r.region,
            r.province,
            r.first_seen or "–",
            r.last_seen or "–",
            r.mentions,
            r.documents,
            r.first_title or "",
        )
        for r in rows
    )
    caption = "" if rows else f"no region reports {measure!r}"
    return TableData(
        f"Timeline of {measure}",
        ("地区", "省份", "首见", "末见", "提及", "文档", "首见报道"),
        data,
        caption,
        frozenset({4, 5}),
        ("region", "province", "first_seen", "last_seen", "mentions", "documents", "first_title"),
    )


def evidence_table(items: Sequence[Evidence], title: str) -> TableData:
    data = tuple(
        (
            e.published or "–",
            e.region or "–",
            e.highlighted(),
            e.title or "",
            e.url or e.location or "",
        )
        for e in items
    )
    return TableData(
        title,
        ("日期", "地区", "句子", "标题", "来源"),
        data,
        f"{len(items)} sentences",
        frozenset(),
        ("published", "region", "sentence", "title", "url"),
    )


def measures_table(measures: Sequence[MeasureCount], taxonomy: Taxonomy) -> TableData:
    rows = tuple(
        (
            m.canonical,
            taxonomy.short_name(m.category) if m.category in taxonomy.strategies else "–",
            m.mentions,
            m.documents,
            m.regions,
        )
        for m in measures
    )
    return TableData(
        "Top measures", ("举措", "类别", "提及", "文档", "地区"), rows, "", frozenset({2, 3, 4})
    )


# ---------------------------------------------------------------- formats


def to_rich(t: TableData, *, two_line_headers: bool = False) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(
        title=t.title,
        box=box.SIMPLE_HEAD,
        header_style="bold",
        pad_edge=False,
        caption=t.caption or None,
    )
    for i, h in enumerate(t.headers):
        table.add_column(
            _two_lines(h) if two_line_headers and i else h,
            justify="right" if i in t.right else "left",
            # numbers and codes never wrap; names, sentences and titles do
            no_wrap=i in t.right,
        )
    for row in t.rows:
        table.add_row(*(str(v) for v in row))
    return table


def _two_lines(label: str) -> str:
    """Split a 4–5 character header over two lines to keep many columns narrow."""
    if len(label) <= 3:
        return label
    cut = len(label) - 2
    return label[:cut] + "\n" + label[cut:]


def to_markdown(t: TableData) -> str:
    lines = ["| " + " | ".join(t.headers) + " |", "|" + "---|" * len(t.headers)]
    lines += ["| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |" for row in t.rows]
    if t.caption:
        lines += ["", t.caption]
    return "\n".join(lines)


def to_csv(t: TableData) -> str:
    return csv_text(t.keys(), t.rows)


def to_json(t: TableData) -> str:
    return json.dumps(
        {
            "title": t.title,
            "caption": t.caption,
            "rows": [dict(zip(t.keys(), row, strict=True)) for row in t.rows],
        },
        ensure_ascii=False,
        indent=2,
    )


def to_html(t: TableData, *, standalone: bool = True) -> str:
    """An HTML table (inline styles only; opens offline)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in t.headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"num" if i in t.right else ""}">{html.escape(str(v))}</td>'
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in t.rows
    )
    table = (
        f"<table><caption>{html.escape(t.title)}</caption><thead><tr>{head}</tr></thead>"
        f'<tbody>{body}</tbody></table><p class="note">{html.escape(t.caption)}</p>'
    )
    if not standalone:
        return table
    return (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8">'
        f"<title>{html.escape(t.title)}</title><style>{TABLE_CSS}</style></head><body>"
        f"{table}</body></html>"
    )


TABLE_CSS = (
    "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:1.5em}"
    "table{border-collapse:collapse;font-size:14px}caption{font-weight:bold;text-align:left;"
    "padding:.4em 0}th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}"
    "td.num{text-align:right}.note{color:#555;font-size:13px}"
)


def render(t: TableData, fmt: str, *, two_line_headers: bool = False) -> str | Table:
    """``t`` in ``fmt``: a rich ``Table`` for ``table``, text for the others."""
    if fmt == "md":
        return to_markdown(t)
    if fmt == "csv":
        return to_csv(t)
    if fmt == "json":
        return to_json(t)
    if fmt == "html":
        return to_html(t)
    return to_rich(t, two_line_headers=two_line_headers)


def render_comparison(table: Comparison, taxonomy: Taxonomy, fmt: str) -> str | Table:
    """The comparison in ``fmt``; csv and json carry every cell value (documents, shares)."""
    if fmt == "json":
        return json.dumps(comparison_json(table, taxonomy), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return comparison_csv(table, taxonomy)
    return render(comparison_table(table, taxonomy), fmt, two_line_headers=True)


def comparison_rich(table: Comparison, taxonomy: Taxonomy) -> Table:
    return to_rich(comparison_table(table, taxonomy), two_line_headers=True)


def measures_rich(measures: Sequence[MeasureCount], taxonomy: Taxonomy) -> Table:
    return to_rich(measures_table(measures, taxonomy))
