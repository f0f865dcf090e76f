"""Training, applying, evaluating and correcting the strategy/instrument classifiers."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from junheng.api.documents import pipeline_for
from junheng.corpus.store import COUNTED, Corpus
from junheng.corpus.vectors import text_hash
from junheng.crawler.files import text_document
from junheng.errors import ConfigError, InputError
from junheng.models import train as train_mod
from junheng.models.classify import document_strategies
from junheng.models.evaluate import Evaluation, cross_validate
from junheng.models.features import CueProfiles
from junheng.models.train import Example
from junheng.pipeline import Pipeline
from junheng.records import MeasureMention, StrategyScore
from junheng.settings import Settings, load_settings


@dataclass(frozen=True, slots=True)
class TrainReport:
    artefact: train_mod.Artefact
    embeddings: str | None  # embedder version used, or None


def _embed_fn(
    settings: Settings, corpus: Corpus | None, pipeline: Pipeline
) -> tuple[Callable[[list[str]], Any] | None, str | None]:
    """The embedder's encode function, or ``None`` when no model is available (then the
    classifier uses lexical features only)."""
    from junheng.api.embeddings import corpus_embedder
    from junheng.models.embed import get_embedder

    try:
        if corpus is not None:
            embedder = corpus_embedder(corpus, settings, pipeline)
        else:
            embedder = get_embedder(settings.embedder, cache_dir=settings.cache_path)
    except ConfigError:
        return None, None
    return (lambda texts: embedder.encode(texts, kind="passage")), embedder.version


def _models(
    pipeline: Pipeline, embed: Callable[[list[str]], Any] | None, settings: Settings
) -> tuple[train_mod.StrategyModel, train_mod.InstrumentModel]:
    profiles = CueProfiles(pipeline.taxonomy, pipeline.lexicon, pipeline.segmenter.cut)
    return (
        train_mod.StrategyModel(
            pipeline.taxonomy,
            profiles,
            pipeline.segmenter.cut,
            embed,
            threshold=settings.strategy_threshold,
        ),
        train_mod.InstrumentModel(pipeline.taxonomy, pipeline.segmenter.cut),
    )


def examples_from_texts(
    pipeline: Pipeline, rows: Sequence[dict[str, Any]], *, source: str
) -> list[Example]:
    """Analyse each labelled sentence on its own (measures need only their sentence) and pair
    its lexicon evidence with the given labels. Rows: text, strategies, instrument, doc."""
    docs = [text_document(f"{r.get('doc', '')}#{k}", r["text"]) for k, r in enumerate(rows)]
    out = []
    for r, analysed in zip(rows, pipeline.analyse_many(docs), strict=True):
        measures = tuple(m for s in analysed.sentences for m in s.measures)
        lexicon, guess = _lexicon(pipeline, r["text"], measures)
        out.append(
            Example(
                r["text"],
                frozenset(r.get("strategies") or ()),
                r.get("instrument"),
                lexicon,
                guess,
                source,
                str(r.get("doc", "")),
            )
        )
    return out


def _lexicon(
    pipeline: Pipeline, text: str, measures: Sequence[MeasureMention]
) -> tuple[dict[str, float], str | None]:
    strategies, instrument = pipeline.classifier.classify(text, tuple(measures))
    return {s.id: s.score for s in strategies}, instrument


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


def _corpus_examples(corpus: Corpus, pipeline: Pipeline) -> list[Example]:
    """Weak labels (lexicon.v1 over the stored measures) for every counted sentence, and the
    researcher's own labels where they exist."""
    rows = corpus.query(
        f"select s.id, s.text, s.document_id from sentences s join documents d"
        f" on d.id = s.document_id where {COUNTED} order by s.id"
    )
    measures: dict[int, list[MeasureMention]] = {}
    for m in corpus.query(
        "select sentence_id, term, canonical, category, char_start, char_end, method from measures"
    ):
        measures.setdefault(m["sentence_id"], []).append(
            MeasureMention(
                m["term"],
                m["canonical"],
                m["category"],
                m["char_start"],
                m["char_end"],
                m["method"],
            )
        )
    labels = {r["content_hash"]: r for r in corpus.query("select * from labels")}
    out = []
    for r in rows:
        lexicon, guess = _lexicon(pipeline, r["text"], measures.get(r["id"], ()))
        own = labels.get(text_hash(r["text"]))
        if own is not None:
            out.append(
                Example(
                    r["text"],
                    frozenset(json.loads(own["strategies"] or "[]")),
                    own["instrument"],
                    lexicon,
                    guess,
                    "user",
                    f"doc{r['document_id']}",
                )
            )
        else:
            strategies = frozenset(s for s, v in lexicon.items() if v >= 0.5)
            out.append(
                Example(
                    r["text"],
                    strategies,
                    guess if strategies else None,
                    lexicon,
                    guess,
                    "weak",
                    f"doc{r['document_id']}",
                )
            )
    return out


