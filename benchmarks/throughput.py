"""Ingest throughput as a ratio to bare ``jieba.lcut`` on the same text, in the same run.

    python benchmarks/throughput.py [--copies 20] [--jobs N] [--json OUT]

Both sides are warmed first (dictionaries and models loaded), then timed over the same
documents: the bundled sample, repeated with a distinct line per copy so that every copy is new
content. Ingest runs with one job (``--jobs 1``: analysis in the writing process) and with all
cores (worker processes); each ratio is ingest throughput / bare jieba throughput on one core
(1.0 = as fast as bare jieba). The three are alternated and the best of ``--repeats`` kept.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def documents(copies: int) -> list[Path]:
    """Write ``copies`` variants of each sample file into a temporary folder."""
    from junheng.api import sample_paths

    folder = Path(tempfile.mkdtemp(prefix="junheng-bench-"))
    out = []
    for k in range(copies):
        for path in sample_paths():
            text = path.read_text(encoding="utf-8")
            target = folder / f"{k:03d}_{path.name}"
            target.write_text(f"{text}\n（副本{k}）\n", encoding="utf-8")
            out.append(target)
    return out


def run(copies: int = 20, repeats: int = 3, jobs: int | None = None) -> dict[str, float]:
    import jieba

    from junheng import api
    from junheng.pipeline import Pipeline
    from junheng.settings import load_settings
    from junheng.workers import default_jobs

    jieba.setLogLevel(60)
    jobs = jobs or default_jobs()
    paths = documents(copies)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    chars = sum(len(t) for t in texts)

    jieba.lcut("预热")
    settings = load_settings()
    pipeline = Pipeline(settings)
    workdir = Path(tempfile.mkdtemp(prefix="junheng-bench-db-"))
    warm = workdir / "warm.txt"
    warm.write_text("新田县推进县管校聘改革。", encoding="utf-8")
    api.ingest([warm], db=str(workdir / "warm.db"), settings=settings, pipeline=pipeline, jobs=1)
    # alternate the sides so that load from other processes hits them alike
    times: dict[str, list[float]] = {"jieba": [], "single": [], "all": []}
    for r in range(repeats):
        t0 = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        times["jieba"].append(time.perf_counter() - t0)
        for side, n in (("single", 1), ("all", jobs)):
            db = workdir / f"bench-{side}-{r}.db"
            t0 = time.perf_counter()
            report = api.ingest(paths, db=str(db), settings=settings, pipeline=pipeline, jobs=n)
            times[side].append(time.perf_counter() - t0)
            assert report.count("added") == len(paths), report.failed[:3]
    best = {k: min(v) for k, v in times.items()}
    return {
        "documents": len(paths),
        "chars": chars,
        "cores": os.cpu_count() or 1,
        "jobs": jobs,
        "jieba_seconds": round(best["jieba"], 3),
        "single_seconds": round(best["single"], 3),
        "all_seconds": round(best["all"], 3),
        "jieba_chars_per_s": round(chars / best["jieba"]),
        "single_chars_per_s": round(chars / best["single"]),
        "all_chars_per_s": round(chars / best["all"]),
        "single_ratio": round(best["jieba"] / best["single"], 3),
        "all_ratio": round(best["jieba"] / best["all"], 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, help="worker processes (default: all cores)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = run(args.copies, args.repeats, args.jobs)
    print(
        f"{result['documents']} documents, {result['chars']:,} characters, {result['cores']} cores"
    )
    rows = (
        ("bare jieba.lcut (1 core)", "jieba"),
        ("junheng ingest, 1 job  ", "single"),
        (f"junheng ingest, {result['jobs']} jobs ", "all"),
    )
    for label, key in rows:
        seconds, rate = result[f"{key}_seconds"], result[f"{key}_chars_per_s"]
        print(f"{label}: {seconds:.2f} s ({rate:,} chars/s)")
    print(
        f"ratio to bare jieba: single-core {result['single_ratio']:.2f} (target ≥ 0.5),"
        f" all cores {result['all_ratio']:.2f} (target ≥ 0.9 on 2 cores)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
