"""Training, applying, evaluating and correcting the trained models on a corpus.

``train`` starts from the shipped training data (the same gold the default models are built
from) and adds the researcher's own labels (``label``) and an optional gold file; the result is
a versioned bundle recorded (active) in the corpus, which ``ingest``, ``classify`` and
``reanalyse`` then use. ``evaluate`` cross-validates that recipe on a gold file beside the
shipped default and ``lexicon.v1``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from junheng.api.documents import pipeline_for, reanalyse
from junheng.corpus.store import COUNTED, Corpus
from junheng.corpus.vectors import text_hash
from junheng.crawler.files import text_document
from junheng.errors import ConfigError, InputError
from junheng.models import golddata
from junheng.models.bundle import (
    ModelBundle,
    optional_embed,
    read_info,
    save_bundle,
    train_bundle,
)
from junheng.models.evaluate import Scores, score
from junheng.models.strategy import StrategyExample
from junheng.pipeline import Pipeline
from junheng.settings import Settings, load_settings


@dataclass(frozen=True, slots=True)
class TrainReport:
    record: dict[str, Any]  # the saved bundle's record (name, version, path …)
    examples: int
    by_source: dict[str, int]


def examples_from_texts(
    pipeline: Pipeline, rows: Sequence[dict[str, Any]], *, source: str
) -> list[StrategyExample]:
    """The strategy examples of ``labelled_rows``."""
    return [e for e, _ in labelled_rows(pipeline, rows, source=source)]


def labelled_rows(
    pipeline: Pipeline, rows: Sequence[dict[str, Any]], *, source: str
) -> list[tuple[StrategyExample, golddata.TrainingDoc | None]]:
    """Labelled sentences as training examples: each text is analysed on its own by
    ``pipeline`` (measures need only their sentence) for its words, measures and the rules'
    evidence. Rows: text, strategies, instrument, doc, and optionally measures (the gold
    measure strings, used instead of the ones the rules find)."""
    docs = [text_document(f"{r.get('doc', '')}#{k}", r["text"]) for k, r in enumerate(rows)]
    forms = pipeline.lexicon.forms()
    out = []
    for k, (r, ann) in enumerate(zip(rows, pipeline.annotate_records(docs), strict=True)):
        inputs = [i for i in ann.inputs if not i.boilerplate] or ann.inputs[:1]
        if r.get("measures") is not None:
            names = tuple(dict.fromkeys(pipeline.normalizer.text(m) for m in r["measures"]))
        else:
            names = tuple(dict.fromkeys(m.canonical for i in inputs for m in i.measures))
        evidence: dict[str, float] = {}
        for i in inputs:
            for e in i.evidence:
                evidence[e.id] = max(evidence.get(e.id, 0.0), e.score)
        example = StrategyExample(
            r["text"],
            names,
            frozenset(c for n in names if (e := forms.get(n)) is not None and (c := e.category)),
            evidence,
            frozenset(r.get("strategies") or ()),
            r.get("instrument"),
            next((i.rule_instrument for i in inputs if i.rule_instrument), None),
            str(r.get("doc", "")),
            source,
            tuple(t for i in inputs for t in i.tokens),
        )
        doc = None
        if r.get("measures") is not None:  # the measures teach the tagger too
            spans = [
                ann.to_clean(a, a + len(m))
                for m in r["measures"]
                for a in golddata.occurrences(r["text"], m)
            ]
            doc = golddata.TrainingDoc(f"{r.get('doc', '')}#{k}", ann.view, spans, [])
        out.append((example, doc))
    return out


def read_gold(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Sentence-level gold (JSON lines with text, strategies, instrument, doc, boilerplate);
    boilerplate sentences are left out."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read gold file {path}: {exc.strerror}") from None
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{n}: invalid JSON ({exc.msg})") from None
        if not isinstance(row, dict) or "text" not in row:
            raise InputError(f"{path}:{n}: each line needs a 'text' field")
        if not row.get("boilerplate"):
            rows.append(row)
    return rows


def _shipped_docs(rules: Pipeline, *, exclude: Iterable[str] = ()) -> list[golddata.TrainingDoc]:
    """The shipped training documents, without those named in ``exclude`` (item ids or seed
    file names: a gold file that repeats them must not be scored by a model trained on them)."""
    skip = set(exclude)
    reports = [
        it
        for it in golddata.read_jsonl(golddata.training_file(golddata.REPORTS))
        if it["id"] not in skip
    ]
    seeds = [
        r
        for r in golddata.read_jsonl(golddata.training_file(golddata.SEEDS))
        if r["doc"] not in skip
    ]
    return golddata.report_docs(rules, reports) + golddata.seed_docs(rules, seeds)


def _fit(
    rules: Pipeline,
    settings: Settings,
    docs: Sequence[golddata.TrainingDoc],
    extra: Sequence[StrategyExample],
    *,
    embeddings: bool = True,
) -> ModelBundle:
    return train_bundle(
        docs,
        taxonomy=rules.taxonomy,
        lexicon=rules.lexicon,
        tokenize=rules.segmenter.cut,
        embed=optional_embed(settings) if embeddings else None,
        extra=extra,
    )


def _user_rows(corpus: Corpus) -> list[dict[str, Any]]:
    return [
        {
            "text": r["text"],
            "strategies": json.loads(r["strategies"] or "[]"),
            "instrument": r["instrument"],
            "doc": "user",
        }
        for r in corpus.query("select * from labels")
    ]


def train(
    *, db: str | None = None, gold: str | None = None, settings: Settings | None = None
) -> TrainReport:
    """Train the models on the shipped gold plus this corpus's labels (``junheng label``) and
    an optional sentence-level gold file; save the bundle and make it the corpus's model."""
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        rules = pipeline_for(corpus, settings, models=False)
        labelled = labelled_rows(rules, _user_rows(corpus), source="user")
        if gold:
            labelled += labelled_rows(rules, read_gold(gold), source="file")
        extra = [e for e, _ in labelled]
        docs = _shipped_docs(rules) + [d for _, d in labelled if d is not None]
        bundle = _fit(rules, settings, docs, extra)
        digest = hashlib.sha256(
            json.dumps([(e.text, sorted(e.labels), e.instrument) for e in extra]).encode()
        ).hexdigest()
        folder = settings.cache_path / "classifiers" / f"{golddata.data_hash()[:8]}-{digest[:8]}"
        record = save_bundle(
            bundle,
            folder,
            {
                "embedder": getattr(bundle.strategy.embed, "version", None),
                "training_data_sha256": golddata.data_hash(),
                "corpus_labels": sum(1 for e in extra if e.source == "user"),
                "gold": gold,
                "gold_sentences": sum(1 for e in extra if e.source == "file"),
            },
        )
        with corpus.transaction():
            corpus.db.execute("update models set active = 0 where kind = 'classifier'")
            corpus.db["models"].insert(
                {
                    "kind": "classifier",
                    "name": record["name"],
                    "version": record["version"],
                    "path": str(folder),
                    "sha256": record["sha256"],
                    "created_at": record["built_at"],
                    "summary": json.dumps(record, ensure_ascii=False),
                    "scores": None,
                    "active": 1,
                }
            )
    summary = bundle.strategy.summary
    return TrainReport(record, summary["examples"], summary["by_source"])