def train(
    *, db: str | None = None, gold: str | None = None, settings: Settings | None = None
) -> TrainReport:
    """Train on the corpus's weak labels, the researcher's labels, an optional gold file and
    the taxonomy; save the artefact and record it (active) in the corpus."""
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        pipeline = pipeline_for(corpus, settings)
        examples = _corpus_examples(corpus, pipeline)
        if gold:
            examples += examples_from_texts(pipeline, read_gold(gold), source="gold")
        examples += train_mod.taxonomy_examples(pipeline.taxonomy, pipeline.lexicon)
        embed, version = _embed_fn(settings, corpus, pipeline)
        strategy, instrument = _models(pipeline, embed, settings)
        strategy.fit(examples)
        instrument.fit(examples)
        artefact = train_mod.save((strategy, instrument), settings.cache_path / "classifiers")
        summary = {**artefact.summary, "embeddings": version, "gold": gold}
        with corpus.transaction():
            corpus.db.execute("update models set active = 0 where kind = 'classifier'")
            corpus.db["models"].insert(
                {
                    "kind": "classifier",
                    "name": artefact.name,
                    "version": artefact.version,
                    "path": artefact.path,
                    "sha256": artefact.sha256,
                    "created_at": artefact.created_at,
                    "summary": json.dumps(summary, ensure_ascii=False),
                    "scores": None,
                    "active": 1,
                }
            )
    return TrainReport(artefact, version)


def _active(corpus: Corpus) -> dict[str, Any]:
    rows = corpus.query(
        "select * from models where kind = 'classifier' and active = 1 order by id desc limit 1"
    )
    if not rows:
        raise ConfigError("no trained classifier in this corpus; run `junheng train` first")
    return rows[0]


def _load_active(
    corpus: Corpus, settings: Settings
) -> tuple[dict[str, Any], Pipeline, tuple[train_mod.StrategyModel, train_mod.InstrumentModel]]:
    """The corpus's active classifier record, its pipeline and the loaded models."""
    record = _active(corpus)
    pipeline = pipeline_for(corpus, settings)
    embed, _ = _embed_fn(settings, corpus, pipeline)
    models = train_mod.load(
        record["path"],
        pipeline.taxonomy,
        CueProfiles(pipeline.taxonomy, pipeline.lexicon, pipeline.segmenter.cut),
        pipeline.segmenter.cut,
        embed,
    )
    return record, pipeline, models


