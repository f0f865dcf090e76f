"""Cross-validated strategy and instrument classification on the seed gold (one fold per
document; each fold's models are trained on the shipped reports gold and the other seed
documents), beside the shipped default (trained on all of them) and lexicon.v1.

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
    d = ev.default

    def f1(scores, cat=None):
        if scores is None:
            return "–"
        return f"{(scores.per_category[cat] if cat else scores.micro)['f1']:.3f}"

    print("| strategy | P | R | F1 | default F1 (trained on them) | lexicon.v1 F1 | support |")
    print("|---|---|---|---|---|---|---|")
    for cat, m in ev.model.per_category.items():
        print(
            f"| {cat} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
            f"{f1(d, cat)} | {f1(ev.baseline, cat)} | {m['support']} |"
        )
    mi = ev.model.micro
    print(
        f"| **micro** | {mi['precision']:.3f} | {mi['recall']:.3f} | **{mi['f1']:.3f}** | "
        f"{f1(d)} | {f1(ev.baseline)} | |"
    )
    print(
        f"| **macro F1** | | | **{ev.model.macro_f1:.3f}** | "
        f"{f'{d.macro_f1:.3f}' if d else '–'} | {ev.baseline.macro_f1:.3f} | |"
    )
    print(
        f"\n{ev.folds} folds, {ev.sentences} sentences. Instrument accuracy "
        f"{ev.instrument_accuracy:.3f} (default {ev.default_instrument_accuracy}, lexicon.v1 rule "
        f"{ev.baseline_instrument_accuracy:.3f})."
    )
    if args.json:
        args.json.write_text(json.dumps(ev.as_dict(), ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
