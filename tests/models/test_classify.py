from junheng.models.classify import LexiconClassifier, document_strategies
from junheng.models.taxonomy import load_taxonomy
from junheng.records import MeasureMention, StrategyScore


def test_sentence_gets_the_categories_of_its_measures():
    clf = LexiconClassifier(load_taxonomy())
    text = "推进县管校聘改革,每年交流轮岗教师300人,对到乡村任教的教师给予补贴。"
    ms = [
        MeasureMention("县管校聘", "县管校聘", "teacher_allocation", 2, 6),
        MeasureMention("补贴", "乡镇工作补贴", "teacher_support_development", 30, 32),
    ]
    strategies, instrument = clf.classify(text, ms)
    assert [s.id for s in strategies] == ["teacher_allocation", "teacher_support_development"]
    assert all(0.5 <= s.score <= 1 for s in strategies)
    assert instrument == "system_changing"


def test_no_measure_no_label():
    clf = LexiconClassifier(load_taxonomy())
    assert clf.classify("全面提高教育质量,办好人民满意的教育。", []) == ((), None)


def test_document_scores_are_a_noisy_or():
    doc = document_strategies(
        [
            [StrategyScore("double_reduction", 0.8)],
            [StrategyScore("double_reduction", 0.5), StrategyScore("quality_teaching", 0.6)],
        ]
    )
    assert doc[0].id == "double_reduction" and abs(doc[0].score - 0.9) < 1e-6
    assert doc[1].id == "quality_teaching"
