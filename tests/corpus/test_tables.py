"""Tables researchers take away: every cell traceable, every format with the same numbers."""

import csv
import io
import json

import pytest

from junheng import api
from junheng.corpus.filters import parse_years
from junheng.errors import QueryError
from junheng.models.taxonomy import load_taxonomy
from junheng.render import comparison_csv


def assert_cells_equal_evidence(db, settings, pipeline) -> int:
    """Every cell of every level counts exactly the sentences ``evidence`` lists for it."""
    checked = 0
    for by in ("county", "city", "province"):
        table = api.compare(by=by, db=db, settings=settings, pipeline=pipeline)
        for row in table.rows:
            for sid, cell in row.cells.items():
                if not cell.sentences:
                    continue
                items = api.evidence(
                    strategy=sid,
                    region=row.adcode,
                    by=by,
                    db=db,
                    settings=settings,
                    pipeline=pipeline,
                )
                assert len(items) == cell.sentences, (by, row.label, sid)
                checked += 1
    return checked


def test_cell_counts_equal_their_evidence(sample_db, settings, pipeline):
    assert assert_cells_equal_evidence(sample_db, settings, pipeline) > 30


def test_evidence_marks_measures_and_links_sources(sample_db, settings, pipeline):
    items = api.evidence(
        strategy="teacher_allocation",
        region="新田县",
        db=sample_db,
        settings=settings,
        pipeline=pipeline,
    )
    assert items and all(e.region == "新田县" for e in items)
    assert any("【县管校聘】" in e.highlighted() for e in items)
    assert all(e.location and e.location.endswith(".txt") for e in items)


def test_filters(sample_db, settings, pipeline):
    hunan = api.compare(db=sample_db, settings=settings, pipeline=pipeline, province="湖南省")
    assert {r.province for r in hunan.rows} == {"湖南省"}
    recent = api.compare(db=sample_db, settings=settings, pipeline=pipeline, years="2022-2023")
    assert {r.label for r in recent.rows} >= {"华阴市", "新田县"} and "成都市" not in {
        r.label for r in recent.rows
    }
    two = api.compare(
        db=sample_db,
        settings=settings,
        pipeline=pipeline,
        strategies="double_reduction,teacher_allocation",
    )
    assert two.strategies == ("teacher_allocation", "double_reduction")
    empty = api.compare(db=sample_db, settings=settings, pipeline=pipeline, years="1990-1991")
    assert empty.rows == () and "no sentences match" in empty.notes[0]
    with pytest.raises(QueryError):
        api.compare(db=sample_db, settings=settings, pipeline=pipeline, years="recent")
    with pytest.raises(QueryError):
        api.compare(db=sample_db, settings=settings, pipeline=pipeline, province="火星省")
    for province in ("北京市", "上海", "新疆", "内蒙古"):  # municipalities and short forms
        none = api.compare(db=sample_db, settings=settings, pipeline=pipeline, province=province)
        assert none.rows == () and "no sentences match" in none.notes[0]


def test_parse_years():
    assert parse_years("2016-2023") == (2016, 2023)
    assert parse_years("2020") == (2020, 2020)
    assert parse_years("2020-") == (2020, None)


def test_xlsx_holds_the_csv_numbers(sample_db, settings, pipeline, tmp_path):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from junheng.cli import cli

    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(
        cli, ["compare", "--format", "xlsx", "--out", str(out), "--db", sample_db]
    )
    assert result.exit_code == 0, result.output
    table = api.compare(db=sample_db, settings=settings, pipeline=pipeline)
    rows = list(csv.DictReader(io.StringIO(comparison_csv(table, load_taxonomy()))))
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["句子数", "文档数", "占比", "举措", "证据"]
    sheet = list(wb["句子数"].iter_rows(values_only=True))
    ids = sheet[1]
    for csv_row, xl_row in zip(rows, sheet[2 : 2 + len(rows)], strict=True):
        xl = dict(zip(ids, xl_row, strict=True))
        assert xl["region"] == csv_row["region"]
        for sid in table.strategies:
            assert int(xl[sid]) == int(csv_row[sid])
    evidence = list(wb["证据"].iter_rows(values_only=True))
    assert len(evidence) - 1 == sum(c.sentences for r in table.rows for c in r.cells.values())


