"""Score the pipeline against the sentence-level gold of the seed documents.

    python benchmarks/quality.py [--gold ../shared/dev/seeds_gold.jsonl] [--json OUT]

Reports boilerplate precision/recall/F1, region accuracy on gold-attributed sentences,
measure precision/recall (a predicted term matches a gold one when either contains the other),
and strategy micro/macro F1 with per-category precision, recall, F1 and support.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "dev" / "seeds_gold.jsonl"
SAMPLE = ROOT / "junheng" / "data" / "sample"


def load_gold(path: Path) -> dict[str, list[dict[str, Any]]]:
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            by_doc[row["doc"]].append(row)
    return dict(by_doc)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _match_terms(pred: list[str], gold: list[str]) -> list[int | None]:
    """One-to-one matches where either string contains the other: for each predicted term, the
    index of the gold term it matches (or ``None``)."""
    used = [False] * len(gold)
    out: list[int | None] = []
    for p in pred:
        hit = None
        for j, g in enumerate(gold):
            if not used[j] and (p in g or g in p):
                used[j] = True
                hit = j
                break
        out.append(hit)
    return out


def _region_equal(pred: Any, gold: dict[str, str]) -> bool:
    if pred is None:
        return False
    if gold["county"]:
        return pred.county == gold["county"] and pred.province == gold["province"]
    return not pred.county and pred.city == gold["city"] and pred.province == gold["province"]


def score(
    pipeline: Any,
    gold: dict[str, list[dict[str, Any]]],
    *,
    sample_dir: Path = SAMPLE,
    threshold: float = 0.5,
) -> dict[str, Any]:
    """All figures as a dict (see the module docstring)."""
    from junheng.crawler.files import text_document

    bp = Counter()
    region_hits = region_total = 0
    meas = Counter()
    beyond = 0
    per_cat: dict[str, Counter[str]] = defaultdict(Counter)
    details: list[dict[str, Any]] = []
    docs = []
    for name in sorted(gold):
        text = (sample_dir / name).read_text(encoding="utf-8")
        docs.append(text_document(name, text))
    analysed = {a.source.location: a for a in pipeline.analyse_many(docs)}
    for name in sorted(gold):
        rows = gold[name]
        result = analysed[name]
        by_offsets = {(s.start, s.end): s for s in result.sentences}
        for row in rows:
            sent = by_offsets.get((row["start"], row["end"]))
            if sent is None:
                details.append({"doc": name, "idx": row["idx"], "error": "sentence not found"})
                continue
            # boilerplate
            key = ("t" if sent.boilerplate else "f") + ("t" if row["boilerplate"] else "f")
            bp[key] += 1
            if row["boilerplate"]:
                continue
            # regions
            if row["region"] is not None:
                region_total += 1
                if _region_equal(sent.region, row["region"]):
                    region_hits += 1
            # measures (gold lists them only on sentences with strategies)
            pred_terms = [m.term.strip('“”"') for m in sent.measures]
            matched = _match_terms(pred_terms, row["measures"])
            hits = sum(1 for j in matched if j is not None)
            meas["tp"] += hits
            meas["fp"] += len(pred_terms) - hits
            meas["fn"] += len(row["measures"]) - hits
            # gold measures that only the beyond-lexicon rules found
            beyond += sum(
                1
                for m, j in zip(sent.measures, matched, strict=True)
                if j is not None and m.method != "lexicon"
            )
            # strategies
            pred = {s.id for s in sent.strategies if s.score >= threshold}
            gold_s = set(row["strategies"])
            for cat in pred | gold_s:
                per_cat[cat][
                    "tp" if cat in pred and cat in gold_s else "fp" if cat in pred else "fn"
                ] += 1
            for cat in gold_s:
                per_cat[cat]["support"] += 1
    boiler = _prf(bp["tt"], bp["tf"], bp["ft"])
    micro = _prf(
        sum(c["tp"] for c in per_cat.values()),
        sum(c["fp"] for c in per_cat.values()),
        sum(c["fn"] for c in per_cat.values()),
    )
    cats = {
        cat: {**_prf(c["tp"], c["fp"], c["fn"]), "support": c["support"]}
        for cat, c in sorted(per_cat.items())
    }
    supported = [v["f1"] for v in cats.values() if v["support"]]
    return {
        "boilerplate": boiler,
        "region_accuracy": round(region_hits / region_total, 4) if region_total else 0.0,
        "region_total": region_total,
        "measures": {
            **_prf(meas["tp"], meas["fp"], meas["fn"]),
            "tp": meas["tp"],
            "fp": meas["fp"],
            "fn": meas["fn"],
            "beyond_lexicon_hits": beyond,
        },
        "strategies": {
            "micro": micro,
            "macro_f1": round(sum(supported) / len(supported), 4) if supported else 0.0,
            "per_category": cats,
        },
        "errors": details,
    }


def render(result: dict[str, Any]) -> str:
    b, m, s = result["boilerplate"], result["measures"], result["strategies"]
    lines = [
        "| metric | value |",
        "|---|---|",
        f"| boilerplate precision / recall / F1 | {b['precision']:.3f} / {b['recall']:.3f} / "
        f"{b['f1']:.3f} |",
        f"| region accuracy (gold-attributed sentences, n={result['region_total']}) | "
        f"{result['region_accuracy']:.3f} |",
        f"| measure precision / recall / F1 | {m['precision']:.3f} / {m['recall']:.3f} / "
        f"{m['f1']:.3f} |",
        f"| gold measures found only beyond the lexicon (quoted names, verb–object) | "
        f"{m['beyond_lexicon_hits']} |",
        f"| strategy micro P / R / F1 | {s['micro']['precision']:.3f} / "
        f"{s['micro']['recall']:.3f} / {s['micro']['f1']:.3f} |",
        f"| strategy macro F1 | {s['macro_f1']:.3f} |",
        "",
        "| strategy | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for cat, v in s["per_category"].items():
        lines.append(
            f"| {cat} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"gold file not found: {args.gold}", file=sys.stderr)
        return 2
    from junheng.pipeline import Pipeline

    result = score(Pipeline(), load_gold(args.gold))
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
