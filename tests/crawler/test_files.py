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


def test_huge_text_is_refused_without_reading_it_and_the_others_go_on(tmp_path, settings, pipeline):
    import tracemalloc

    from junheng import api
    from junheng.crawler.files import MAX_CHARS

    big = tmp_path / "a_big.txt"
    with big.open("w", encoding="utf-8") as fh:
        for _ in range(20):
            fh.write("新田县推进县管校聘改革，全县交流轮岗教师三百人。\n" * 14000)
    long_ascii = tmp_path / "b_long.txt"
    long_ascii.write_text("x" * (MAX_CHARS + 5), encoding="utf-8")
    good = tmp_path / "c_good.txt"
    good.write_text("云和县推进集团化办学。", encoding="utf-8")
    db = str(tmp_path / "c.db")
    tracemalloc.start()
    try:
        report = api.ingest([big, long_ascii, good], db=db, settings=settings, pipeline=pipeline)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    by = {i.location.rsplit("/", 1)[-1]: i for i in report.items}
    assert by["c_good.txt"].status == "added"
    assert by["a_big.txt"].status == "failed" and "split it" in by["a_big.txt"].reason
    assert by["b_long.txt"].status == "failed" and "too long" in by["b_long.txt"].reason
    assert peak < 64 * 1024 * 1024  # the 20 MB file is never read whole


def test_a_document_the_pipeline_cannot_handle_fails_alone(tmp_path, settings, pipeline):
    from junheng import api
    from junheng.crawler.files import Loaded, text_document

    class Fragile:
        def __init__(self, inner):
            self.inner = inner

        def analyse_many(self, docs):
            docs = list(docs)
            if any("爆" in d.text for d in docs):
                raise ValueError("boom")
            return self.inner.analyse_many(docs)

        def analyse(self, doc):
            return next(iter(self.analyse_many([doc])))

    items = [
        Loaded("a", text_document("a", "新田县推进县管校聘改革。")),
        Loaded("b", text_document("b", "爆")),
    ]
    out = dict(
        (loaded.location, result)
        for loaded, result in api.documents.analyse_each(Fragile(pipeline), items)
    )
    assert not isinstance(out["a"], str) and "boom" in out["b"]
