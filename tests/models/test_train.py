"""Trained classifiers: fit, predict, save/load, cross-validation, and the CLI loop."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from junheng import api
from junheng.api.classifier import examples_from_texts
from junheng.cli import cli
from junheng.errors import ConfigError
from junheng.models import train as train_mod
from junheng.models.evaluate import cross_validate, score
from junheng.models.features import CueProfiles

ROWS = [
    {
        "doc": "a",
        "text": "全县推行县管校聘改革,交流轮岗教师300人次。",
        "strategies": ["teacher_allocation"],
        "instrument": "system_changing",
    },
    {
        "doc": "a",
        "text": "举办全县教师全员培训,培训教师1200人次。",
        "strategies": ["teacher_support_development"],
        "instrument": "capacity_building",
    },
    {"doc": "a", "text": "会议强调要提高认识,统一思想。", "strategies": [], "instrument": None},
    {
        "doc": "b",
        "text": "深化集团化办学,组建教育集团8个。",
        "strategies": ["school_collaboration"],
        "instrument": "system_changing",
    },
    {
        "doc": "b",
        "text": "落实双减政策,课后服务覆盖全部学校。",
        "strategies": ["double_reduction"],
        "instrument": "mandate",
    },
    {"doc": "b", "text": "教育是民族振兴的基石。", "strategies": [], "instrument": None},
    {
        "doc": "c",
        "text": "新建改扩建学校12所,新增学位5000个,消除大班额。",
        "strategies": ["layout_and_capacity"],
        "instrument": "capacity_building",
    },
    {
        "doc": "c",
        "text": "为家庭经济困难学生发放生活补助,落实营养改善计划。",
        "strategies": ["access_and_aid"],
        "instrument": "inducement",
    },
]


@pytest.fixture(scope="module")
def examples(pipeline):
    return examples_from_texts(pipeline, ROWS, source="gold")


def models(pipeline, embed=None):
    profiles = CueProfiles(pipeline.taxonomy, pipeline.lexicon, pipeline.segmenter.cut)
    return (
        train_mod.StrategyModel(pipeline.taxonomy, profiles, pipeline.segmenter.cut, embed),
        train_mod.InstrumentModel(pipeline.taxonomy, pipeline.segmenter.cut),
    )


def test_examples_carry_lexicon_evidence(examples):
    assert examples[0].lexicon.get("teacher_allocation", 0) >= 0.5
    assert examples[2].lexicon == {}
    assert examples[0].group == "a"


def test_fit_predict_save_load(pipeline, examples, tmp_path):
    extra = train_mod.taxonomy_examples(pipeline.taxonomy, pipeline.lexicon)
    strategy, instrument = models(pipeline)
    strategy.fit([*examples, *extra])
    instrument.fit([*examples, *extra])
    texts = ["推进县管校聘管理改革。", "教育事业取得长足发展。"]
    lex = [{"teacher_allocation": 0.9}, {}]
    labels = strategy.predict(texts, lex)
    assert "teacher_allocation" in labels[0] and labels[1] == {}
    probs = strategy.predict_proba(texts, lex)
    assert probs.shape == (2, 13) and ((probs >= 0) & (probs <= 1)).all()
    artefact = train_mod.save((strategy, instrument), tmp_path)
    assert artefact.version == artefact.sha256[:12] and artefact.summary["examples"] > 300
    profiles = CueProfiles(pipeline.taxonomy, pipeline.lexicon, pipeline.segmenter.cut)
    s2, i2 = train_mod.load(
        artefact.path, pipeline.taxonomy, profiles, pipeline.segmenter.cut, None
    )
    assert np.allclose(s2.predict_proba(texts, lex), probs)
    assert i2.predict(texts, ["system_changing", None])[0] in pipeline.taxonomy.instrument_ids


def test_model_trained_with_embeddings_needs_them(pipeline, examples, tmp_path):
    strategy, instrument = models(pipeline, embed=lambda t: np.ones((len(t), 4), np.float32) / 2)
    strategy.fit(examples)
    instrument.fit(examples)
    artefact = train_mod.save((strategy, instrument), tmp_path)
    profiles = CueProfiles(pipeline.taxonomy, pipeline.lexicon, pipeline.segmenter.cut)
    with pytest.raises(ConfigError, match="models build"):
        train_mod.load(artefact.path, pipeline.taxonomy, profiles, pipeline.segmenter.cut, None)


def test_cross_validation_keeps_documents_apart(pipeline, examples):
    seen = []

    def make():
        s, i = models(pipeline)
        fit = s.fit

        def spy(train):
            seen.append({e.group for e in train})
            return fit(train)

        s.fit = spy
        return s, i

    ev = cross_validate(examples, make_models=make)
    assert ev.folds == 3 and ev.sentences == len(examples)
    assert [sorted(g) for g in seen] == [["b", "c"], ["a", "c"], ["a", "b"]]
    assert 0 <= ev.model.macro_f1 <= 1 and ev.baseline.micro["f1"] > 0


def test_score_counts_labels_on_unlabelled_sentences_as_errors():
    s = score([["a"], []], [["a"], ["b"]], ["a", "b"])
    assert s.per_category["a"]["f1"] == 1.0 and s.per_category["b"]["precision"] == 0.0
    assert s.macro_f1 == 1.0  # b has no support


def test_train_classify_label_cli(sample_db, tmp_path, monkeypatch):
    import shutil

    db = str(tmp_path / "c.db")
    shutil.copy(sample_db, db)
    monkeypatch.setenv("JUNHENG_EMBEDDER", "tfidf")  # no built model needed
    runner = CliRunner()
    result = runner.invoke(cli, ["classify", "--db", db])
    assert result.exit_code != 0 and "junheng train" in result.stderr
    result = runner.invoke(cli, ["train", "--db", db])
    assert result.exit_code == 0, result.output
    assert "strategy.v1@" in result.stdout and "taxonomy" in result.stdout
    before = api.compare(db=db)
    assert before.labelled_by == ("lexicon.v1",)
    result = runner.invoke(cli, ["classify", "--db", db])
    assert result.exit_code == 0 and "sentences labelled by strategy.v1@" in result.stdout
    assert "of them changed their strategies" in result.stdout
    after = api.compare(db=db)
    assert len(after.labelled_by) == 1 and after.labelled_by[0].startswith("strategy.v1@")
    shown = runner.invoke(cli, ["compare", "--db", db, "--format", "md"])
    assert f"Strategy labels by {after.labelled_by[0]}" in shown.stdout
    from junheng.corpus.store import Corpus

    with Corpus.open(db, create=False) as corpus:
        methods = {
            r["method"] for r in corpus.query("select distinct method from sentence_strategies")
        }
        assert all(m.startswith("strategy.v1@") for m in methods)
        assert corpus.query("select count(*) n from models where active = 1")[0]["n"] == 1
    result = runner.invoke(cli, ["label", "-n", "3", "--db", db], input="5c\n0\nq\n")
    assert result.exit_code == 0, result.output
    assert "2 labels saved" in result.stdout
    with Corpus.open(db, create=False) as corpus:
        labels = corpus.query("select strategies from labels")
    assert sorted(json.loads(labels[0]["strategies"]) + json.loads(labels[1]["strategies"])) == [
        "quality_teaching",
        "teacher_allocation",
    ]
    result = runner.invoke(cli, ["train", "--db", db])
    assert "user 2" in result.stdout


def test_neighbours_stay_within_a_document():
    from junheng.models.features import neighbours

    prev, nxt = neighbours(["a", "a", "b", "taxonomy", "taxonomy", "b"], 6)
    assert prev.tolist() == [-1, 0, -1, -1, -1, -1]
    assert nxt.tolist() == [1, -1, -1, -1, -1, -1]
    assert neighbours(None, 2)[0].tolist() == [-1, -1]


def test_context_and_anchor_features_save_and_load(pipeline, examples, tmp_path):
    vectors = {}

    def embed(texts):
        for t in texts:
            rng = np.random.default_rng(len(vectors))
            vectors.setdefault(t, rng.normal(size=8).astype(np.float32))
        return np.stack([vectors[t] for t in texts])

    extra = train_mod.taxonomy_examples(pipeline.taxonomy, pipeline.lexicon)
    strategy, instrument = models(pipeline, embed=embed)
    strategy.fit([*examples, *extra])
    instrument.fit(examples)
    assert strategy.features.anchor_labels.shape == (len(extra), 13)
    texts = [e.text for e in examples]
    lex = [e.lexicon for e in examples]
    groups = [e.group for e in examples]
    probs = strategy.predict_proba(texts, lex, groups)
    x_alone = strategy.features.transform(texts[:1], lex[:1], groups[:1])
    x_beside = strategy.features.transform(texts[:2], lex[:2], groups[:2])
    assert (x_alone[0] != x_beside[0]).nnz > 0  # the next sentence's evidence is a feature
    artefact = train_mod.save((strategy, instrument), tmp_path)
    profiles = CueProfiles(pipeline.taxonomy, pipeline.lexicon, pipeline.segmenter.cut)
    s2, _ = train_mod.load(
        artefact.path, pipeline.taxonomy, profiles, pipeline.segmenter.cut, embed
    )
    assert np.allclose(s2.predict_proba(texts, lex, groups), probs)


def test_chunks_do_not_split_documents():
    from junheng.api.classifier import _chunks

    assert _chunks(["a", "a", "b", "b", "b", "c"], 2) == [(0, 2), (2, 5), (5, 6)]
    assert _chunks([], 2) == []
