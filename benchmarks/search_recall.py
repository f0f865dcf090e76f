"""Recall of keyword search on the seed documents' gold measures.

    python benchmarks/search_recall.py [--gold ../shared/dev/seeds_gold.jsonl] [--json OUT]

The five seed reports are ingested into a temporary corpus; every gold measure is searched for
as a query (``junheng search``, text mode) and each gold sentence naming it is an answer that
must come back. Recall = answers found / answers.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "dev" / "seeds_gold.jsonl"
SAMPLE = ROOT / "junheng" / "data" / "sample"


def load_answers(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Gold measure → the gold sentences that name it (document name and span)."""
    answers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["boilerplate"]:
                continue
            for m in dict.fromkeys(row["measures"]):
                answers[m].append(
                    {"doc": row["doc"], "start": row["start"], "end": row["end"], "idx": row["idx"]}
                )
    return dict(answers)


def score(pipeline: Any, settings: Any, gold: Path, sample_dir: Path = SAMPLE) -> dict[str, Any]:
    from junheng import api

    answers = load_answers(gold)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "seeds.db")
        names = sorted({a["doc"] for rows in answers.values() for a in rows})
        api.ingest([sample_dir / n for n in names], db=db, settings=settings, pipeline=pipeline)
        found = total = 0
        misses = []
        for measure, rows in sorted(answers.items()):
            result = api.search(measure, db=db, limit=10_000, settings=settings, pipeline=pipeline)
            spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
            ids = [h.sentence_id for h in result.hits]
            for h in _spans(db, ids):
                spans[h[0]].append((h[1], h[2]))
            for a in rows:
                total += 1
                if any(s < a["end"] and a["start"] < e for s, e in spans[a["doc"]]):
                    found += 1
                else:
                    misses.append({"measure": measure, "doc": a["doc"], "idx": a["idx"]})
    return {
        "queries": len(answers),
        "answers": total,
        "found": found,
        "recall": round(found / total, 4) if total else 0.0,
        "misses": misses,
    }


def _spans(db: str, ids: list[int]) -> list[tuple[str, int, int]]:
    """(document file name, start, end) of stored sentences."""
    from junheng.corpus.store import Corpus

    if not ids:
        return []
    out = []
    with Corpus.open(db, readonly=True) as corpus:
        for k in range(0, len(ids), 500):
            part = ids[k : k + 500]
            marks = ",".join("?" for _ in part)
            for r in corpus.query(
                "select d.location, s.char_start, s.char_end from sentences s"
                f" join documents d on d.id = s.document_id where s.id in ({marks})",
                tuple(part),
            ):
                out.append((Path(r["location"]).name, r["char_start"], r["char_end"]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not args.gold.exists():
        print(f"no gold file at {args.gold}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from junheng.pipeline import Pipeline
    from junheng.settings import load_settings

    settings = load_settings()
    result = score(Pipeline(settings), settings, args.gold)
    print(
        f"search recall on gold measures: {result['recall']:.3f} "
        f"({result['found']}/{result['answers']} sentences, {result['queries']} queries)"
    )
    for m in result["misses"][:30]:
        print(f"  missed {m['measure']} in {m['doc']} sentence {m['idx']}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
