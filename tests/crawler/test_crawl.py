"""The crawler against a fixture site on 127.0.0.1 (tests/fixtures/site/server.py).

The site: a provincial education news column on ``127.0.0.1`` (three list pages, UTF-8 and GBK
county reports, a finance page, a job ad, a site statement, a redirect chain and loop, 404, 500,
a slow and an oversized page, a robots.txt-disallowed page, PDF/image/off-site/file:// links,
one article under two URLs) and a news portal on ``localhost`` that republishes one report.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from junheng import api
from junheng.api.crawl import crawl, list_runs, reextract
from junheng.cli import cli
from junheng.crawler.lock import CrawlLocked, crawl_lock, lock_path

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "fixtures" / "site"

COUNTY_REPORTS = {
    "/news/2024/t20240301_1001.html": "长兴县",
    "/news/2024/t20240305_1002.html": "于都县",  # GBK, charset in the HTTP header
    "/news/2024/t20240308_1003.html": "当阳市",  # GBK, charset only in <meta> (gb2312)
    "/news/2024/t20240312_1004.html": "金寨县",
    "/news/2024/t20240315_1005.html": "寿光市",  # on the second list page
    "/news/2024/t20240325_1009.html": "郫都区",  # reached through a redirect chain
}
OFF_TOPIC = {
    "/news/2024/t20240318_1006.html": "finance",
    "/news/2024/t20240320_1007.html": "job-ad",
    "/news/2024/t20240322_1008.html": "site-page",
}
PORTAL_COPY = "/portal/2024/0313/88231.html"
FAILURES = {"http-404": 1, "http-500": 1, "redirect-loop": 1, "timeout": 1, "too-large": 1}


def _load_server():
    spec = importlib.util.spec_from_file_location("fixture_site_server", SITE / "server.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


site_server = _load_server()


@pytest.fixture(scope="module")
def site():
    server, thread = site_server.start()
    yield server
    site_server.stop(server, thread)


@pytest.fixture(scope="module")
def port(site) -> int:
    return site.server_address[1]


@pytest.fixture(scope="module")
def sources(tmp_path_factory, port) -> Path:
    path = tmp_path_factory.mktemp("sources") / "sources.toml"
    path.write_text(site_server.sources_toml(port), "utf-8")
    return path


def _hits(site, since: int = 0):
    with site.state.lock:
        return list(site.state.hits[since:])


def _docs(db: str) -> dict[str, dict]:
    """Documents by URL path."""
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = con.execute("select * from documents").fetchall()
    con.close()
    return {"/" + r["url"].split("/", 3)[3]: dict(r) for r in rows}


@pytest.fixture(scope="module")
def first(site, sources, tmp_path_factory, settings, pipeline):
    db = str(tmp_path_factory.mktemp("crawl") / "corpus.db")
    start = len(_hits(site))
    report = crawl(sources=sources, db=db, settings=settings, pipeline=pipeline)
    return db, report, _hits(site, start)


@pytest.fixture(scope="module")
def second(first, site, sources, settings, pipeline):
    db = first[0]
    start = len(_hits(site))
    calls = []
    original = pipeline.analyse_many

    def spy(docs):
        docs = list(docs)
        calls.append(len(docs))
        return original(docs)

    pipeline.analyse_many = spy
    try:
        report = crawl(sources=sources, db=db, settings=settings, pipeline=pipeline)
    finally:
        del pipeline.analyse_many
    return report, _hits(site, start), calls


# ---------------------------------------------------------------- first run


def test_everything_allowed_is_crawled_and_extracted(first):
    db, report, _ = first
    docs = _docs(db)
    for path, county in COUNTY_REPORTS.items():
        doc = docs[path]
        assert county in doc["title"] and county in doc["text"], path
        assert doc["published"] and doc["source"], path
        assert "版权所有" not in doc["text"] and "ICP" not in doc["text"]
        assert doc["relevant"] == 1 and doc["duplicate_of"] is None, path
    assert "紧密型教育集团" in docs["/news/2024/t20240305_1002.html"]["text"]  # GBK decoded
    assert "学区制" in docs["/news/2024/t20240308_1003.html"]["text"]
    assert set(docs) == set(COUNTY_REPORTS) | set(OFF_TOPIC) | {PORTAL_COPY}
    run = report.run
    assert run.status == "finished" and run.lists == 4 and run.new == 10
    assert report.analysed == 10 and run.bytes > 20_000


def test_nothing_disallowed_is_fetched(first):
    _, report, hits = first
    paths = [h.path for h in hits]
    assert {h.host for h in hits} == {"127.0.0.1", "localhost"}
    assert not [p for p in paths if p.startswith("/private/")]  # robots.txt Disallow
    assert not [p for p in paths if p.endswith((".pdf", ".jpg"))]  # attachments, images
    assert "/" not in paths and "/about.html" not in paths  # site chrome is not followed
    # one article under two URLs (a tracking query, a #fragment): fetched once
    assert paths.count("/news/2024/t20240301_1001.html") == 1
    assert not [p for p in paths if "utm_source" in p]
    assert report.run.skipped == {"robots.txt": 1}


def test_failures_are_recorded_and_the_run_goes_on(first):
    _, report, hits = first
    assert report.run.failed == FAILURES
    paths = [h.path for h in hits]
    assert paths.count("/news/2024/t20240328_1012.html") == 2  # 500: one retry, then give up
    assert paths.count("/go/7") == 1 and paths.count("/go/7b") == 1  # chain followed once
    assert paths.count("/news/2024/t20240326_1010.html") == 1  # the loop is cut at once


def test_relevance_flags_off_topic_pages(first):
    docs = _docs(first[0])
    for path, reason in OFF_TOPIC.items():
        assert docs[path]["relevant"] == 0 and docs[path]["relevance_reason"] == reason, path


def test_syndicated_copy_counts_once(first, settings, pipeline):
    db = first[0]
    docs = _docs(db)
    original = docs["/news/2024/t20240312_1004.html"]
    assert docs[PORTAL_COPY]["duplicate_of"] == original["id"]  # published a day later
    table = api.compare(by="county", db=db, settings=settings, pipeline=pipeline)
    rows = {r.label: r for r in table.rows}
    for county in COUNTY_REPORTS.values():
        assert county in rows, county
    assert rows["金寨县"].documents == 1


# ---------------------------------------------------------------- incremental runs


def test_second_run_sends_conditional_requests_and_reanalyses_nothing(first, second):
    db = first[0]
    report, hits, calls = second
    articles = [h for h in hits if h.path in COUNTY_REPORTS or h.path in OFF_TOPIC]
    articles += [h for h in hits if h.path == PORTAL_COPY]
    assert len(articles) == 10
    for hit in articles:
        assert "if-none-match" in hit.headers or "if-modified-since" in hit.headers, hit.path
        assert hit.status == 304, hit.path
    etag_only = next(h for h in hits if h.path == PORTAL_COPY)
    assert "if-modified-since" not in etag_only.headers
    date_only = next(h for h in hits if h.path == "/news/2024/t20240325_1009.html")
    assert "if-none-match" not in date_only.headers
    lists = [h for h in hits if h.path.endswith(("index.html", "index_1.html", "index_2.html"))]
    assert all(h.status == 200 and "if-none-match" not in h.headers for h in lists)
    assert calls == [] and report.analysed == 0
    assert report.run.unchanged == 10 and report.run.new == 0 and report.run.changed == 0
    assert len(_docs(db)) == 10


def test_a_changed_article_keeps_its_earlier_version(
    first, second, site, sources, settings, pipeline
):
    db = first[0]
    path = "/news/2024/t20240315_1005.html"
    body = (SITE / "bureau" / path.lstrip("/")).read_text("utf-8")
    site.state.changed[("bureau", path)] = body.replace(
        "开发课后服务课程320余门", "开发课后服务课程350余门，并新增劳动教育课程"
    ).encode("utf-8")
    before = _docs(db)
    try:
        report = crawl(sources=sources, db=db, settings=settings, pipeline=pipeline)
    finally:
        site.state.changed.clear()
    assert report.run.changed == 1 and report.analysed == 1 and report.run.unchanged == 9
    con = sqlite3.connect(db)
    old_id = before[path]["id"]
    (new_id,) = con.execute(
        "select id from documents where url = ? and id != ?", (before[path]["url"], old_id)
    ).fetchone()
    assert con.execute("select duplicate_of from documents where id = ?", (old_id,)).fetchone() == (
        new_id,
    )
    assert con.execute(
        "select kind from crawl_doc_links where document_id = ?", (old_id,)
    ).fetchone() == ("earlier-version",)
    versions = con.execute(
        "select count(*) from crawl_versions v join crawl_pages p on p.id = v.page_id where p.url_canonical like ?",
        (f"%{path}",),
    ).fetchone()[0]
    con.close()
    assert versions == 2
    table = api.compare(by="county", db=db, settings=settings, pipeline=pipeline)
    assert {r.label: r.documents for r in table.rows}["寿光市"] == 1
    # the page goes back to its first text: that document counts again, nothing is analysed
    report = crawl(sources=sources, db=db, settings=settings, pipeline=pipeline)
    assert report.run.changed == 1 and report.analysed == 0
    con = sqlite3.connect(db)
    current = dict(
        con.execute("select id, duplicate_of from documents where id in (?, ?)", (old_id, new_id))
    )
    con.close()
    assert current == {old_id: None, new_id: old_id}
    runs = list_runs(db=db, settings=settings)
    assert [r.id for r in runs] == [4, 3, 2, 1] and all(r.status == "finished" for r in runs)


def test_reextract_reanalyses_only_changed_text(first, second, settings, pipeline):
    db = first[0]
    con = sqlite3.connect(db)
    (doc_id,) = con.execute(
        "select id from documents where url like '%t20240308_1003.html'"
    ).fetchone()
    with con:  # as if an older extractor had kept the page's footer
        con.execute(
            "update documents set text = text || '\n版权所有 教育信息网' where id = ?", (doc_id,)
        )
        con.execute("update crawl_versions set text_hash = 'old' where document_id = ?", (doc_id,))
    con.close()
    report = reextract(db=db, settings=settings, pipeline=pipeline)
    assert report.changed == 1 and report.failed == 0 and report.unchanged == report.pages - 1
    assert "版权所有" not in _docs(db)["/news/2024/t20240308_1003.html"]["text"]
    again = reextract(db=db, settings=settings, pipeline=pipeline)
    assert again.changed == 0


# ---------------------------------------------------------------- safety, lock, quick mode


def test_quick_mode_refuses_private_addresses_unless_allowed(
    site, port, tmp_path, settings, pipeline
):
    db = str(tmp_path / "quick.db")
    start = len(_hits(site))
    url = f"http://127.0.0.1:{port}/news/index.html"
    report = crawl([url], db=db, settings=settings, pipeline=pipeline, options={"delay": 0.0})
    assert report.run.skipped == {"private-address": 1} and report.run.fetched == 0
    assert _hits(site, start) == []
    report = crawl(
        [url],
        db=db,
        settings=settings,
        pipeline=pipeline,
        max_pages=4,
        allow_private=True,
        region_hint="浙江省湖州市长兴县",
        options={"delay": 0.0, "timeout": 1.0, "retries": 0},
    )
    assert report.run.skipped.get("page-cap", 0) > 0
    fetched = [h for h in _hits(site, start) if h.path != "/robots.txt"]
    assert len(fetched) <= 4
    docs = _docs(db)
    assert docs and all(d["region_hint"] == "浙江省湖州市长兴县" for d in docs.values())


def test_cli_exits_non_zero_with_the_reason_when_nothing_is_fetched(site, port, tmp_path):
    from click.testing import CliRunner

    from junheng.cli import cli

    url = f"http://127.0.0.1:{port}/news/index.html"
    result = CliRunner().invoke(cli, ["crawl", url, "--db", str(tmp_path / "q.db"), "--delay", "0"])
    assert result.exit_code == 1
    assert "nothing could be fetched" in result.stderr and "--allow-private" in result.stderr
    assert "Traceback" not in result.output


def test_a_second_crawl_of_the_same_database_is_refused(sources, tmp_path, settings):
    db = str(tmp_path / "locked.db")
    with crawl_lock(db), pytest.raises(CrawlLocked, match="another crawl is writing"):
        crawl(sources=sources, db=db, settings=settings)


def test_killed_crawl_resumes_without_losses_or_duplicates(
    site, port, tmp_path, settings, pipeline
):
    db = str(tmp_path / "killed.db")
    slow = tmp_path / "slow.toml"
    slow.write_text(site_server.sources_toml(port, per_host=1, concurrency=2), "utf-8")
    site.state.article_delay = 0.4
    env = {**os.environ, "JUNHENG_CACHE_DIR": str(settings.cache_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "junheng", "crawl", "--sources", str(slow), "--db", db],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 40
        stored = 0
        while time.monotonic() < deadline and stored < 3:
            time.sleep(0.2)
            if Path(db).exists():
                try:
                    con = sqlite3.connect(db, timeout=5)
                    stored = con.execute("select count(*) from crawl_versions").fetchone()[0]
                    con.close()
                except sqlite3.OperationalError:
                    stored = 0
        assert stored >= 3, "the crawl did not get going"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        _wait_unlocked(db)
    finally:
        site.state.article_delay = 0.0
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    time.sleep(0.5)
    killed_hits = len(_hits(site))
    time.sleep(0.5)
    assert len(_hits(site)) == killed_hits  # the crawl process died with its parent
    con = sqlite3.connect(db)
    done_before = {
        r[0]
        for r in con.execute(
            "select url from crawl_fetches where run_id = 1 and outcome != 'failed'"
        )
    }
    articles_before = [u for u in done_before if "index" not in u and "list" not in u]
    assert 3 <= len(articles_before) < 10  # killed midway
    assert con.execute("select status from crawl_runs").fetchall() == [("running",)]
    con.close()
    second_start = len(_hits(site))
    report = crawl(sources=slow, db=db, settings=settings, pipeline=pipeline)
    assert report.run.resumed_from == 1 and report.run.status == "finished"
    again = [h.path for h in _hits(site, second_start)]
    for url in done_before:  # pages stored before the kill are not fetched again
        path = "/" + url.split("/", 3)[3]
        if "index" not in path:
            assert path not in again, path
    docs = _docs(db)
    assert set(docs) == set(COUNTY_REPORTS) | set(OFF_TOPIC) | {PORTAL_COPY}  # nothing lost
    con = sqlite3.connect(db)
    assert con.execute(
        "select count(*), count(distinct url_canonical) from documents"
    ).fetchone() == (10, 10)
    assert con.execute(
        "select count(*) from crawl_versions where status = 'pending'"
    ).fetchone() == (0,)
    statuses = dict(con.execute("select id, status from crawl_runs").fetchall())
    con.close()
    assert statuses == {1: "interrupted", 2: "finished"}


def _wait_unlocked(db: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise AssertionError("the crawl lock was not released") from None
                time.sleep(0.1)
    finally:
        os.close(fd)


# ---------------------------------------------------------------- command line


def test_cli_crawl_then_compare_shows_the_crawled_reports(sources, tmp_path):
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(
        cli, ["crawl", "--sources", str(sources), "--db", db], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "run 1:" in result.stdout and "10 new" in result.stdout
    assert "http-404 1" in result.stdout and "robots.txt 1" in result.stdout
    result = runner.invoke(cli, ["compare", "--by", "county", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for county in COUNTY_REPORTS.values():
        assert county in result.stdout, county
    result = runner.invoke(cli, ["runs", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0 and "finished" in result.stdout
    with crawl_lock(db):
        locked = runner.invoke(cli, ["crawl", "--sources", str(sources), "--db", db])
    assert locked.exit_code == 1 and "another crawl is writing" in locked.stderr
    assert "Traceback" not in locked.output
