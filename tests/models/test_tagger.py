"""The learned measure tagger: token arrays, BIO labels, fitting, decoding, the component."""

import numpy as np

from junheng.models.tagger import B, I, O, bio_labels, concat, token_view

TEXT = "全县实施“蓝天课堂”计划。推进集团化办学。"
WORDS = ["全县", "实施", "“", "蓝天", "课堂", "”", "计划", "。", "推进", "集团化办学", "。"]


def view():
    return token_view(TEXT, WORDS, [(0, 13), (13, 22)], lexicon_kept=[(15, 20, 3)])


def test_token_view_marks_lexicon_and_sentences():
    v = view()
    assert list(v.sentence) == [0] * 8 + [1] * 3
    assert v.lexicon[WORDS.index("集团化办学")] == 1 and v.category[9] == 3
    assert v.lexicon[:8].sum() == 0


def test_bio_labels_cover_whole_tokens_and_prefer_the_longest_span():
    v = view()
    labels = bio_labels(v, [(5, 7), (4, 12)])  # 蓝天 inside “蓝天课堂”计划 (longest wins)
    assert list(labels[:8]) == [O, O, B, I, I, I, I, O]


def test_concat_keeps_documents_apart():
    merged = concat([view(), view()])
    assert len(merged.words) == 2 * len(WORDS)
    assert merged.starts[len(WORDS)] == len(TEXT)
    assert set(merged.sentence[len(WORDS) :]) == {2, 3}


def test_fitted_tagger_recovers_its_training_spans(small_bundle, training_docs):
    tagger = small_bundle.tagger
    docs = training_docs[:20]
    found = total = 0
    for doc, p in zip(docs, tagger.probabilities([d.view for d in docs]), strict=True):
        spans = tagger.decode(doc.view, p)
        for a, b in doc.spans:
            total += 1
            found += any(x < b and a < y for x, y, _ in spans)
        assert np.allclose(p.sum(axis=1), 1.0, atol=1e-4)
    assert found / total >= 0.8


def test_model_finds_measures_beyond_the_lexicon_with_offsets_as_read(model_pipeline):
    from junheng.crawler.files import text_document

    text = "橫縣全面實施“薄弱學(xué)校改造”工程，新建學(xué)校3所，推進集團化辦學(xué)。"
    doc = model_pipeline.analyse(text_document("t", text))
    measures = [m for s in doc.sentences for m in s.measures]
    assert measures, "no measures found"
    for m in measures:
        assert text[m.start : m.end] == m.term
        assert m.category is not None
    assert any(m.method == "lexicon" and m.canonical == "集团化办学" for m in measures)


def test_a_term_the_researcher_adds_counts_without_retraining(settings, small_bundle):
    from junheng.crawler.files import text_document
    from junheng.nlp.lexicon import LexiconEntry, load_lexicon
    from junheng.pipeline import Pipeline

    text = "该县推行星火伴学工作，全面开展。"
    lexicon = load_lexicon()
    lexicon.add(LexiconEntry("星火伴学", "quality_teaching", source="user"))
    pipeline = Pipeline(settings, lexicon=lexicon, models=small_bundle)
    doc = pipeline.analyse(text_document("t", text))
    terms = [m.canonical for s in doc.sentences for m in s.measures]
    assert "星火伴学" in terms
