import json

from junheng.crawler.files import load


def test_text_gbk_binary_empty_missing_and_folders(tmp_path):
    (tmp_path / "utf8.txt").write_text("新田县推进县管校聘。", encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes("湘乡市推进集团化办学。".encode("gbk"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "note.pdf").write_bytes(b"%PDF-1.4")
    items = {i.location.rsplit("/", 1)[-1]: i for i in load([tmp_path, tmp_path / "none.txt"])}
    assert items["utf8.txt"].document.text == "新田县推进县管校聘。"
    gbk = items["gbk.txt"].document
    assert gbk.text == "湘乡市推进集团化办学。" and gbk.notes == ("decoded as gb18030",)
    assert items["empty.txt"].error == "empty file"
    assert "binary" in items["blob.txt"].error
    assert "no such file" in items["none.txt"].error
    assert "note.pdf" not in items  # folders only yield supported types


def test_jsonl_lines(tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [
        json.dumps(
            {
                "text": "云和县推进学校标准化建设。",
                "title": "云和",
                "url": "http://a/1",
                "published": "2011年5月3日",
                "region": "浙江省丽水市云和县",
            },
            ensure_ascii=False,
        ),
        "not json",
        json.dumps({"title": "no text"}),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(load([path]))
    assert items[0].document.published == "2011-05-03"
    assert items[0].document.region_hint == "浙江省丽水市云和县"
    assert items[0].document.location == "http://a/1"
    assert "invalid JSON" in items[1].error
    assert "no non-empty 'text'" in items[2].error
    assert len(items) == 3


def test_stdin(tmp_path):
    (item,) = load(["-"], stdin="双减落地。".encode())
    assert item.document.text == "双减落地。" and item.location == "-"
