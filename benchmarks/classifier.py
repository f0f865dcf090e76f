"""Cross-validated strategy and instrument classification on the seed gold (folds grouped by
document), beside lexicon.v1 on the same folds.

    python benchmarks/classifier.py [--gold ../shared/dev/seeds_gold.jsonl] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "dev" / "seeds_gold.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    from junheng.api.classifier import evaluate

    ev = evaluate(str(args.gold), embeddings=not args.no_embeddings)
    print("| strategy | P | R | F1 | lexicon.v1 F1 | support |")
    print("|---|---|---|---|---|---|")
    for cat, m in ev.model.per_category.items():
        b = ev.baseline.per_category[cat]
        print(
            f"| {cat} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
            f"{b['f1']:.3f} | {m['support']} |"
        )
    mi, bm = ev.model.micro, ev.baseline.micro
    print(
        f"| **micro** | {mi['precision']:.3f} | {mi['recall']:.3f} | **{mi['f1']:.3f}** | "
        f"{bm['f1']:.3f} | |"
    )
    print(f"| **macro F1** | | | **{ev.model.macro_f1:.3f}** | {ev.baseline.macro_f1:.3f} | |")
    print(
        f"\n{ev.folds} folds, {ev.sentences} sentences. Instrument accuracy "
        f"{ev.instrument_accuracy:.3f} (lexicon.v1 rule {ev.baseline_instrument_accuracy:.3f})."
    )
    if args.json:
        args.json.write_text(json.dumps(ev.as_dict(), ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
