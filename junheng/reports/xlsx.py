"""Excel workbooks (openpyxl, streamed): one sheet per view of a comparison and an evidence
sheet whose rows link to the source pages."""

from __future__ import annotations

import os
from collections.abc import Iterable

from junheng.corpus.compare import Comparison, Evidence
from junheng.models.taxonomy import Taxonomy
from junheng.render import LEVEL_ZH
from junheng.reports.tabular import xlsx_row

VIEWS = (("句子数", "sentences"), ("文档数", "documents"), ("占比", "share"), ("举措", "measures"))


def comparison_workbook(
    path: str | os.PathLike[str],
    table: Comparison,
    taxonomy: Taxonomy,
    evidence: Iterable[Evidence] = (),
) -> int:
    """Write the comparison (one sheet per view) and its evidence; returns evidence rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    head = [
        "地区",
        "级别",
        "省",
        "市",
        "县",
        "文档",
        *(taxonomy.short_name(s) for s in table.strategies),
        "合计",
    ]
    ids = ["region", "level", "province", "city", "county", "documents", *table.strategies, "total"]
    for title, field in VIEWS:
        ws = wb.create_sheet(title)
        ws.append(xlsx_row(ws, head, font=bold))
        ws.append(xlsx_row(ws, ids))
        for r in table.rows:
            values: list[object] = [
                r.label,
                LEVEL_ZH[r.level],
                r.province,
                r.city,
                r.county,
                r.documents,
            ]
            for sid in table.strategies:
                cell = r.cells[sid]
                if field == "measures":
                    values.append("、".join(cell.measures))
                else:
                    values.append(getattr(cell, field))
            values.append(r.total if field == "sentences" else None)
            ws.append(xlsx_row(ws, values))
        ws.append([])
        ws.append(
            xlsx_row(
                ws,
                [
                    f"Filters: {table.filters.describe()}; threshold {table.threshold}; "
                    f"{table.unattributed} coded sentences have no region."
                ],
            )
        )
    ws = wb.create_sheet("证据")
    ws.append(xlsx_row(ws, ("地区", "策略", "日期", "标题", "句子", "来源")))
    n = 0
    for e in evidence:
        link = e.url or e.location or ""
        source: object = link
        if link.startswith(("http://", "https://")):
            label = link.replace('"', "'")
            source = f'=HYPERLINK("{label}","{label}")'
        cells = xlsx_row(
            ws,
            [
                e.region or "–",
                taxonomy.short_name(e.strategy),
                e.published,
                e.title or "",
                e.highlighted(),
                link,
            ],
        )
        cells[-1].value = source  # the only formula: a link whose text cannot break out of it
        ws.append(cells)
        n += 1
    wb.save(path)
    return n