def active_model(corpus: Corpus) -> dict[str, Any] | None:
    """The corpus's active trained bundle record (``junheng train``), if any."""
    rows = corpus.query(
        "select * from models where kind = 'classifier' and active = 1 order by id desc limit 1"
    )
    if not rows or read_info(Path(rows[0]["path"])) is None:
        return None
    return rows[0]


def _strategy_sets(corpus: Corpus, threshold: float) -> dict[tuple[int, int], set[str]]:
    """Per counted sentence (document, index) its strategies at the threshold."""
    out: dict[tuple[int, int], set[str]] = {}
    for r in corpus.query(
        f"select s.document_id, s.idx, ss.strategy, ss.score from sentences s"
        f" join documents d on d.id = s.document_id"
        f" left join sentence_strategies ss on ss.sentence_id = s.id where {COUNTED}"
    ):
        got = out.setdefault((r["document_id"], r["idx"]), set())
        if r["strategy"] is not None and r["score"] >= threshold:
            got.add(r["strategy"])
    return out


def classify(
    *,
    db: str | None = None,
    settings: Settings | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[str, int, int]:
    """Re-analyse the stored corpus with its trained models (measures and labels); returns
    (the labelling method, sentences, sentences whose strategies at the threshold changed)."""
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        if active_model(corpus) is None:
            raise ConfigError("no trained classifier in this corpus; run `junheng train` first")
        pipeline = pipeline_for(corpus, settings)
        before = _strategy_sets(corpus, settings.strategy_threshold)
    done = 0

    def step(_location: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done)

    report = reanalyse(db=db, settings=settings, pipeline=pipeline, progress=step)
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        after = _strategy_sets(corpus, settings.strategy_threshold)
    changed = sum(1 for key, got in after.items() if before.get(key, set()) != got)
    return pipeline.labeller.name, report.sentences, changed


@dataclass(frozen=True, slots=True)
class Evaluation:
    model: Scores  # the training recipe, cross-validated by document
    baseline: Scores  # lexicon.v1 on the same sentences
    instrument_accuracy: float
    baseline_instrument_accuracy: float
    folds: int
    sentences: int
    default: Scores | None = None  # the shipped default model as built, when there is one
    default_instrument_accuracy: float | None = None
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out = {
            "model": self.model.as_dict(),
            "lexicon.v1": self.baseline.as_dict(),
            "instrument_accuracy": self.instrument_accuracy,
            "lexicon_instrument_accuracy": self.baseline_instrument_accuracy,
            "folds": self.folds,
            "sentences": self.sentences,
            "notes": list(self.notes),
        }
        if self.default is not None:
            out["default"] = self.default.as_dict()
            out["default_instrument_accuracy"] = self.default_instrument_accuracy
        return out


def _labels(
    pipeline: Pipeline, rows: Sequence[dict[str, Any]], threshold: float
) -> list[tuple[set[str], str | None]]:
    """What ``pipeline`` says about each gold sentence analysed on its own: the strategies of
    its sentences and the instrument of the first labelled one."""
    docs = [text_document(f"{r.get('doc', '')}#{k}", r["text"]) for k, r in enumerate(rows)]
    out = []
    for analysed in pipeline.analyse_many(docs):
        found = {s.id for s in analysed.strategies if s.score >= threshold}
        inst = next((s.instrument for s in analysed.sentences if s.instrument), None)
        out.append((found, inst))
    return out


def _accuracy(rows: Sequence[dict[str, Any]], predicted: Sequence[str | None]) -> float:
    coded = [
        (r["instrument"], p) for r, p in zip(rows, predicted, strict=True) if r.get("instrument")
    ]
    return round(sum(g == p for g, p in coded) / len(coded), 4) if coded else 0.0


def evaluate(
    gold: str,
    *,
    settings: Settings | None = None,
    embeddings: bool = True,
    pipeline: Pipeline | None = None,
) -> Evaluation:
    """Cross-validate the training recipe on a sentence-level gold file (one fold per document:
    models trained on the shipped gold, minus any document the file repeats, plus the file's
    other documents), beside ``lexicon.v1`` and the shipped default model."""
    settings = settings or load_settings()
    rows = read_gold(gold)
    groups = sorted({str(r.get("doc", "")) for r in rows})
    base = pipeline or Pipeline(settings)
    rules = Pipeline(settings, lexicon=base.lexicon, taxonomy=base.taxonomy, models=False)
    shipped = _shipped_docs(rules, exclude=groups)
    threshold = settings.strategy_threshold
    labelled = labelled_rows(rules, rows, source="file")
    examples = [e for e, _ in labelled]
    predicted: dict[int, tuple[set[str], str | None]] = {}
    for g in groups:
        test = [k for k, r in enumerate(rows) if str(r.get("doc", "")) == g]
        extra = [e for e in examples if e.group != g]
        docs = shipped + [d for e, d in labelled if d is not None and e.group != g]
        bundle = _fit(rules, settings, docs, extra, embeddings=embeddings)
        model = Pipeline(settings, lexicon=rules.lexicon, taxonomy=rules.taxonomy, models=bundle)
        labels = _labels(model, [rows[k] for k in test], threshold)
        # the instrument of each coded gold sentence, whether or not its strategies were found
        instruments = bundle.instrument.predict([examples[k] for k in test])
        for k, (lab, _), inst in zip(test, labels, instruments, strict=True):
            predicted[k] = (lab, inst)
    order = range(len(rows))
    categories = rules.taxonomy.strategy_ids
    truth = [set(rows[k].get("strategies") or ()) for k in order]
    lexicon = _labels(rules, rows, threshold)
    default = None
    default_acc = None
    notes = []
    shipped_model = Pipeline(settings, lexicon=rules.lexicon, taxonomy=rules.taxonomy)
    if shipped_model.models is not None:
        labels = _labels(shipped_model, rows, threshold)
        default = score(truth, [lab for lab, _ in labels], categories)
        default_acc = _accuracy(rows, shipped_model.models.instrument.predict(examples))
        if set(groups) & _shipped_names():
            notes.append("the shipped default was trained on documents of this file")
    return Evaluation(
        score(truth, [predicted[k][0] for k in order], categories),
        score(truth, [lab for lab, _ in lexicon], categories),
        _accuracy(rows, [predicted[k][1] for k in order]),
        _accuracy(rows, [e.rule_instrument for e in examples]),
        len(groups),
        len(rows),
        default,
        default_acc,
        tuple(notes),
    )


def _shipped_names() -> set[str]:
    reports = golddata.read_jsonl(golddata.training_file(golddata.REPORTS))
    seeds = golddata.read_jsonl(golddata.training_file(golddata.SEEDS))
    return {it["id"] for it in reports} | {r["doc"] for r in seeds}


def uncertain(
    *, db: str | None = None, limit: int = 20, settings: Settings | None = None
) -> list[dict[str, Any]]:
    """The counted sentences with measures whose best strategy score is nearest 0.5, not yet
    labelled by the researcher."""
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        labelled = {r["content_hash"] for r in corpus.query("select content_hash from labels")}
        rows = corpus.query(
            f"select s.id, s.text, ss.strategy, ss.score from sentences s"
            f" join documents d on d.id = s.document_id"
            f" join sentence_strategies ss on ss.sentence_id = s.id"
            f" where {COUNTED} and exists (select 1 from measures m where m.sentence_id = s.id)"
        )
    by_sentence: dict[int, dict[str, Any]] = {}
    for r in rows:
        item = by_sentence.setdefault(r["id"], {"text": r["text"], "probabilities": {}})
        item["probabilities"][r["strategy"]] = round(float(r["score"]), 3)
    items = [v for v in by_sentence.values() if text_hash(v["text"]) not in labelled]
    items.sort(key=lambda v: abs(max(v["probabilities"].values()) - 0.5))
    return items[:limit]


def save_label(
    text: str,
    strategies: Iterable[str],
    instrument: str | None,
    *,
    db: str | None = None,
    settings: Settings | None = None,
) -> None:
    """Store a researcher's label for a sentence (used by the next `junheng train`)."""
    settings = settings or load_settings()
    strategies = list(strategies)
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        Pipeline(settings, models=False).taxonomy.check_strategies(strategies)
        with corpus.transaction():
            corpus.db["labels"].upsert(
                {
                    "content_hash": text_hash(text),
                    "text": text,
                    "strategies": json.dumps(strategies),
                    "instrument": instrument,
                    "source": "user",
                    "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
                pk="content_hash",
            )
