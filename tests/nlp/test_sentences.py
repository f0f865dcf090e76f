import json

import pytest

from junheng.nlp.sentences import split_sentences
from tests.conftest import SAMPLE, SHARED

# fmt: off
CASES = [
    ("新田县推进县管校聘。同时深化集团化办学！", ["新田县推进县管校聘。", "同时深化集团化办学！"]),
    ("一是加强领导;二是加大投入。", ["一是加强领导;", "二是加大投入。"]),
    ("他说:“要落实双减。”然后散会。", ["他说:“要落实双减。”", "然后散会。"]),
    ("Powered by Discuz! X3.2", ["Powered by Discuz! X3.2"]),
    ("第一行\n\n  第二行  \n。\n", ["第一行", "第二行"]),
    ("真的吗?!是的。", ["真的吗?!", "是的。"]),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split(text, expected):
    spans = split_sentences(text)
    assert [text[s.start : s.end] for s in spans] == expected


def test_paragraph_index_is_the_line():
    spans = split_sentences("甲。乙。\n丙。")
    assert [s.paragraph for s in spans] == [0, 0, 1]


@pytest.mark.skipif(not (SHARED / "dev" / "seeds_gold.jsonl").exists(), reason="needs ../shared")
def test_offsets_equal_the_dev_gold_on_every_seed():
    gold: dict[str, list[tuple[int, int]]] = {}
    for line in (SHARED / "dev" / "seeds_gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold.setdefault(row["doc"], []).append((row["start"], row["end"]))
    for name, spans in gold.items():
        text = (SAMPLE / name).read_text(encoding="utf-8")
        assert [(s.start, s.end) for s in split_sentences(text)] == spans, name