def classify(
    *,
    db: str | None = None,
    settings: Settings | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[str, int, int]:
    """Re-label every counted sentence with the active model; returns (method, sentences,
    sentences whose set of strategies at the threshold changed)."""
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        record, pipeline, (strategy, instrument) = _load_active(corpus, settings)
        method = f"{record['name']}@{record['version']}"
        examples = _corpus_examples(corpus, pipeline)
        rows = corpus.query(
            f"select s.id, s.document_id from sentences s join documents d on d.id = s.document_id"
            f" where {COUNTED} order by s.id"
        )
        done = changed = 0
        for k, end in _chunks([e.group for e in examples], 2000):
            part, ex = rows[k:end], examples[k:end]
            labels = strategy.predict(
                [e.text for e in ex], [e.lexicon for e in ex], [e.group for e in ex]
            )
            insts = instrument.predict([e.text for e in ex], [e.lexicon_instrument for e in ex])
            changed += _store(corpus, part, labels, insts, method, settings.strategy_threshold)
            done += len(part)
            if progress:
                progress(done)
        _document_scores(corpus, method)
    return method, done, changed


def _chunks(groups: Sequence[str], size: int) -> list[tuple[int, int]]:
    """``(start, end)`` spans of about ``size`` items that do not split a group (document), so
    that every sentence is classified beside its neighbours."""
    spans, start = [], 0
    while start < len(groups):
        end = min(start + size, len(groups))
        while end < len(groups) and groups[end] == groups[end - 1]:
            end += 1
        spans.append((start, end))
        start = end
    return spans


def _store(
    corpus: Corpus,
    rows: Sequence[dict[str, Any]],
    labels: Sequence[dict[str, float]],
    instruments: Sequence[str],
    method: str,
    threshold: float = 0.5,
) -> int:
    """Replace the rows' labels; returns how many sentences' strategy sets changed."""
    changed = 0
    with corpus.transaction():
        ids = [r["id"] for r in rows]
        before: dict[int, set[str]] = {i: set() for i in ids}
        for k in range(0, len(ids), 900):
            part = ids[k : k + 900]
            marks = ",".join("?" for _ in part)
            for old in corpus.db.conn.execute(
                "select sentence_id, strategy from sentence_strategies"
                f" where score >= ? and sentence_id in ({marks})",
                (threshold, *part),
            ):
                before[old[0]].add(old[1])
        for r, lab, inst in zip(rows, labels, instruments, strict=True):
            changed += before[r["id"]] != {sid for sid, sc in lab.items() if sc >= threshold}
            corpus.db.execute("delete from sentence_strategies where sentence_id = ?", (r["id"],))
            corpus.db.execute(
                "update sentence_rows set instrument = ? where id = ?",
                (inst if lab else None, r["id"]),
            )
            corpus.db.conn.executemany(
                "insert into sentence_strategies"
                " (sentence_id, document_id, strategy, score, method)"
                " values (?, ?, ?, ?, ?)",
                [
                    (r["id"], r["document_id"], sid, round(score, 4), method)
                    for sid, score in lab.items()
                ],
            )
    return changed


def _document_scores(corpus: Corpus, method: str) -> None:
    by_doc: dict[int, list[StrategyScore]] = {}
    for r in corpus.query(
        "select document_id, strategy, score from sentence_strategies where method = ?", (method,)
    ):
        by_doc.setdefault(r["document_id"], []).append(StrategyScore(r["strategy"], r["score"]))
    with corpus.transaction():
        for doc_id, scores in by_doc.items():
            corpus.db.execute("delete from document_strategies where document_id = ?", (doc_id,))
            corpus.db["document_strategies"].insert_all(
                {"document_id": doc_id, "strategy": s.id, "score": s.score, "method": method}
                for s in document_strategies([[x] for x in scores], method=method)
            )


def evaluate(
    gold: str,
    *,
    settings: Settings | None = None,
    embeddings: bool = True,
    pipeline: Pipeline | None = None,
) -> Evaluation:
    """Leave-one-document-out cross-validation on a gold file, beside lexicon.v1."""
    settings = settings or load_settings()
    pipeline = pipeline or Pipeline(settings)
    examples = examples_from_texts(pipeline, read_gold(gold), source="gold")
    embed = _embed_fn(settings, None, pipeline)[0] if embeddings else None
    return cross_validate(
        examples,
        make_models=lambda: _models(pipeline, embed, settings),
        extra_training=train_mod.taxonomy_examples(pipeline.taxonomy, pipeline.lexicon),
        threshold=settings.strategy_threshold,
    )


def uncertain(
    *, db: str | None = None, limit: int = 20, settings: Settings | None = None
) -> list[dict[str, Any]]:
    """The counted sentences the active model is least sure about (probabilities nearest 0.5),
    not yet labelled by the researcher."""
    settings = settings or load_settings()
    with Corpus.open(db or settings.db, create=False, timeout=settings.lock_timeout) as corpus:
        _, pipeline, (strategy, _) = _load_active(corpus, settings)
        examples = [e for e in _corpus_examples(corpus, pipeline) if e.source != "user"]
    probs = strategy.predict_proba(
        [e.text for e in examples], [e.lexicon for e in examples], [e.group for e in examples]
    )
    margin = abs(probs - 0.5).min(axis=1) if len(examples) else []
    order = sorted(range(len(examples)), key=lambda k: margin[k])[:limit]
    ids = pipeline.taxonomy.strategy_ids
    return [
        {
            "text": examples[k].text,
            "probabilities": {
                ids[j]: round(float(probs[k, j]), 3) for j in range(len(ids)) if probs[k, j] >= 0.2
            },
        }
        for k in order
    ]


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
        Pipeline(settings).taxonomy.check_strategies(strategies)
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
