"""Spreadsheet output: crawled text is never run as a formula; formats follow the file name."""

import csv
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from junheng import api
from junheng.cli import cli
from junheng.errors import QueryError
from junheng.reports.tabular import csv_cell, csv_text

EVIL = '=HYPERLINK("http://evil.example/x","点击查看")新田县推进县管校聘改革。'


@pytest.fixture(scope="module")
def evil_db(tmp_path_factory, settings, pipeline):
    folder = tmp_path_factory.mktemp("evil")
    src = folder / "evil.txt"
    src.write_text(
        "新田县教育局\n"
        f"{EVIL}\n+SUM(A1:A9)新田县实施集团化办学。\n@cmd 新田县落实双减政策，课后服务全覆盖。\n"
        "-2+3新田县推进学区制改革。\n",
        encoding="utf-8",
    )
    db = str(folder / "evil.db")
    api.ingest([src], db=db, settings=settings, pipeline=pipeline)
    return db


def test_csv_cells_are_neutralised():
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@x") == "'@x" and csv_cell("-x") == "'-x"
    assert csv_cell("+x") == "'+x" and csv_cell("新田县") == "新田县" and csv_cell(-3) == -3
    rows = list(csv.reader(io.StringIO(csv_text(["a"], [["=cmd|' /C calc'!A0"]]))))
    assert rows[1] == ["'=cmd|' /C calc'!A0"]


def test_xlsx_export_writes_no_formula(evil_db, settings, tmp_path):
    out = tmp_path / "x.xlsx"
    api.export("sentences", out, db=evil_db, settings=settings)
    ws = load_workbook(out).active
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("=HYPERLINK") for t in texts)  # stored as the text it is
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_csv_export_neutralises_every_leading_formula_character(evil_db, settings, tmp_path):
    out = tmp_path / "x.csv"
    api.export("sentences", out, db=evil_db, settings=settings)
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = [v for r in rows for v in r.values() if v]
    assert not [v for v in cells if v[0] in "=+-@"]
    assert any(v.startswith("'=HYPERLINK") for v in cells)


def test_compare_csv_has_a_bom_and_evidence_csv_is_safe(evil_db, tmp_path):
    out = tmp_path / "t.csv"
    r = CliRunner().invoke(cli, ["compare", "--db", evil_db, "--format", "csv", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith("\ufeff".encode())
    r = CliRunner().invoke(
        cli,
        [
            "evidence",
            "--db",
            evil_db,
            "--region",
            "新田县",
            "--strategy",
            "teacher_allocation",
            "--format",
            "csv",
        ],
    )
    assert r.exit_code == 0 and r.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert rows and all(v[:1] not in "=+-@" for row in rows for v in row.values() if v)


def test_export_format_follows_the_file_name(evil_db, settings, tmp_path):
    out = tmp_path / "x.json"
    n = api.export("sentences", out, db=evil_db, settings=settings).rows
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == n and "text" in data[0]
    with pytest.raises(QueryError, match=r"\.csv, \.xlsx"):
        api.export("sentences", tmp_path / "x.dat", db=evil_db, settings=settings)


@pytest.mark.parametrize("command", [["compare"], ["trend", "--by", "year"]])
def test_table_format_follows_out_suffix(evil_db, tmp_path, command):
    """`--out t.csv` without `--format` writes CSV (not a terminal table, never an object repr)."""
    for name, check in (
        ("t.csv", lambda raw: raw.startswith("\ufeff")),
        ("t.json", lambda raw: json.loads(raw) is not None),
        ("t.txt", lambda raw: "object at 0x" not in raw and "─" in raw),
    ):
        out = tmp_path / name
        r = CliRunner().invoke(cli, [*command, "--db", evil_db, "--out", str(out)])
        assert r.exit_code == 0, r.output
        assert check(out.read_text(encoding="utf-8")), (name, out.read_text(encoding="utf-8"))
