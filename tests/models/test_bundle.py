"""The trained default bundle: labelling, calibration, saving and loading, the lexicon.v1
fallback and the extract contract."""

import json

import pytest

from junheng.crawler.files import text_document

REPORT = (
    "衡东县深化集团化办学改革，组建教育集团6个。\n"
    "全县新建改扩建学校12所，新增学位5000个，消除大班额。\n"
    "会议强调要提高认识，统一思想。"
)


def test_sentences_carry_the_models_name_and_calibrated_scores(model_pipeline, small_bundle):
    doc = model_pipeline.analyse(text_document("t", REPORT))
    labelled = [s for s in doc.sentences if s.strategies]
    assert labelled
    for s in labelled:
        for st in s.strategies:
            assert st.method == small_bundle.method
            assert 0.0 <= st.score <= 1.0
    ids = {st.id for st in doc.strategies if st.score >= 0.5}
    assert "school_collaboration" in ids
    assert not doc.sentences[2].strategies  # a slogan


def test_document_score_is_the_best_sentence_score(model_pipeline):
    doc = model_pipeline.analyse(text_document("t", REPORT))
    for st in doc.strategies:
        best = max(s.score for x in doc.sentences for s in x.strategies if s.id == st.id)
        assert st.score == pytest.approx(best)


def test_save_and_load_give_the_same_labels(tmp_path, settings, rules_pipeline, small_bundle):
    from junheng.models.bundle import load_bundle, read_info, save_bundle
    from junheng.pipeline import Pipeline

    record = save_bundle(small_bundle, tmp_path / "m", {"training_data_sha256": "x"})
    assert read_info(tmp_path / "m")["version"] == record["version"]
    loaded = load_bundle(
        tmp_path / "m",
        taxonomy=rules_pipeline.taxonomy,
        lexicon=rules_pipeline.lexicon,
        tokenize=rules_pipeline.segmenter.cut,
        embed=None,
    )
    a = Pipeline(settings, models=small_bundle).analyse(text_document("t", REPORT))
    b = Pipeline(settings, models=loaded).analyse(text_document("t", REPORT))
    assert [(s.strategies, s.measures) for s in a.sentences] == [
        (tuple(x.__class__(x.id, x.score, small_bundle.method) for x in s.strategies), s.measures)
        for s in b.sentences
    ]


def test_lexicon_v1_is_the_fallback_and_stays_selectable(settings):
    from junheng.pipeline import Pipeline

    pipeline = Pipeline(settings)  # the test cache holds no trained models
    assert pipeline.models is None and pipeline.labeller.name == "lexicon.v1"
    doc = pipeline.analyse(text_document("t", REPORT))
    assert {s.method for x in doc.sentences for s in x.strategies} == {"lexicon.v1"}
    rules = Pipeline(settings.with_overrides(classifier="lexicon.v1"))
    assert rules.models is None


def test_unknown_classifier_setting_is_refused():
    from junheng.errors import ConfigError
    from junheng.settings import load_settings

    with pytest.raises(ConfigError, match="classifier"):
        load_settings(classifier="bert")


def test_extract_json_names_the_model(model_pipeline, tmp_path):
    from junheng.api.documents import extract

    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    (out,) = list(extract([path], pipeline=model_pipeline))
    json.dumps(out, ensure_ascii=False)
    methods = {st["method"] for s in out["sentences"] for st in s["strategies"]}
    assert methods == {model_pipeline.labeller.name}
    for m in out["measures"]:
        assert out["text"][m["start"] : m["end"]] == m["term"]


def test_instrument_for_coded_sentences(model_pipeline, rules_pipeline):
    doc = model_pipeline.analyse(text_document("t", REPORT))
    ids = rules_pipeline.taxonomy.instrument_ids
    for s in doc.sentences:
        if s.strategies and s.strategies[0].score >= 0.5:
            assert s.instrument in ids
