"""A national corpus on one machine: ingest, search, tables and memory at growing sizes.

    python benchmarks/scale.py --sentences 1000000 --steps 100000,1000000 --data ../scale-data
    python benchmarks/scale.py --sentences 3000            # a small run (CI size)

Builds the synthetic corpus itself (``scale_corpus.py``: real report text recombined into
distinct documents, place names swapped), ingests it in parts up to each step and measures
there, in one process: ingest speed beside bare ``jieba.lcut`` on the same text (same run),
query latency through the Python API (warm; median and p95 over ``--queries`` queries ×
``--repeats``), the same commands as CLI processes end to end, the memory of a query process and
the database size. The data folder keeps the generated parts and the database, so a later run
with a larger ``--sentences`` goes on from there; a step the database has already passed is
reported from that earlier run's results.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scale_corpus import write_parts  # noqa: E402

COMMON = ["教师", "学校", "教育", "学生", "发展", "工作", "建设", "推进", "提升", "全面"]
MEASURES = [
    "县管校聘",
    "集团化办学",
    "学区制",
    "双减",
    "控辍保学",
    "标准化学校建设",
    "教师交流轮岗",
    "课后服务",
    "薄弱学校改造",
    "营养改善计划",
]
SEMANTIC = [
    "城乡教师流动",
    "农村学校办学条件改善",
    "留守儿童关爱",
    "减轻学生作业负担",
    "名校带弱校",
    "教育经费投入保障",
    "随迁子女入学",
    "信息化教学资源共享",
    "校长教师交流",
    "大班额化解",
]
GOALS = {
    "ingest": "all cores; ≥ 0.67× jieba per core",
    "search_common": "< 50 ms",
    "search_region": "< 50 ms",
    "compare_all": "< 0.5 s",
    "compare_province": "< 100 ms",
    "measures_all": "< 0.5 s",
    "semantic": "< 100 ms",
    "evidence": "< 20 ms",
    "cli": "< 1 s at 100k, < 1.5 s at 1M",
    "memory": "< 500 MB, flat",
    "size": "≤ 0.9 KB/sentence, ≤ 1.3 KB with vector",
}


def _ms(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def _timed(calls: list[Callable[[], Any]], repeats: int) -> dict[str, float]:
    times = []
    for _ in range(repeats):
        for call in calls:
            t0 = time.perf_counter()
            call()
            times.append(time.perf_counter() - t0)
    return _ms(times)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# ---------------------------------------------------------------- ingest


def _texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]


def _warm_document() -> Any:
    from junheng.records import SourceDocument

    return SourceDocument("warm", "新田县推进县管校聘改革。")


def jieba_rate(texts: list[str]) -> float:
    """Characters per second of bare ``jieba.lcut`` on one core (dictionary loaded first)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.lcut("预热")
    t0 = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return sum(map(len, texts)) / (time.perf_counter() - t0)


