"""Ingest throughput as a ratio to bare ``jieba.lcut`` on the same text, in the same process.

    python benchmarks/throughput.py [--copies 20] [--json OUT]

Both sides are warmed first (dictionaries and models loaded), then timed over the same
documents: the bundled sample, repeated with a distinct line per copy so that every copy is new
content. The ratio is pipeline throughput / jieba throughput (1.0 = as fast as bare jieba).
"""

from __future__ import annotations

import argparse
import json
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


def run(copies: int = 20, repeats: int = 3) -> dict[str, float]:
    import jieba

    from junheng import api
    from junheng.pipeline import Pipeline
    from junheng.settings import load_settings

    jieba.setLogLevel(60)
    paths = documents(copies)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    chars = sum(len(t) for t in texts)

    jieba.lcut("预热")
    settings = load_settings()
    pipeline = Pipeline(settings)
    workdir = Path(tempfile.mkdtemp(prefix="junheng-bench-db-"))
    warm = workdir / "warm.txt"
    warm.write_text("新田县推进县管校聘改革。", encoding="utf-8")
    api.ingest([warm], db=str(workdir / "warm.db"), settings=settings, pipeline=pipeline)
    # alternate the two sides so that load from other processes hits both alike
    jieba_times = []
    ingest_times = []
    for r in range(repeats):
        t0 = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        jieba_times.append(time.perf_counter() - t0)
        db = workdir / f"bench{r}.db"
        t0 = time.perf_counter()
        report = api.ingest(paths, db=str(db), settings=settings, pipeline=pipeline)
        ingest_times.append(time.perf_counter() - t0)
        assert report.count("added") == len(paths), report.failed[:3]
    jieba_s = min(jieba_times)
    ingest_s = min(ingest_times)
    return {
        "documents": len(paths),
        "chars": chars,
        "jieba_seconds": round(jieba_s, 3),
        "ingest_seconds": round(ingest_s, 3),
        "jieba_chars_per_s": round(chars / jieba_s),
        "ingest_chars_per_s": round(chars / ingest_s),
        "ratio": round(jieba_s / ingest_s, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = run(args.copies, args.repeats)
    print(f"{result['documents']} documents, {result['chars']:,} characters")
    for label, key in (("bare jieba.lcut", "jieba"), ("junheng ingest ", "ingest")):
        seconds, rate = result[f"{key}_seconds"], result[f"{key}_chars_per_s"]
        print(f"{label}: {seconds:.2f} s ({rate:,} chars/s)")
    print(f"ratio (ingest throughput / jieba throughput): {result['ratio']:.2f}  (target ≥ 0.33)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
