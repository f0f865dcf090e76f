"""Output formats for tables and search results: terminal table, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from junheng.corpus.compare import Comparison, MeasureCount
from junheng.models.taxonomy import Taxonomy

if TYPE_CHECKING:
    from rich.table import Table

FORMATS = ("table", "md", "csv", "json")
LEVEL_ZH = {"county": "县级", "city": "市级", "province": "省级"}


def _row_label(row: Any, by: str) -> str:
    if by == "county" and row.level != "county":
        return f"{row.label}（{LEVEL_ZH[row.level]}）"
    return row.label


def comparison_json(table: Comparison, taxonomy: Taxonomy) -> dict[str, Any]:
    return {
        "by": table.by,
        "threshold": table.threshold,
        "strategies": [
            {"id": s, "name_zh": taxonomy.strategy(s).name_zh, "short_zh": taxonomy.short_name(s)}
            for s in table.strategies
        ],
        "rows": [
            {
                "region": r.label,
                "level": r.level,
                "province": r.province,
                "city": r.city,
                "county": r.county,
                "documents": r.documents,
                "sentences": r.total,
                "cells": {
                    sid: {"sentences": c.sentences, "measures": list(c.measures)}
                    for sid, c in r.cells.items()
                },
            }
            for r in table.rows
        ],
        "unattributed_sentences": table.unattributed,
    }


def comparison_csv(table: Comparison, taxonomy: Taxonomy) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    head = ["region", "level", "province", "city", "county", "documents", "sentences"]
    for sid in table.strategies:
        head += [sid, f"{sid}_measures"]
    w.writerow(head)
    for r in table.rows:
        line: list[Any] = [r.label, r.level, r.province, r.city, r.county, r.documents, r.total]
        for sid in table.strategies:
            cell = r.cells[sid]
            line += [cell.sentences, "、".join(cell.measures)]
        w.writerow(line)
    return buf.getvalue()


def comparison_markdown(table: Comparison, taxonomy: Taxonomy) -> str:
    head = ["地区", "文档", *(taxonomy.short_name(s) for s in table.strategies), "合计"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in table.rows:
        cells = [
            _cell_text(r.cells[s].sentences, len(r.cells[s].measures)) for s in table.strategies
        ]
        lines.append(
            "| "
            + " | ".join([_row_label(r, table.by), str(r.documents), *cells, str(r.total)])
            + " |"
        )
    lines.append("")
    lines.append(footnote(table))
    return "\n".join(lines)


def _cell_text(sentences: int, measures: int) -> str:
    return f"{sentences}/{measures}" if sentences else "·"


def footnote(table: Comparison) -> str:
    return (
        f"Cells: sentences/distinct measures (strategy score ≥ {table.threshold}); "
        f"{table.unattributed} sentences with a strategy are not attributed to any region."
    )


def comparison_rich(table: Comparison, taxonomy: Taxonomy) -> Table:
    from rich import box
    from rich.table import Table

    t = Table(
        title=f"Strategies by {table.by}", box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False
    )
    t.add_column("地区", no_wrap=True)
    t.add_column("文档", justify="right")
    for sid in table.strategies:
        t.add_column(_two_lines(taxonomy.short_name(sid)), justify="right", no_wrap=True)
    t.add_column("合计", justify="right")
    for r in table.rows:
        t.add_row(
            _row_label(r, table.by),
            str(r.documents),
            *(_cell_text(r.cells[s].sentences, len(r.cells[s].measures)) for s in table.strategies),
            str(r.total),
        )
    t.caption = footnote(table)
    return t


def _two_lines(label: str) -> str:
    """Split a 4–5 character header over two lines to keep 13 strategy columns narrow."""
    if len(label) <= 3:
        return label
    cut = len(label) - 2
    return label[:cut] + "\n" + label[cut:]


def render_comparison(table: Comparison, taxonomy: Taxonomy, fmt: str) -> str | Table:
    """The comparison in ``fmt``: a rich ``Table`` for ``table``, text for the others."""
    if fmt == "json":
        return json.dumps(comparison_json(table, taxonomy), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return comparison_csv(table, taxonomy)
    if fmt == "md":
        return comparison_markdown(table, taxonomy)
    return comparison_rich(table, taxonomy)


def measures_rich(measures: Sequence[MeasureCount], taxonomy: Taxonomy) -> Table:
    from rich import box
    from rich.table import Table

    t = Table(title="Top measures", box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for name, justify in (
        ("举措", "left"),
        ("类别", "left"),
        ("提及", "right"),
        ("文档", "right"),
        ("地区", "right"),
    ):
        t.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for m in measures:
        cat = taxonomy.short_name(m.category) if m.category in taxonomy.strategies else "–"
        t.add_row(m.canonical, cat, str(m.mentions), str(m.documents), str(m.regions))
    return t
