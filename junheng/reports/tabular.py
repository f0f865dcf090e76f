"""The one place tables leave junheng for spreadsheets: CSV and XLSX writers that neutralise
untrusted text (crawled sentences and titles) so that no cell is ever run as a formula.

OWASP's advice for CSV injection: a cell beginning with ``= + - @``, a tab or a carriage return
is prefixed with a single quote. In XLSX every text value is written as a string cell (never as
a formula), so it shows exactly as stored.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from junheng.errors import QueryError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one
FORMATS = (".csv", ".xlsx", ".json", ".jsonl")


def csv_cell(value: Any) -> Any:
    """``value`` safe for a CSV cell opened in a spreadsheet."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document (no BOM) with every cell neutralised."""
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([csv_cell(v) for v in header])
    w.writerows([csv_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def write_csv(out: IO[str], columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Stream dict rows as CSV (neutralised); returns the rows written."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(columns)
    n = 0
    for row in rows:
        w.writerow([csv_cell(row.get(c)) for c in columns])
        n += 1
    return n


def xlsx_row(ws: Any, values: Iterable[Any], *, font: Any = None) -> list[Any]:
    """Write-only cells for one row: text as string cells (never formulas)."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for v in values:
        cell = WriteOnlyCell(ws, value=v)
        if isinstance(v, str):
            cell.data_type = "s"
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells


def write_rows(path: str | os.PathLike[str], columns: Sequence[str], rows: Iterable[Any]) -> int:
    """Write dict rows to ``path`` in the format its suffix names (.csv with a BOM, .xlsx,
    .json, .jsonl); any other suffix is refused rather than silently written as CSV."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in FORMATS:
        raise QueryError(
            f"cannot tell the format of {p.name!r}; name the file .csv, .xlsx, .json or .jsonl"
        )
    n = 0
    if suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("data")
        ws.append(xlsx_row(ws, columns))
        for row in rows:
            ws.append(xlsx_row(ws, [row.get(c) for c in columns]))
            n += 1
        wb.save(p)
        return n
    with p.open("w", encoding="utf-8", newline="") as fh:
        if suffix == ".csv":
            fh.write(BOM)
            return write_csv(fh, columns, rows)
        if suffix == ".jsonl":
            for row in rows:
                fh.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
                n += 1
            return n
        fh.write("[")
        for row in rows:
            fh.write(",\n" if n else "\n")
            fh.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False))
            n += 1
        fh.write("\n]\n")
        return n
