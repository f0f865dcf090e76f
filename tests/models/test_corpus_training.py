"""`junheng train` on a corpus: the shipped gold plus the researcher's labels and gold file,
recorded in the corpus and used by `classify` and later ingests; `label` ranks by uncertainty."""

import json

from click.testing import CliRunner

from junheng.cli import cli

GOLD = [
    {
        "doc": "x",
        "text": "全县推行“一校一策”帮扶计划，为薄弱学校选派骨干教师20名。",
        "strategies": ["school_collaboration", "teacher_allocation"],
        "instrument": "capacity_building",
        "measures": ["“一校一策”帮扶计划"],
    },
    {"doc": "x", "text": "会议强调要提高认识，统一思想。", "strategies": [], "instrument": None},
]


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_train_classify_and_label(tmp_path):
    from tests.conftest import SAMPLE

    db = str(tmp_path / "c.db")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in GOLD), "utf-8")
    run("ingest", str(SAMPLE), "--db", db)
    run("label", "--db", db, "-n", "0")
    out = run("train", "--db", db, "--gold", str(gold))
    assert "strategy.v2" in out and "file 2" in out
    out = run("classify", "--db", db)
    assert "strategy.v2@" in out

    from junheng.corpus.store import Corpus

    with Corpus.open(db, create=False) as corpus:
        (model,) = corpus.query("select * from models where kind = 'classifier' and active = 1")
        methods = {r["method"] for r in corpus.query("select method from sentence_strategies")}
        summary = json.loads(model["summary"])
    assert methods == {f"strategy.v2@{model['version']}"}
    assert summary["gold_sentences"] == 2 and summary["training_data_sha256"]

    from junheng.api.classifier import uncertain

    items = uncertain(db=db, limit=5)
    assert items and all(item["probabilities"] for item in items)
    margins = [abs(max(i["probabilities"].values()) - 0.5) for i in items]
    assert margins == sorted(margins)
