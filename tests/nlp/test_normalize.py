from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.nlp.normalize import Normalizer, apply_steps, nfkc, strip_pinyin_glosses

NORMALIZER = Normalizer()


def test_fullwidth_forms_become_ascii_and_offsets_map_back():
    original = "投入５.５亿元，新增学位８５４８个！"
    norm = NORMALIZER(original)
    assert norm.text == "投入5.5亿元,新增学位8548个!"
    start = norm.text.index("8548")
    a, b = norm.to_original(start, start + 4)
    assert original[a:b] == "８５４８"


def test_traditional_to_simplified_keeps_offsets():
    original = "推進縣管校聘改革，深化集團化辦學。"
    norm = NORMALIZER(original)
    assert norm.text == "推进县管校聘改革,深化集团化办学。"
    start = norm.text.index("集团化办学")
    a, b = norm.to_original(start, start + 5)
    assert original[a:b] == "集團化辦學"


def test_pinyin_glosses_removed_and_span_covers_them():
    original = "推行學區(qū)制改革"
    norm = NORMALIZER(original)
    assert norm.text == "推行学区制改革"
    start = norm.text.index("学区制")
    a, b = norm.to_original(start, start + 3)
    assert original[a:b] == "學區(qū)制"


def test_bracketed_latin_without_tone_marks_is_kept():
    assert strip_pinyin_glosses("学校(A)和学校(B)") == []


def test_zero_width_characters_removed():
    norm = NORMALIZER("县\u200b管校\u200d聘")
    assert norm.text == "县管校聘"
    assert norm.to_original(0, 4) == (0, 6)


def test_identity_when_nothing_changes():
    norm = NORMALIZER("新田县推进县管校聘。")
    assert norm.identity
    assert norm.to_original(3, 7) == (3, 7)


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("县管校聘學區ｑūā（）()ＡＢ１２，。 \u3000\u200b集團")),
        max_size=40,
    )
)
def test_normalisation_is_idempotent_and_spans_stay_in_range(text):
    once = NORMALIZER(text)
    assert NORMALIZER(once.text).text == once.text
    for i in range(len(once.text)):
        a, b = once.to_original(i, i + 1)
        assert 0 <= a <= b <= len(text)


def test_nfkc_step_only_reports_changed_characters():
    edits = nfkc("ＡＢ县")
    assert [(a, b, r) for a, b, r in edits] == [(0, 1, "A"), (1, 2, "B")]
    assert apply_steps("ＡＢ县", [nfkc]).text == "AB县"
