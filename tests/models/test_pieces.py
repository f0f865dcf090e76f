"""A query's token ids from the piece table equal the full tokenizer's."""

import shutil

import pytest

from junheng.models import distil
from junheng.models.pieces import PieceTable, save_table, table_path

EDGES = [
    "",
    " ",
    "Ａ  b 教育　局",
    "2023年 education",
    "ＡＢＣ１２３",
    "①②③ ⅰⅱ",
    "🔥教育😀",
    "学区(qū)制",
    "\t教\n育",
    "丨丨",
    "ｶﾀｶﾅ",
    "é",
    "县管校聘",
    "城乡教师交流轮岗",
    "陵川包養網县推进集團化辦學",
]


@pytest.fixture(scope="module")
def tokenizers(tmp_path_factory):
    tk_mod = pytest.importorskip("tokenizers")
    try:
        source = distil.find_tokenizer_json()
    except Exception as exc:  # the package that ships it is missing
        pytest.skip(str(exc))
    folder = tmp_path_factory.mktemp("model")
    shutil.copy(source, folder / "tokenizer.json")
    full = tk_mod.Tokenizer.from_file(str(folder / "tokenizer.json"))
    full.no_padding()
    save_table(folder, full)
    return full, PieceTable.open(folder), folder


def _sentences():
    from junheng.api import sample_paths

    out = []
    for path in sample_paths():
        text = path.read_text(encoding="utf-8")
        out += [s for s in text.replace("。", "。\n").splitlines() if s.strip()]
    return out


def test_piece_table_ids_equal_the_full_tokenizer(tokenizers):
    full, table, folder = tokenizers
    assert table is not None and table_path(folder).is_file()
    texts = EDGES + _sentences()
    assert len(texts) > 200
    checked = 0
    for k in range(0, len(texts), 4):
        chunk = [t[:200] for t in texts[k : k + 4]]
        assert table.handles(chunk)
        ref = [e.ids for e in full.encode_batch(chunk, add_special_tokens=False)]
        assert table.ids(chunk) == ref, chunk
        checked += len(chunk)
    assert checked == len(texts)


def test_long_texts_and_added_tokens_go_to_the_full_tokenizer(tokenizers):
    _, table, _ = tokenizers
    assert not table.handles(["教" * 300]) and not table.handles(["<mask> 教育"])


def test_saving_twice_keeps_the_first_table(tokenizers):
    full, _, folder = tokenizers
    before = table_path(folder).stat().st_mtime_ns
    save_table(folder, full)
    assert table_path(folder).stat().st_mtime_ns == before


def test_a_table_for_another_tokenizer_json_is_not_used(tokenizers, tmp_path):
    full, _, folder = tokenizers
    other = tmp_path / "model"
    other.mkdir()
    shutil.copy(folder / "tokenizer.json", other / "tokenizer.json")
    shutil.copy(table_path(folder), table_path(other))  # stamped with the first file
    assert PieceTable.open(other) is None
    table_path(other).write_bytes(b"not a database")
    assert PieceTable.open(other) is None
    save_table(other, full)  # replaced by one for this file
    assert PieceTable.open(other).ids(["县管校聘"]) == [
        full.encode("县管校聘", add_special_tokens=False).ids
    ]
