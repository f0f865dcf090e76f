"""Acceptance in a real browser: `junheng serve` (Datasette) and the HTML report, loaded in
Debian's headless Chromium (no browser download: the `chromium` package, installed by .ci/run)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="needs Debian's chromium (apt-get install -y chromium fonts-noto-cjk)",
)
needs_datasette = pytest.mark.skipif(
    importlib.util.find_spec("datasette") is None,
    reason="needs Datasette (pip install 'datasette==0.65.5')",
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
)
# `junheng serve` whether or not junheng.cli imports the picture commands itself yet
JUNHENG = (sys.executable, "-c", "import junheng.cli.report; from junheng.cli import main; main()")
SAMPLE_REGIONS = ("云和县", "新田县", "雨花区", "湘乡市", "沅江市", "成都市", "华阴市", "武冈市")


def chromium(url: str, *extra: str, timeout: float = 90) -> str:
    """Load ``url`` in headless Chromium and return the DOM after it rendered."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        proc = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def dump_dom(url: str) -> str:
    return chromium(url, "--dump-dom")


def screenshot(url: str, path: Path, height: int = 2000) -> None:
    chromium(url, f"--screenshot={path}", f"--window-size=1280,{height}")
    assert path.stat().st_size > 10_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(sample_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`junheng serve` on a free port in a subprocess; killed when the module's tests end."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [*JUNHENG, "serve", "--db", sample_db, "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )
        try:
            _wait_for(proc, f"{base}/corpus", log_path)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _wait_for(proc: subprocess.Popen, url: str, log_path: Path, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while True:
        if proc.poll() is not None:
            pytest.fail(f"junheng serve exited: {log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"junheng serve did not answer within {limit:.0f} s")
        time.sleep(0.3)


@needs_datasette
def test_serve_is_read_only_and_local(server: str, sample_db: str):
    before = hashlib.sha256(Path(sample_db).read_bytes()).hexdigest()
    assert server.startswith("http://127.0.0.1:")
    sql = quote("delete from documents")
    try:
        urllib.request.urlopen(f"{server}/corpus.json?sql={sql}", timeout=10)
        raise AssertionError("a write statement was accepted")
    except urllib.error.HTTPError as exc:
        assert exc.code == 400
        assert "must be a SELECT" in exc.read().decode()
    with urllib.request.urlopen(f"{server}/corpus/comparison.json?_shape=array", timeout=10) as r:
        rows = json.load(r)
    assert {row["地区"].removesuffix("（市级）") for row in rows} >= set(SAMPLE_REGIONS)
    with urllib.request.urlopen(f"{server}/-/junheng.css", timeout=10) as r:
        assert b"nowrap" in r.read()
    assert hashlib.sha256(Path(sample_db).read_bytes()).hexdigest() == before


@needs_chromium
@needs_datasette
def test_comparison_query_in_the_browser(server: str, tmp_path: Path):
    dom = dump_dom(f"{server}/corpus/comparison")
    assert "比较表：地区 × 策略" in dom
    for name in SAMPLE_REGIONS:
        assert f">{name}" in dom, name
    assert "成都市（市级）" in dom
    for short in ("统筹督导", "教师配置", "双减", "合计"):
        assert short in dom
    # counts link to their evidence
    assert "/corpus/evidence?region=431128&amp;strategy=teacher_allocation" in dom
    shots = os.environ.get("JUNHENG_SCREENSHOTS")  # set to a folder to keep screenshots
    if shots:
        screenshot(f"{server}/corpus/comparison", Path(shots) / "serve.png", 1000)


@needs_chromium
@needs_datasette
def test_full_text_search_in_the_browser(server: str):
    dom = dump_dom(f"{server}/corpus/search?q={quote('县管校聘')}")
    assert "全文检索" in dom
    assert "新田县" in dom
    assert "<mark>县管校聘</mark>" in dom
    assert "管理体制改革示范县建设" in dom
    # the sentences table's own search box segments the query too: 县管校聘改革 → 县管校聘 + 改革
    dom = dump_dom(f"{server}/corpus/sentences?_search={quote('县管校聘改革')}")
    # the measure sentence and the honour naming 县管校聘管理体制改革示范县
    assert "2 rows where search matches" in dom
    assert "管理体制改革示范县建设" in dom


@needs_chromium
@needs_datasette
def test_evidence_query_in_the_browser(server: str):
    dom = dump_dom(f"{server}/corpus/evidence?region=431128&strategy={quote('教师配置')}")
    assert "<mark>县管校聘</mark>" in dom
    assert "湖南各地着力提升义务教育质量" in dom


@needs_chromium
def test_report_in_the_browser(sample_db, settings, pipeline, tmp_path: Path):
    from junheng.api.report import report

    out = tmp_path / "report.html"
    report(out, db=sample_db, settings=settings, pipeline=pipeline)
    dom = dump_dom(out.as_uri())
    assert 'id="heatmap"' in dom
    for name in SAMPLE_REGIONS:
        assert name in dom
    assert "<svg" in dom and "<mark" in dom
    shots = os.environ.get("JUNHENG_SCREENSHOTS")
    if shots:
        screenshot(out.as_uri(), Path(shots) / "report.png")
