"""benchmarks/scale.py at a small size (CI runs this; the figures are not asserted)."""

from __future__ import annotations

import json

from benchmarks import scale


def test_scale_benchmark_runs_at_a_small_size(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JUNHENG_EMBEDDER", "tfidf")  # the test cache has no built model
    out = tmp_path / "scale.json"
    args = ["--sentences", "2000", "--queries", "3", "--repeats", "1", "--jobs", "2"]
    assert scale.main([*args, "--data", str(tmp_path / "data"), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| `compare --by county`, whole corpus |" in printed
    (result,) = json.loads(out.read_text(encoding="utf-8"))
    assert result["size"]["sentences"] >= 2000
    assert result["ingest"]["jobs"] == 2
    assert set(result["cli"]) >= {"search", "compare", "measures", "evidence", "semantic"}
    assert result["queries"]["evidence_cells"]
