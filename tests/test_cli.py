"""The command line as a user runs it: one clear line per problem, never a traceback."""

import json

import pytest
from click.testing import CliRunner

from junheng.cli import cli

SPAM = "泛亚电竞"


@pytest.fixture
def run():
    def invoke(*args, stdin=None):
        return CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)

    return invoke


def test_every_command_has_help(run):
    for name, command in cli.commands.items():
        assert command.help and "Example" in command.help, name
        shown = run(name, "--help")
        assert shown.exit_code == 0
        assert "\\b" not in shown.output and "\b" not in shown.output, name
    for name, group in cli.commands.items():
        for sub in getattr(group, "commands", {}):
            assert "\\b" not in run(name, sub, "--help").output, (name, sub)


def test_demo(run, tmp_path):
    db = str(tmp_path / "demo.db")
    result = run("demo", "--db", db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for place in [
        "武冈市",
        "云和县",
        "新田县",
        "湘乡市",
        "沅江市",
        "雨花区",
        "华阴市",
        "成都市（市级）",
    ]:
        assert place in out, place
    assert "Top measures" in out and SPAM not in out
    # a second demo run rebuilds the demo database
    assert run("demo", "--db", db).exit_code == 0


def test_demo_refuses_to_replace_a_real_corpus(run, tmp_path, sample_db):
    result = run("demo", "--db", sample_db)
    assert result.exit_code != 0
    assert "not a junheng demo database" in result.stderr
    assert "Traceback" not in result.output


def test_ingest_bad_inputs_one_line_each(run, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("新田县推进县管校聘改革。\n全县交流轮岗教师300人。", encoding="utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("云和县深化集团化办学改革。".encode("gbk"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 200)
    db = str(tmp_path / "c.db")
    result = run("ingest", str(tmp_path), str(tmp_path / "missing.txt"), "--db", db)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    err = result.stderr.splitlines()
    assert any("empty.txt: empty file" in line for line in err)
    assert any("binary.txt: binary data" in line for line in err)
    assert any("missing.txt: no such file" in line for line in err)
    assert any("gbk.txt: decoded as gb18030" in line for line in err)
    assert "2 added, 0 unchanged, 3 failed" in result.stdout
    again = run("ingest", str(good), str(gbk), "--db", db)
    assert again.exit_code == 0 and "0 added, 2 unchanged" in again.stdout
    hits = run("search", "集团化办学", "--db", db, "--json")
    assert json.loads(hits.stdout.splitlines()[0])["region"]["county"] == "云和县"


def test_corrupt_database_one_line(run, tmp_path):
    db = tmp_path / "bad.db"
    db.write_bytes(b"garbage" * 1000)
    good = tmp_path / "good.txt"
    good.write_text("新田县推进县管校聘改革。", encoding="utf-8")
    for args in (["ingest", str(good)], ["search", "双减"], ["compare"]):
        result = run(*args, "--db", str(db))
        assert result.exit_code != 0
        assert "not a readable junheng database" in result.stderr
        assert "Traceback" not in result.output
    assert db.read_bytes() == b"garbage" * 1000


def test_extract_json_contract(run, tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(
        "湘乡市推进县管校聘\n湘乡市深化县管校聘管理改革,全市交流轮岗教师300人。\n", encoding="utf-8"
    )
    result = run("extract", str(path), "--json")
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    obj = json.loads(line)
    assert obj["input"] == str(path)
    text = obj["text"]
    assert obj["regions"][0] == {
        "province": "湖南省",
        "city": "湘潭市",
        "county": "湘乡市",
        "adcode": "430381",
    }
    assert {"id": "teacher_allocation"}.items() <= obj["strategies"][0].items()
    for m in obj["measures"]:
        assert text[m["start"] : m["end"]] == m["term"]
    for s in obj["sentences"]:
        assert {
            "start",
            "end",
            "boilerplate",
            "region",
            "strategies",
            "measures",
            "instrument",
        } <= set(s)
        for m in s["measures"]:
            assert text[m["start"] : m["end"]] == m["term"]
    stdin = run("extract", "-", stdin="推进集团化办学。".encode())
    assert json.loads(stdin.stdout)["input"] == "-"


def test_search_and_compare(run, sample_db):
    result = run("search", '"县管 OR', "--db", sample_db)
    assert result.exit_code == 0 and "Traceback" not in result.output
    result = run("search", "县管校聘", "--db", sample_db)
    assert "新田县" in result.stdout
    for fmt in ("table", "md", "csv", "json"):
        result = run("compare", "--by", "city", "--format", fmt, "--db", sample_db)
        assert result.exit_code == 0 and "成都市" in result.stdout
    bad = run("search", "双减", "--strategy", "teacher_rotation", "--db", sample_db)
    assert bad.exit_code != 0 and "unknown strategy id" in bad.stderr


def test_default_db_from_environment(run, tmp_path, monkeypatch):
    monkeypatch.setenv("JUNHENG_DB", str(tmp_path / "env.db"))
    good = tmp_path / "good.txt"
    good.write_text("新田县推进县管校聘改革。", encoding="utf-8")
    assert run("ingest", str(good)).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_lexicon_add_reanalyse_measures(run, tmp_path):
    db = str(tmp_path / "c.db")
    report = tmp_path / "r.txt"
    report.write_text(
        "临澧县推进强师铸魂计划\n2024-03-01 来源:临澧县教育局\n"
        "临澧县推进强师铸魂计划,全县交流轮岗教师120人次。\n该县实行“三级联动”教研制度。\n",
        encoding="utf-8",
    )
    assert run("ingest", str(report), "--db", db).exit_code == 0
    before = run("measures", "--db", db, "--json").stdout
    assert "强师铸魂计划" not in before and "交流轮岗" in before
    terms = tmp_path / "terms.tsv"
    terms.write_text(
        "term\tcategory_id\tgloss_zh\tvariants\n强师铸魂计划\tteacher_support_development\t\t铸魂计划\n",
        encoding="utf-8",
    )
    assert run("lexicon", "add", str(terms), "--db", db).exit_code == 0
    assert "re-analysed 1 documents" in run("reanalyse", "--db", db).stdout
    rows = [json.loads(line) for line in run("measures", "--db", db, "--json").stdout.splitlines()]
    added = next(r for r in rows if r["canonical"] == "强师铸魂计划")
    assert added["methods"] == ["lexicon"] and added["category"] == "teacher_support_development"
    assert added["regions"][0]["name"] == "临澧县" and added["first_seen"] == "2024-03-01"
    new = run("measures", "--new", "--db", db)
    assert new.exit_code == 0 and "三级联动" in new.stdout
    out = tmp_path / "lexicon.tsv"
    assert run("lexicon", "export", str(out), "--db", db).exit_code == 0
    exported = out.read_text(encoding="utf-8")
    assert "强师铸魂计划\tteacher_support_development" in exported and "县管校聘" in exported
    hit = run("search", "强师铸魂计划", "--db", db, "--json").stdout
    assert json.loads(hit.splitlines()[0])["measures"][0] == "强师铸魂计划"


def test_lexicon_add_rejects_unknown_categories(run, tmp_path):
    terms = tmp_path / "bad.tsv"
    terms.write_text("term\tcategory_id\n某计划\tteacher_rotation\n", encoding="utf-8")
    result = run("lexicon", "add", str(terms), "--db", str(tmp_path / "c.db"))
    assert result.exit_code != 0 and "unknown category 'teacher_rotation'" in result.stderr


@pytest.mark.parametrize("width", [80, 100])
def test_narrow_terminals_keep_every_name_number_and_sentence(sample_db, settings, width):
    import io
    import re

    from rich.console import Console

    from junheng import api
    from junheng.cli._common import print_table
    from junheng.render import comparison_rich, evidence_table, to_rich

    def shown(table):
        buf = io.StringIO()
        print_table(table, Console(file=buf, width=width, no_color=True))
        out = buf.getvalue()
        assert max(len(line) for line in out.splitlines()) <= width
        return out

    table = api.compare(db=sample_db, settings=settings)
    out = shown(comparison_rich(table, _taxonomy()))
    assert "…" not in out
    for row in table.rows:
        assert row.label in out
        block = out.split(row.label, 1)[1]
        for cell in row.cells.values():
            if cell.sentences:
                assert f"{cell.sentences}/{len(cell.measures)}" in block
    items = api.evidence(
        strategy="teacher_allocation", region="新田县", db=sample_db, settings=settings
    )
    flat = re.sub(r"\s+", "", shown(to_rich(evidence_table(items, "新田县"))))
    for e in items:
        assert re.sub(r"\s+", "", e.highlighted()) in flat


def _taxonomy():
    from junheng.models.taxonomy import load_taxonomy

    return load_taxonomy()


def test_label_asks_again_after_a_mistyped_key(monkeypatch, tmp_path):
    from junheng.api import classifier

    saved = []
    items = [
        {"text": "新田县推进县管校聘改革。", "probabilities": {"teacher_allocation": 0.4}},
        {"text": "云和县推进集团化办学。", "probabilities": {}},
    ]
    monkeypatch.setattr(classifier, "uncertain", lambda **kw: items)
    monkeypatch.setattr(
        classifier, "save_label", lambda text, chosen, inst, **kw: saved.append((text, chosen))
    )
    result = CliRunner().invoke(cli, ["label", "--db", str(tmp_path / "x.db")], input="x\n5\n0\n")
    assert result.exit_code == 0, result.output
    assert "type them again" in result.output
    assert saved == [
        ("新田县推进县管校聘改革。", ["teacher_allocation"]),
        ("云和县推进集团化办学。", []),
    ]
