"""Run junheng and the peer extractors over the Chinese extraction bench and print the scores.

Usage::

    python benchmarks/extraction.py [--bench DIR] [--only NAME ...] [--json OUT] [--pages]

Each extractor runs in a fresh subprocess pinned to one CPU core (``taskset -c 0`` when
available, else ``os.sched_setaffinity``), is warmed on a tiny document, then makes one timed
pass over all decoded pages. Scoring follows the bench README (see ``extraction_scoring``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.extraction_scoring import (  # noqa: E402
    GROUPS,
    Prediction,
    aggregate_groups,
    load_bench,
    score_page,
)

DEFAULT_BENCH = ROOT.parent / "shared" / "bench" / "extraction"
EXTRACTORS = ("junheng", "trafilatura", "readability", "gne")
_REQUIRES = {
    "junheng": "junheng",
    "trafilatura": "trafilatura",
    "readability": "readability",
    "gne": "gne",
}
_TINY = (
    "<html><head><title>测试标题_网站</title></head><body><h1>测试标题</h1>"
    "<p>发布时间：2023-04-17 来源：教育局</p><div><p>"
    + "这是一个用于预热的正文段落。" * 8
    + "</p></div></body></html>"
)

Extractor = Callable[[str, str | None], Prediction]
# fields each extractor produces; the others are reported as "n/a"
SUPPORTS = {
    "junheng": {"body", "title", "date", "author"},
    "trafilatura": {"body", "title", "date", "author"},
    "readability": {"body", "title"},
    "gne": {"body", "title", "date", "author"},
}
_FIELD_OF = {
    "title_exact": "title",
    "title_contained": "title",
    "date_acc": "date",
    "author_source_hit": "author",
}


# ---------------------------------------------------------------- extractor adapters


def _junheng() -> Extractor:
    from junheng.crawler.extract import extract_article
    from junheng.errors import ExtractionError

    def run(html: str, url: str | None) -> Prediction:
        try:
            a = extract_article(html, url=url)
        except ExtractionError:
            return Prediction()
        return Prediction(a.body, a.title, a.published, a.author, a.source)

    return run


def _trafilatura() -> Extractor:
    import trafilatura

    def run(html: str, url: str | None) -> Prediction:
        out = trafilatura.extract(html, output_format="json", with_metadata=True)
        if not out:
            return Prediction()
        d = json.loads(out)
        return Prediction(d.get("text") or "", d.get("title"), d.get("date"), d.get("author"))

    return run


def _readability() -> Extractor:
    import lxml.html
    from readability import Document

    def run(html: str, url: str | None) -> Prediction:
        try:
            doc = Document(html)
            summary = doc.summary(html_partial=True)
            title = doc.short_title()
        except Exception:
            return Prediction()
        text = "\n".join(lxml.html.fromstring(summary).itertext()) if summary.strip() else ""
        return Prediction(text, title)

    return run


def _gne() -> Extractor:
    from gne import GeneralNewsExtractor

    extractor = GeneralNewsExtractor()

    def run(html: str, url: str | None) -> Prediction:
        try:
            d = extractor.extract(html)
        except Exception:
            return Prediction()
        return Prediction(
            d.get("content") or "", d.get("title"), d.get("publish_time"), d.get("author")
        )

    return run


_FACTORIES: dict[str, Callable[[], Extractor]] = {
    "junheng": _junheng,
    "trafilatura": _trafilatura,
    "readability": _readability,
    "gne": _gne,
}


# ---------------------------------------------------------------- worker (child process)


def worker(name: str, bench: Path, out: Path) -> None:
    """Child process: decode pages, warm up, time one pass, dump predictions as JSON."""
    import logging

    logging.disable(logging.CRITICAL)
    pages = load_bench(bench)
    run = _FACTORIES[name]()
    run(_TINY, None)
    preds: dict[str, dict[str, Any]] = {}
    start = time.perf_counter()
    for page in pages:
        p = run(page["html"], page.get("url"))
        preds[page["id"]] = {
            "body": p.body,
            "title": p.title,
            "date": p.date,
            "author": p.author,
            "source": p.source,
        }
    elapsed = time.perf_counter() - start
    mb = sum(len(p["html"].encode("utf-8")) for p in pages) / 1e6
    out.write_text(
        json.dumps(
            {"seconds": elapsed, "pages": len(pages), "mb": mb, "predictions": preds},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )


def _pin_to_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})


def run_extractor(name: str, bench: Path) -> dict[str, Any]:
    """Run ``name`` in a fresh single-core subprocess; return its timing and predictions."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pred.json"
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            name,
            "--bench",
            str(bench),
            "--worker-out",
            str(out),
        ]
        taskset = shutil.which("taskset")
        if taskset:
            subprocess.run([taskset, "-c", "0", *cmd], check=True, cwd=ROOT)
        else:
            subprocess.run(cmd, check=True, cwd=ROOT, preexec_fn=_pin_to_core)
        return json.loads(out.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- reporting

_COLUMNS = [
    ("body_p", "body P"),
    ("body_r", "body R"),
    ("body_f1", "body F1"),
    ("bigram_f1", "F1 bigram"),
    ("median_f1", "median F1"),
    ("pages_f1_below_0_5", "F1<0.5"),
    ("must_contain_hit", "must-contain hit"),
    ("must_not_contain_clean", "must-not clean"),
    ("snippet_f1", "snippet F1"),
    ("fully_clean", "fully clean"),
    ("title_exact", "title exact"),
    ("title_contained", "title contained"),
    ("date_acc", "date acc"),
    ("author_source_hit", "author/source hit"),
    ("empty", "empty"),
]


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def markdown(results: dict[str, dict[str, Any]]) -> str:
    """Markdown tables: one per scope (all pages, then each group), one row per extractor."""
    lines: list[str] = []
    for scope in ("all", *GROUPS):
        rows = [(n, r["figures"][scope]) for n, r in results.items() if scope in r["figures"]]
        if not rows:
            continue
        title = "all pages" if scope == "all" else f"group `{scope}`"
        lines += ["", f"### {title} ({rows[0][1]['pages']} pages)", ""]
        header = ["extractor", *(label for _, label in _COLUMNS)]
        if scope == "all":
            header += ["pages/s", "MB/s"]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for name, fig in rows:
            cells = [name, *(_fmt(fig.get(key)) for key, _ in _COLUMNS)]
            if scope == "all":
                t = results[name]["timing"]
                cells += [f"{t['pages_per_s']:.1f}", f"{t['mb_per_s']:.2f}"]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def page_report(name: str, golds: list[dict[str, Any]], preds: dict[str, Any]) -> str:
    """One line per page with the scores of ``name`` (for studying failures)."""
    lines = []
    for gold in golds:
        p = preds[gold["id"]]
        s = score_page(gold, Prediction(**p))
        parts = [gold["id"]]
        if s.body_f1 is not None:
            parts.append(f"F1={s.body_f1:.3f} P={s.body_p:.3f} R={s.body_r:.3f}")
        if s.fully_clean is not None:
            parts.append(f"clean={s.fully_clean} {s.details}")
        for key in ("title_exact", "date_ok", "author_hit"):
            v = getattr(s, key)
            if v is False:
                parts.append(f"{key}=no")
        lines.append("  ".join(parts))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    ap.add_argument(
        "--only", action="append", choices=EXTRACTORS, help="run only this extractor (repeatable)"
    )
    ap.add_argument("--json", type=Path, help="write the figures to this JSON file")
    ap.add_argument("--pages", action="store_true", help="also print per-page scores")
    ap.add_argument("--worker", choices=EXTRACTORS, help=argparse.SUPPRESS)
    ap.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.worker, args.bench, args.worker_out)
        return 0
    if not (args.bench / "manifest.json").is_file():
        print(f"bench not found: {args.bench}", file=sys.stderr)
        return 2
    golds = load_bench(args.bench)
    results: dict[str, dict[str, Any]] = {}
    for name in args.only or EXTRACTORS:
        if importlib.util.find_spec(_REQUIRES[name]) is None:
            print(f"{name}: not installed, skipped")
            continue
        raw = run_extractor(name, args.bench)
        scores = [score_page(g, Prediction(**raw["predictions"][g["id"]])) for g in golds]
        timing = {
            "seconds": raw["seconds"],
            "pages_per_s": raw["pages"] / raw["seconds"],
            "mb_per_s": raw["mb"] / raw["seconds"],
        }
        figures = aggregate_groups(scores)
        for fig in figures.values():
            for key, needed in _FIELD_OF.items():
                if needed not in SUPPORTS[name]:
                    fig[key] = "n/a"
        results[name] = {"figures": figures, "timing": timing}
        if args.pages:
            print(f"\n## {name} per page\n")
            print(page_report(name, golds, raw["predictions"]))
    print(markdown(results))
    if args.json:
        args.json.write_text(
            json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
