"""Peak memory of streaming exports on a 100k-sentence corpus (and a 10k one for comparison).

    python benchmarks/export_memory.py [--sentences 100000]

Builds a synthetic corpus by copying the analysed sample until it holds the asked number of
sentences, then runs each export in a fresh process and reads that process's peak RSS. A
streaming export's peak does not grow with the corpus; the file it writes does.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import resource, sys, tracemalloc
from junheng import api
from junheng.api.documents import pipeline_for
from junheng.corpus.store import Corpus
from junheng.settings import load_settings
kind, out, db = sys.argv[1:4]
with Corpus.open(db, create=False) as c:  # load dictionaries before measuring
    pipeline_for(c, load_settings()).segmenter.cut("预热")
tracemalloc.start()
result = api.export(kind, out, db=db)
traced = tracemalloc.get_traced_memory()[1]
print(result.rows, traced / 1048576, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def build(db: Path, sentences: int) -> int:
    """Ingest the sample once, then copy its documents until ``sentences`` are stored."""
    import sqlite3

    from junheng import api

    api.ingest(api.sample_paths(), db=str(db))
    conn = sqlite3.connect(db)
    per_copy = conn.execute("select count(*) from sentences").fetchone()[0]
    copies = max(0, sentences // per_copy - 1)
    docs = [r[0] for r in conn.execute("select id from documents order by id")]
    for k in range(copies):
        for doc_id in docs:
            cur = conn.execute(
                "insert into documents (content_hash, location, url, kind, title, published, source,"
                " author, region_hint, main_adcode, text, ingested_at, analysed_with)"
                " select content_hash || ?, location, url, kind, title, published, source, author,"
                " region_hint, main_adcode, text, ingested_at, analysed_with from documents where id = ?",
                (f"-{k}", doc_id),
            )
            new_doc = cur.lastrowid
            base = conn.execute("select coalesce(max(id), 0) from sentences").fetchone()[0]
            first = conn.execute(
                "select min(id) from sentences where document_id = ?", (doc_id,)
            ).fetchone()[0]
            shift = base + 1 - first
            conn.execute(
                "insert into sentences (id, document_id, idx, char_start, char_end, text, boilerplate,"
                " boilerplate_reason, adcode, region_confidence, region_method, instrument, index_text)"
                " select id + ?, ?, idx, char_start, char_end, text, boilerplate, boilerplate_reason,"
                " adcode, region_confidence, region_method, instrument, index_text from sentences"
                " where document_id = ?",
                (shift, new_doc, doc_id),
            )
            conn.execute(
                "insert into measures (document_id, sentence_id, term, canonical, category,"
                " char_start, char_end, method, figures) select ?, sentence_id + ?, term, canonical,"
                " category, char_start, char_end, method, figures from measures where document_id = ?",
                (new_doc, shift, doc_id),
            )
            conn.execute(
                "insert into sentence_strategies (sentence_id, document_id, strategy, score, method)"
                " select sentence_id + ?, ?, strategy, score, method from sentence_strategies"
                " where document_id = ?",
                (shift, new_doc, doc_id),
            )
        conn.commit()
    total = conn.execute("select count(*) from sentences").fetchone()[0]
    conn.close()
    return total


def peak(args: list[str]) -> tuple[int, float, float]:
    """(rows, peak MB allocated by the export itself, peak RSS MB of the process)."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    return int(out[-3]), float(out[-2]), int(out[-1]) / 1024  # ru_maxrss: KiB on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    results = []
    work = Path(tempfile.mkdtemp(prefix="junheng-export-bench-"))
    for size in (args.sentences // 10, args.sentences):
        db = work / f"c{size}.db"
        stored = build(db, size)
        for kind, out in (("sentences", "s.csv"), ("cooccurrence", "e.csv"), ("texts", "texts")):
            rows, traced, rss = peak([kind, str(work / f"{size}-{out}"), str(db)])
            results.append(
                {
                    "sentences": stored,
                    "export": kind,
                    "rows": rows,
                    "export_peak_mb": round(traced, 1),
                    "process_rss_mb": round(rss, 1),
                }
            )
    print(
        "| corpus sentences | export | rows written | peak MB allocated by the export | "
        "process peak RSS MB |"
    )
    print("|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['sentences']:,} | {r['export']} | {r['rows']:,} | {r['export_peak_mb']} | "
            f"{r['process_rss_mb']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