def test_matrix_and_trend(sample_db, settings, pipeline, tmp_path):
    m = api.matrix(db=sample_db, settings=settings, pipeline=pipeline)
    assert m.rows[0] == "mandate" and m.cols[0] == "governance_accountability"
    assert (
        m.total == sum(m.counts.values())
        and abs(sum(m.share(r, c) for r in m.rows for c in m.cols) - 1) < 1e-9
    )
    t = api.trend(db=sample_db, settings=settings, pipeline=pipeline, strategy="double_reduction")
    assert [p.period for p in t.points] == ["2018", "2022", "2023"]
    assert all(0 <= p.share <= 1 for p in t.points)
    from junheng.reports.charts import trend_png

    trend_png(t, tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    by_measure = api.trend(db=sample_db, settings=settings, pipeline=pipeline, measure="集团化办学")
    assert sum(p.hits for p in by_measure.points) >= 1 and not by_measure.notes
    unknown = api.trend(db=sample_db, settings=settings, pipeline=pipeline, measure="不存在的举措")
    assert "names the measure" in unknown.notes[0]


def test_timeline(sample_db, settings, pipeline):
    rows = api.timeline("集团化办学", db=sample_db, settings=settings, pipeline=pipeline)
    assert [r.region for r in rows][:1] == ["雨花区"] and rows[0].first_seen == "2023-04-17"
    assert api.timeline("不存在的举措", db=sample_db, settings=settings, pipeline=pipeline) == []


@pytest.mark.parametrize("kind", ["sentences", "words", "cooccurrence"])
def test_exports(sample_db, settings, kind, tmp_path):
    out = tmp_path / f"{kind}.csv"
    result = api.export(kind, out, db=sample_db, settings=settings)
    assert result.rows > 10
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == result.rows + 1
    if kind == "cooccurrence":
        assert rows[0] == ["Source", "Target", "Weight", "Type"]
    if kind == "sentences":
        header = rows[0]
        assert all(r[header.index("strategies")] for r in rows[1:])


def test_text_export_for_rost_cm(sample_db, settings, tmp_path):
    result = api.export("texts", tmp_path / "texts", db=sample_db, settings=settings)
    files = sorted((tmp_path / "texts").glob("*.txt"))
    assert result.rows == len(files) == 5
    text = next(f for f in files if "武冈" in f.name).read_text(encoding="utf-8")
    assert "武冈市教育局召开义务教育质量提升大讨论务虚会" in text and "盖茨基金会" not in text


def test_cli_tables_never_traceback_on_empty_filters(sample_db):
    from click.testing import CliRunner

    from junheng.cli import cli

    runner = CliRunner()
    for args in (
        ["compare", "--years", "1990"],
        ["matrix", "--years", "1990"],
        ["trend", "--years", "1990"],
        ["evidence", "--strategy", "double_reduction", "--region", "新田县", "--years", "1990"],
        ["measures", "--timeline", "无此举措"],
        ["compare", "--format", "json", "--region", "新田县"],
    ):
        result = runner.invoke(cli, [*args, "--db", sample_db])
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output
    data = json.loads(
        runner.invoke(
            cli, ["compare", "--format", "json", "--region", "新田县", "--db", sample_db]
        ).stdout
    )
    assert [r["region"] for r in data["rows"]] == ["新田县"]


def test_quoted_evidence_has_no_injected_spam(settings, pipeline, tmp_path):
    (tmp_path / "a.txt").write_text(
        "新田县推进县管校聘改革泛亚电竞\n泛亚电竞新田县实施县管校聘改革，交流轮岗教师300人。\n"
        "泛亚电竞新田县推进集团化办学。\n新田县深化县管校聘，泛亚电竞推动校长教师交流。\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "c.db")
    api.ingest([tmp_path / "a.txt"], db=db, settings=settings, pipeline=pipeline)
    items = api.evidence(
        strategy="teacher_allocation", region="新田县", db=db, settings=settings, pipeline=pipeline
    )
    assert items and all("泛亚" not in e.text and "泛亚" not in e.highlighted() for e in items)
    assert any(
        "【县管校聘】" in e.highlighted() and "【交流轮岗】" in e.highlighted() for e in items
    )
    hits = api.search("县管校聘", db=db, settings=settings, pipeline=pipeline).hits
    assert hits and all("泛亚" not in h.text and "泛亚" not in h.highlighted() for h in hits)
    assert any("【县管校聘】" in h.highlighted() for h in hits)
    api.export("sentences", tmp_path / "s.csv", db=db, settings=settings)
    api.export("texts", tmp_path / "texts", db=db, settings=settings)
    exported = [(tmp_path / "s.csv").read_text(encoding="utf-8-sig")]
    exported += [p.read_text(encoding="utf-8") for p in (tmp_path / "texts").iterdir()]
    assert "县管校聘" in exported[0] and not [t for t in exported if "泛亚" in t]


def test_trend_chart_keeps_missing_years_and_names_its_measure():
    from junheng.corpus.analyses import Trend, TrendPoint
    from junheng.reports.charts import all_periods, trend_figure

    t = Trend("year", "县管校聘", (TrendPoint("2019", 4, 2, 1), TrendPoint("2022", 5, 1, 1)), 0)
    fig = trend_figure(t)
    ax = fig.axes[0]
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["2019", "2020", "2021", "2022"]
    assert "县管校聘" in ax.get_title()
    fig.canvas.draw()
    assert all(float(v).is_integer() for v in ax.get_yticks())  # counts, not 0.25 sentences
    assert all_periods(["2021-11", "2022-02"], "month") == [
        "2021-11",
        "2021-12",
        "2022-01",
        "2022-02",
    ]
