"""The training data shipped with junheng (``data/training``) and its conversion into what the
models learn from.

* ``reports_gold.jsonl``: excerpts of real reports from all 31 provinces with their
  region–measure–strategy facts. A fact's measure string marks a measure span wherever it
  occurs; the sentence holding it carries the fact's strategy.
* ``seeds_gold.jsonl``: every sentence of the five sample documents with its strategies,
  measures and instrument.

Items whose id number is divisible by 5 form the test split (``is_test``), which evaluation
keeps apart.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng.models.strategy import StrategyExample
from junheng.models.tagger import TokenView

if TYPE_CHECKING:
    from junheng.models.taxonomy import Taxonomy
    from junheng.nlp.lexicon import Lexicon, LexiconEntry
    from junheng.pipeline import Pipeline

REPORTS = "reports_gold.jsonl"
SEEDS = "seeds_gold.jsonl"
TRAINING_FILES = (REPORTS, SEEDS)


def training_file(name: str) -> Path:
    """Path of a shipped training file."""
    return Path(str(resources.files("junheng").joinpath(f"data/training/{name}")))


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def data_hash(files: Iterable[Path] | None = None) -> str:
    """SHA-256 over the training files (names and contents): what a model was trained on."""
    digest = hashlib.sha256()
    for path in files or (training_file(n) for n in TRAINING_FILES):
        digest.update(Path(path).name.encode())
        digest.update(file_hash(path).encode())
    return digest.hexdigest()


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def is_test(item_id: str) -> bool:
    """The test split of ``reports_gold.jsonl``: items whose id number is divisible by 5."""
    digits = re.sub(r"\D", "", item_id)
    return bool(digits) and int(digits) % 5 == 0


@dataclass(slots=True)
class TrainingDoc:
    """One annotated training document.

    Attributes:
        id: Item id (reports) or file name (seeds).
        view: The tagger's token arrays.
        spans: Gold measure spans in the analysed text.
        examples: Its article sentences for the strategy and instrument models.
        facts: ``(name, sentence, strategy)`` for the measure categoriser.
    """

    id: str
    view: TokenView
    spans: list[tuple[int, int]]
    examples: list[StrategyExample]
    facts: list[tuple[str, str, str]] = field(default_factory=list)


def occurrences(text: str, needle: str) -> list[int]:
    out, pos = [], text.find(needle)
    while needle and pos >= 0:
        out.append(pos)
        pos = text.find(needle, pos + 1)
    return out


def _categories(names: Iterable[str], forms: Mapping[str, LexiconEntry]) -> frozenset[str]:
    """Lexicon categories of the names that are lexicon forms."""
    return frozenset(
        c for n in names if (e := forms.get(n)) is not None and (c := e.category) is not None
    )


def _annotated(pipeline: Pipeline, docs: Sequence[Any]) -> list[Any]:
    return list(pipeline.annotate_records(docs))


def report_docs(pipeline: Pipeline, items: Sequence[dict[str, Any]]) -> list[TrainingDoc]:
    """Training documents from ``reports_gold.jsonl`` items (the pipeline must run without
    trained models: the rules' view is what the models learn to correct)."""
    from junheng.crawler.files import text_document

    docs = [text_document(it.get("url") or it["id"], it["text"], url=it.get("url")) for it in items]
    forms = pipeline.lexicon.forms()
    out = []
    for item, ann in zip(items, _annotated(pipeline, docs), strict=True):
        text = item["text"]
        strategy_of: dict[str, set[str]] = {}
        for f in item["facts"]:
            strategy_of.setdefault(f["measure"], set()).add(f["strategy"])
        occ = [(a, a + len(m), m) for m in strategy_of for a in occurrences(text, m)]
        spans = [ann.to_clean(a, b) for a, b, _ in occ]
        examples, facts = [], []
        for s, inp in zip(ann.record.sentences, ann.inputs, strict=True):
            if s.boilerplate:
                continue
            inside = [m for a, b, m in occ if s.start <= a and b <= s.end]
            names = tuple(dict.fromkeys(pipeline.normalizer.text(m) for m in inside))
            labels = frozenset(x for m in inside for x in strategy_of[m])
            examples.append(
                StrategyExample(
                    inp.text,
                    names,
                    _categories(names, forms),
                    {e.id: e.score for e in inp.evidence},
                    labels,
                    None,
                    inp.rule_instrument,
                    item["id"],
                    "gold",
                    inp.tokens,
                )
            )
            for m in dict.fromkeys(inside):
                for strategy in sorted(strategy_of[m]):
                    facts.append((pipeline.normalizer.text(m), inp.text, strategy))
        out.append(TrainingDoc(item["id"], ann.view, spans, examples, facts))
    return out


def seed_docs(pipeline: Pipeline, rows: Sequence[dict[str, Any]]) -> list[TrainingDoc]:
    """Training documents from the sentence gold of the sample documents."""
    from junheng.api import sample_paths
    from junheng.crawler.files import text_document

    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_doc.setdefault(r["doc"], []).append(r)
    paths = {p.name: p for p in sample_paths()}
    names = [n for n in by_doc if n in paths]
    docs = [text_document(n, paths[n].read_text(encoding="utf-8")) for n in names]
    forms = pipeline.lexicon.forms()
    out = []
    for name, ann in zip(names, _annotated(pipeline, docs), strict=True):
        gold = by_doc[name]
        spans = []
        for g in gold:
            for m in g.get("measures") or ():
                for a in occurrences(g["text"], m):
                    spans.append(ann.to_clean(g["start"] + a, g["start"] + a + len(m)))
        examples, facts = [], []
        for s, inp in zip(ann.record.sentences, ann.inputs, strict=True):
            if s.boilerplate:
                continue
            inside = [g for g in gold if s.start <= g["start"] < s.end and not g["boilerplate"]]
            measures = [m for g in inside for m in g.get("measures") or ()]
            names_ = tuple(dict.fromkeys(pipeline.normalizer.text(m) for m in measures))
            labels = frozenset(x for g in inside for x in g.get("strategies") or ())
            instrument = next((g["instrument"] for g in inside if g.get("instrument")), None)
            examples.append(
                StrategyExample(
                    inp.text,
                    names_,
                    _categories(names_, forms),
                    {e.id: e.score for e in inp.evidence},
                    labels,
                    instrument,
                    inp.rule_instrument,
                    name,
                    "seeds",
                    inp.tokens,
                )
            )
            for m in names_:
                entry = forms.get(m)
                category = entry.category if entry is not None else None
                first = next((g["strategies"][0] for g in inside if g.get("strategies")), None)
                if category or first:
                    facts.append((m, inp.text, category or first))
        out.append(TrainingDoc(name, ann.view, spans, examples, facts))
    return out


def taxonomy_examples(
    taxonomy: Taxonomy, lexicon: Lexicon, tokenize: Callable[[str], list[str]]
) -> list[StrategyExample]:
    """Pseudo-sentences from the label contract: each lexicon term with its gloss (the term is
    its measure), each strategy's definition and sub-category names."""
    out = []
    for e in lexicon:
        if e.category in taxonomy.strategies:
            text = f"{e.term}：{e.gloss}" if e.gloss else e.term
            cats = frozenset({e.category})
            out.append(
                StrategyExample(
                    text, (e.term,), cats, {}, cats, source="taxonomy", tokens=tuple(tokenize(text))
                )
            )
    for sid, s in taxonomy.strategies.items():
        for text in (s.definition_zh, *(name for _, name in s.subcategories)):
            out.append(
                StrategyExample(
                    text, (), frozenset(), {}, frozenset({sid}), source="taxonomy",
                    tokens=tuple(tokenize(text)),
                )
            )  # fmt: skip
    return out


def lexicon_facts(lexicon: Lexicon) -> list[tuple[str, str, str]]:
    """``(name, context, category)`` for every lexicon form with a category."""
    return [(form, "", entry.category) for form, entry in lexicon.forms().items() if entry.category]