def ingest_parts(
    parts: list[tuple[Path, int]], db: Path, state: dict[str, Any], jobs: int | None
) -> None:
    """Ingest the parts not yet in the database in one run (as one long ``junheng ingest``),
    timed (wall and CPU of this process and its workers), beside bare jieba on a sample of
    the same text measured just before."""
    from junheng import api
    from junheng.pipeline import Pipeline
    from junheng.settings import load_settings

    done = set(state.setdefault("ingested", []))
    todo = [p for p, _ in parts if p.name not in done]
    if not todo:
        return
    texts = _texts(todo[0])
    jieba_cps = jieba_rate(texts[: max(1, len(texts) // 3)])
    chars = sum(sum(map(len, _texts(p))) for p in todo)
    settings = load_settings()
    pipeline = Pipeline(settings)
    pipeline.analyse(_warm_document())  # loaded once, as in one long ingest run
    kwargs = {"jobs": jobs} if jobs is not None else {}
    cpu0, t0 = _cpu(), time.perf_counter()
    report = api.ingest(
        [str(p) for p in todo], db=str(db), settings=settings, pipeline=pipeline, **kwargs
    )
    wall = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    state["ingested"].extend(p.name for p in todo)
    entry = {
        "parts": len(todo),
        "sentences": report.sentences,
        "chars": chars,
        "seconds": wall,
        "cpu_per_wall": cpu / wall,
        "jieba_chars_per_s": jieba_cps,
        "ratio": chars / wall / jieba_cps,
    }
    state.setdefault("ingest_log", []).append(entry)
    print(
        f"  {len(todo)} parts: {report.sentences:,} sentences in {wall:.1f} s "
        f"({report.sentences / wall:,.0f}/s, CPU/wall {cpu / wall:.2f}, "
        f"{entry['ratio']:.2f}× jieba)",
        flush=True,
    )


# ---------------------------------------------------------------- queries


def _sample_places(db: Path, rng: random.Random, n: int) -> dict[str, list[str]]:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(
        "select r.province, r.city, r.county, count(*) as k from sentence_regions sr"
        " join regions r on r.adcode = sr.adcode group by sr.adcode"
    ).fetchall()
    conn.close()
    counties = [r[2] for r in rows if r[2]]
    provinces = sorted({r[0] for r in rows})
    cities = sorted({r[1] for r in rows if r[1] and r[1] != r[0]})
    return {
        "county": rng.sample(counties, min(n, len(counties))),
        "province": rng.sample(provinces, min(n, len(provinces))),
        "city": rng.sample(cities, min(n, len(cities))),
    }


def _unique(pipeline: Any, names: list[str]) -> list[str]:
    """Names the gazetteer resolves to exactly one place (tables refuse ambiguous ones)."""
    return [n for n in names if len(pipeline.gazetteer.resolve(n)) == 1]


def measure_queries(db: Path, n: int, repeats: int, semantic: bool) -> dict[str, Any]:
    from junheng import api
    from junheng.pipeline import Pipeline
    from junheng.settings import load_settings

    settings = load_settings(db=str(db))
    pipeline = Pipeline(settings)
    rng = random.Random(5)
    places = _sample_places(db, rng, n)
    counties = _unique(pipeline, places["county"])
    regions = _unique(pipeline, places["province"] + places["city"] + counties)
    rng.shuffle(regions)
    out: dict[str, Any] = {}

    def search(q: str, **kw: Any) -> Callable[[], Any]:
        return lambda: api.search(q, db=str(db), settings=settings, pipeline=pipeline, **kw)

    search("预热")()
    out["search_common"] = _timed([search(q) for q in COMMON], repeats)
    out["search_measures"] = _timed([search(q) for q in MEASURES], repeats)
    words = COMMON + MEASURES
    out["search_region"] = _timed(
        [search(words[k % len(words)], region=regions[k % len(regions)]) for k in range(n)],
        repeats,
    )

    def compare(**kw: Any) -> Callable[[], Any]:
        return lambda: api.compare(db=str(db), settings=settings, pipeline=pipeline, **kw)

    table = compare()()
    out["compare_all"] = _timed([compare()], repeats)
    provinces = places["province"][:n]
    out["compare_province"] = _timed([compare(province=p) for p in provinces], repeats)
    out["measures_all"] = _timed(
        [lambda: api.list_measures(db=str(db), settings=settings, limit=50)], repeats
    )
    cells = [
        (row.adcode, sid)
        for row in table.rows
        if row.level == "county"
        for sid, cell in row.cells.items()
        if cell.sentences
    ]
    picked = rng.sample(cells, min(n, len(cells)))
    out["evidence"] = _timed(
        [
            (
                lambda a=a, s=s: api.evidence(
                    strategy=s, region=a, db=str(db), settings=settings, pipeline=pipeline
                )
            )
            for a, s in picked
        ],
        repeats,
    )
    out["evidence_cells"] = [[a, s] for a, s in picked]
    if semantic:
        t0 = time.perf_counter()
        search(SEMANTIC[0], mode="semantic")()
        out["semantic_first_s"] = time.perf_counter() - t0
        queries = (SEMANTIC * (n // len(SEMANTIC) + 1))[:n]
        out["semantic"] = _timed([search(q, mode="semantic") for q in queries], repeats)
    return out


def measure_cli(db: Path, cells: list[list[str]], repeats: int, semantic: bool) -> dict[str, Any]:
    """Each query command as a fresh process, end to end (median of ``repeats``)."""
    exe = shutil.which("junheng", path=str(Path(sys.executable).parent)) or "junheng"
    adcode, strategy = cells[0] if cells else ("430000", "teacher_allocation")
    commands = {
        "search": ["search", "教师"],
        "search_region": ["search", "教师", "--region", "湖南省"],
        "compare": ["compare", "--by", "county", "--format", "csv"],
        "measures": ["measures"],
        "evidence": ["evidence", "--region", adcode, "--strategy", strategy],
    }
    if semantic:
        commands["semantic"] = ["search", "--semantic", "城乡教师流动"]
    out = {}
    env = {**os.environ, "JUNHENG_DB": str(db), "COLUMNS": "200"}
    for name, args in commands.items():
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            done = subprocess.run(
                [exe, *args], env=env, capture_output=True, text=True, check=False
            )
            times.append(time.perf_counter() - t0)
            if done.returncode != 0:
                raise SystemExit(f"junheng {' '.join(args)} failed: {done.stderr[-500:]}")
        out[name] = statistics.median(times)
    return out


_PROBE = r"""
import json, sys
from junheng import api
from junheng.pipeline import Pipeline
from junheng.settings import load_settings

def rss(field="VmRSS"):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
settings = load_settings(db=sys.argv[1])
pipeline = Pipeline(settings)
out = {"start": rss()}
api.compare(db=sys.argv[1], settings=settings, pipeline=pipeline)
api.list_measures(db=sys.argv[1], settings=settings)
out["after_tables"] = rss()
sem = []
if sys.argv[2] == "1":
    for q in ["城乡教师流动", "留守儿童关爱", "减轻学生作业负担", "名校带弱校", "大班额化解"] * 2:
        api.search(q, db=sys.argv[1], settings=settings, pipeline=pipeline, mode="semantic")
        sem.append(rss())
out["semantic"] = sem
out["anon"] = rss("RssAnon")  # the process's own memory (RSS also counts mapped index pages)
for line in open("/proc/self/status"):
    if line.startswith("VmHWM"):
        out["peak"] = int(line.split()[1]) / 1024
print(json.dumps(out))
"""


def measure_memory(db: Path, semantic: bool) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(db), "1" if semantic else "0"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def database_size(db: Path) -> dict[str, Any]:
    """Bytes on disk: the database (with its WAL) and the vector files beside it."""
    import sqlite3

    main = sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())
    side = 0
    for p in db.parent.glob(db.name + "*"):
        if p.is_dir():
            side += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    sentences = conn.execute("select count(*) from sentences").fetchone()[0]
    documents = conn.execute("select count(*) from documents").fetchone()[0]
    try:
        tables = dict(
            conn.execute(
                "select name, sum(pgsize) from dbstat group by name order by 2 desc"
            ).fetchall()
        )
    except sqlite3.Error:
        tables = {}
    conn.close()
    vec_in_db = sum(v for k, v in tables.items() if "vector" in k)
    return {
        "sentences": sentences,
        "documents": documents,
        "bytes": main + side,
        "kb_per_sentence": (main + side) / sentences / 1024,
        "kb_per_sentence_without_vectors": (main - vec_in_db) / sentences / 1024,
        "tables": tables,
    }


# ---------------------------------------------------------------- report


def _row(results: list[dict[str, Any]], label: str, fmt: Callable[[dict], str], goal: str) -> str:
    cells = []
    for r in results:
        try:
            cells.append(fmt(r))
        except (KeyError, TypeError, IndexError):
            cells.append("–")
    return f"| {label} | " + " | ".join(cells) + f" | {goal} |"


def table(results: list[dict[str, Any]]) -> str:
    def size_of(r: dict) -> str:
        n = r["size"]["sentences"]
        return f"{n / 1000:.0f}k" if n < 1_000_000 else f"{n / 1e6:.2f}M"

    def ingest(r: dict) -> str:
        i = r["ingest"]
        return (
            f"{i['jobs']} jobs, CPU/wall {i['cpu_per_wall']:.2f}; {i['sentences_per_s']:,.0f}"
            f" sentences/s; {i['ratio']:.2f}× jieba ({i['ratio'] / i['jobs']:.2f} per core)"
        )

    def q(key: str, stat: str = "p95_ms") -> Callable[[dict], str]:
        return lambda r: f"{r['queries'][key][stat]:,.0f} ms"

    def cli(r: dict) -> str:
        c = r["cli"]
        return ", ".join(f"{k} {v:.2f}" for k, v in c.items()) + " s"

    def mem(r: dict) -> str:
        m = r["memory"]
        sem = m.get("semantic") or []
        grow = f"; semantic ×{len(sem)}: {sem[0]:.0f}→{sem[-1]:.0f} MB" if sem else ""
        anon = f"; own (RssAnon) {m['anon']:.0f} MB" if "anon" in m else ""
        return f"peak {m['peak']:.0f} MB (after tables {m['after_tables']:.0f}{grow}{anon})"

    def size(r: dict) -> str:
        s = r["size"]
        return (
            f"{s['bytes'] / 2**20:,.0f} MB; {s['kb_per_sentence_without_vectors']:.2f} KB/sentence,"
            f" {s['kb_per_sentence']:.2f} KB with vectors"
        )

    def semantic(r: dict) -> str:
        s = r["queries"]["semantic"]
        return (
            f"{s['median_ms']:,.0f} ms (p95 {s['p95_ms']:,.0f};"
            f" first {r['queries']['semantic_first_s']:.1f} s)"
        )

    head = "| | " + " | ".join(f"at {size_of(r)}" for r in results) + " | goal |"
    lines = [head, "|---" * (len(results) + 2) + "|"]
    lines.append(_row(results, "ingest", ingest, GOALS["ingest"]))
    lines.append(
        _row(results, "`search` common word p95", q("search_common"), GOALS["search_common"])
    )
    lines.append(_row(results, "`search` measure term p95", q("search_measures"), "–"))
    lines.append(_row(results, "`search --region` p95", q("search_region"), GOALS["search_region"]))
    lines.append(
        _row(
            results,
            "`compare --by county`, whole corpus",
            q("compare_all", "median_ms"),
            GOALS["compare_all"],
        )
    )
    lines.append(
        _row(
            results, "`compare` one province p95", q("compare_province"), GOALS["compare_province"]
        )
    )
    lines.append(
        _row(
            results,
            "`measures`, whole corpus",
            q("measures_all", "median_ms"),
            GOALS["measures_all"],
        )
    )
    lines.append(_row(results, "`search --semantic` per query", semantic, GOALS["semantic"]))
    lines.append(_row(results, "`evidence` one cell p95", q("evidence"), GOALS["evidence"]))
    lines.append(_row(results, "CLI process, end to end", cli, GOALS["cli"]))
    lines.append(_row(results, "query process memory", mem, GOALS["memory"]))
    lines.append(_row(results, "database size", size, GOALS["size"]))
    return "\n".join(lines)


def _measure(db: Path, args: argparse.Namespace) -> dict[str, Any]:
    print("measuring queries", flush=True)
    out: dict[str, Any] = {}
    out["queries"] = measure_queries(db, args.queries, args.repeats, not args.no_semantic)
    if not args.no_cli:
        out["cli"] = measure_cli(
            db, out["queries"]["evidence_cells"], args.repeats, not args.no_semantic
        )
    out["memory"] = measure_memory(db, not args.no_semantic)
    out["size"] = database_size(db)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000, help="largest corpus size")
    parser.add_argument("--steps", default="", help="sizes to measure at (default: --sentences)")
    parser.add_argument("--data", type=Path, help="folder for parts and database (kept)")
    parser.add_argument("--jobs", type=int, help="ingest worker processes (default: all cores)")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-semantic", action="store_true")
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--remeasure",
        action="store_true",
        help="measure the queries again at the steps already ingested (after an upgrade)",
    )
    args = parser.parse_args(argv)

    data = args.data or Path(tempfile.mkdtemp(prefix="junheng-scale-"))
    data.mkdir(parents=True, exist_ok=True)
    db = data / "scale.db"
    state_file = data / "state.json"
    state = json.loads(state_file.read_text()) if state_file.is_file() else {}
    steps = sorted({int(s) for s in args.steps.split(",") if s} | {args.sentences})
    print(f"{os.cpu_count()} cores; data in {data}", flush=True)
    results = []
    for step in steps:
        parts = write_parts(data / "input", step)
        needed = {p.name for p, _ in parts}
        ingested = set(state.get("ingested", []))
        key = str(step)
        old = state.get("results", {}).get(key)
        if ingested > needed or (ingested == needed and old is not None):
            # the database has passed this step (or was measured there): report, or measure
            # again when it is still at this step (--remeasure, e.g. after an upgrade)
            if old is not None and args.remeasure and ingested == needed:
                old.update(_measure(db, args))
                state_file.write_text(json.dumps(state))
            if old is not None:
                results.append(old)
            continue
        print(f"ingest up to {step:,} sentences", flush=True)
        before = len(state.get("ingest_log", []))
        ingest_parts(parts, db, state, args.jobs)
        state_file.write_text(json.dumps(state))
        log = state["ingest_log"][before:] or state["ingest_log"][-1:]
        secs = sum(x["seconds"] for x in log)
        jobs = args.jobs or os.cpu_count() or 1
        result: dict[str, Any] = {
            "cores": os.cpu_count(),
            "ingest": {
                "jobs": jobs,
                "sentences_per_s": sum(x["sentences"] for x in log) / secs,
                "cpu_per_wall": sum(x["cpu_per_wall"] * x["seconds"] for x in log) / secs,
                "ratio": sum(x["chars"] for x in log)
                / secs
                / statistics.median(x["jieba_chars_per_s"] for x in log),
            },
        }
        result.update(_measure(db, args))
        results.append(result)
        state.setdefault("results", {})[key] = result
        state_file.write_text(json.dumps(state))
    print(f"\n{os.cpu_count()} cores\n")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
