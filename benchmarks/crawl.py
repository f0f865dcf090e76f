"""Crawl throughput against a local server with politeness off, as a ratio to ``scrapy bench``.

    python benchmarks/crawl.py [--articles 1000] [--seconds 10] [--json OUT]

Both sides run on this machine, one after the other, each against a Twisted web server in its own
process on 127.0.0.1:

* ``scrapy bench``: Scrapy's own benchmark (its link-following spider on its own server, nothing
  stored), run as ``python -m scrapy bench``; pages/s from its stats (responses received /
  elapsed seconds) and, for reference, the median of its per-second ``pages/min`` log lines.
* ``junheng crawl``: ``junheng.api.crawl`` on a synthetic education-news site (list pages of 20
  links, Chinese county reports of ~1.5 kB text each), delay 0, AutoThrottle off, 16 requests in
  flight (8 per host, Scrapy's defaults). Fetch stage: the crawl process's responses / its elapsed
  seconds (robots.txt, database frontier, conditional-request lookups, raw HTML compressed and
  stored). End to end: articles / wall seconds of the whole call, with extraction, relevance,
  near-duplicate signatures, NLP analysis and storage running beside the fetching (the pipeline
  is loaded beforehand). A second, incremental run (every article answers 304) is timed too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "site" / "bureau" / "news" / "2024"
PER_LIST = 20
CRAWLED = re.compile(r"Crawled (\d+) pages \(at (\d+) pages/min\)")


# ---------------------------------------------------------------- the synthetic site


def serve(articles: int) -> None:
    """Serve the synthetic site (run in a child process); prints the port, then serves."""
    import email.utils
    import hashlib

    from twisted.internet import reactor
    from twisted.web import resource, server

    templates = [
        p.read_text("utf-8") for p in sorted(FIXTURE.glob("*.html")) if _is_report(p.read_bytes())
    ]
    lists = (articles + PER_LIST - 1) // PER_LIST
    stamp = email.utils.formatdate(1709280000, usegmt=True)

    def article(k: int) -> bytes:
        html = templates[k % len(templates)]
        extra = (
            f"<p>　　（本网第{k}号稿件，统计数据截至2024年{k % 12 + 1}月，"
            f"共涉及学校{k % 97 + 3}所。）</p>"
        )
        marker = '</div>\n<div class="editor">'
        return html.replace(marker, extra + marker).encode()

    def listing(n: int) -> bytes:
        items = "".join(
            f'<li><a href="/a/2024/t20240301_{k}.html">第{k}号稿件</a></li>'
            for k in range(n * PER_LIST, min(articles, (n + 1) * PER_LIST))
        )
        nxt = f'<a href="/list/index_{n + 1}.html">下一页</a>' if n + 1 < lists else ""
        return (
            f"<html><head><meta charset='utf-8'><title>市县动态</title></head><body>"
            f"<ul>{items}</ul>{nxt}</body></html>"
        ).encode()

    class Site(resource.Resource):
        isLeaf = True

        def render_GET(self, request):  # Twisted's method name
            path = request.path.decode()
            m = re.fullmatch(r"/list/index(?:_(\d+))?\.html", path)
            a = re.fullmatch(r"/a/2024/t20240301_(\d+)\.html", path)
            if path == "/robots.txt":
                body = b"User-agent: *\nDisallow: /private/\n"
            elif m:
                body = listing(int(m.group(1) or 0))
            elif a and int(a.group(1)) < articles:
                body = article(int(a.group(1)))
            else:
                request.setResponseCode(404)
                return b"not found"
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            request.setHeader(b"ETag", etag.encode())
            request.setHeader(b"Last-Modified", stamp.encode())
            if request.getHeader(b"If-None-Match") == etag.encode():
                request.setResponseCode(304)
                return b""
            request.setHeader(b"Content-Type", b"text/html; charset=utf-8")
            return body

    port = reactor.listenTCP(0, server.Site(Site()), interface="127.0.0.1")
    print(port.getHost().port, flush=True)
    reactor.run()


def _is_report(data: bytes) -> bool:
    text = data.decode("utf-8", "replace")
    return any(w in text for w in ("县管校聘", "集团化办学", "学区制", "寄宿制"))


# ---------------------------------------------------------------- the two measurements


def scrapy_bench(seconds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as cwd:
        done = subprocess.run(
            [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=seconds + 120,
            check=False,
        )
    log = done.stdout + done.stderr
    rates = [int(m.group(2)) for m in CRAWLED.finditer(log)]
    responses = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not responses or not elapsed:
        raise SystemExit(f"could not read the scrapy bench log:\n{log[-2000:]}")
    pages, secs = int(responses.group(1)), float(elapsed.group(1))
    return {
        "pages": pages,
        "seconds": secs,
        "pages_per_s": pages / secs,
        "log_median_pages_per_s": statistics.median(rates[1:] or rates) / 60 if rates else 0.0,
    }


def junheng_crawl(articles: int) -> dict[str, dict[str, float]]:
    from junheng.api.crawl import crawl
    from junheng.pipeline import Pipeline
    from junheng.settings import load_settings

    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(articles)], stdout=subprocess.PIPE, text=True
    )
    tmp = tempfile.TemporaryDirectory(prefix="junheng-crawl-bench-")
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        folder = Path(tmp.name)
        settings = load_settings(cache_dir=str(folder / "cache"), db=str(folder / "bench.db"))
        pipeline = Pipeline(settings)
        pipeline.nlp  # noqa: B018 - loaded before timing, as in a long crawl
        sources = folder / "sources.toml"
        sources.write_text(
            "[crawl]\ndelay = 0.0\nautothrottle = false\nconcurrency = 16\nper_host = 8\n"
            "retries = 0\n\n[[source]]\nname = 'bench'\n"
            f"start_urls = ['http://127.0.0.1:{port}/list/index.html']\n"
            f"allow_private = true\nmax_pages = {articles * 2}\n",
            "utf-8",
        )
        out = {}
        for label in ("first", "incremental"):
            t0 = time.perf_counter()
            report = crawl(sources=sources, settings=settings, pipeline=pipeline)
            wall = time.perf_counter() - t0
            run = report.run
            assert run.new + run.unchanged == articles, run
            out[label] = {
                "articles": articles,
                "responses": report.responses,
                "fetch_seconds": report.fetch_seconds,
                "fetch_pages_per_s": report.responses / report.fetch_seconds,
                "wall_seconds": wall,
                "end_to_end_pages_per_s": (run.fetched) / wall,
                "analysed": report.analysed,
            }
        return out
    finally:
        proc.kill()
        proc.wait()
        tmp.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10, help="scrapy bench duration")
    parser.add_argument("--json", metavar="OUT")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return
    os.environ.pop("JUNHENG_DB", None)
    bench = scrapy_bench(args.seconds)
    ours = junheng_crawl(args.articles)
    first, again = ours["first"], ours["incremental"]
    base = bench["pages_per_s"]
    rows = [
        (
            "scrapy bench (follow-all spider, nothing stored)",
            bench["pages"],
            bench["seconds"],
            base,
        ),
        (
            "junheng crawl, fetch stage (robots, frontier, raw HTML stored)",
            first["responses"],
            first["fetch_seconds"],
            first["fetch_pages_per_s"],
        ),
        (
            "junheng crawl, end to end (+ extract, relevance, dedup, NLP, store)",
            first["articles"] + first["articles"] // PER_LIST,
            first["wall_seconds"],
            first["end_to_end_pages_per_s"],
        ),
        (
            "junheng crawl, incremental re-run (every article 304), end to end",
            again["articles"] + again["articles"] // PER_LIST,
            again["wall_seconds"],
            again["end_to_end_pages_per_s"],
        ),
    ]
    print("| measurement | pages | seconds | pages/s | ratio to scrapy bench |")
    print("|---|---|---|---|---|")
    for name, pages, secs, pps in rows:
        print(f"| {name} | {pages} | {secs:.1f} | {pps:.1f} | {pps / base:.2f} |")
    print(
        f"\nscrapy bench log, median of per-second lines: {bench['log_median_pages_per_s']:.1f} "
        f"pages/s; {first['analysed']} documents analysed in the first junheng run, "
        f"{again['analysed']} in the incremental one."
    )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"scrapy_bench": bench, "junheng": ours}, indent=2), "utf-8"
        )


if __name__ == "__main__":
    main()
