"""The trained default: measure tagger, measure categoriser, strategy and instrument models in
one versioned artefact, built from the shipped gold (``junheng models build``) and used by
``extract``, ``ingest`` and every table. ``lexicon.v1`` stays the fallback when none is built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from junheng.errors import ConfigError
from junheng.models.classify import Labels, SentenceInput
from junheng.models.features import CueProfiles
from junheng.models.measure_category import MeasureCategorizer
from junheng.models.strategy import InstrumentModel, StrategyExample, StrategyModel
from junheng.models.tagger import MeasureTagger
from junheng.records import StrategyScore

if TYPE_CHECKING:
    from junheng.models.golddata import TrainingDoc
    from junheng.models.taxonomy import Taxonomy
    from junheng.nlp.lexicon import Lexicon
    from junheng.settings import Settings

logger = logging.getLogger(__name__)

BUNDLE_NAME = "reports"
BUNDLE_RECIPE = "v1"
FORMAT = 1
STATE_FILE = "models.joblib"
INFO_FILE = "junheng_models.json"
# sentence scores below this are not reported (they never count; tables use the threshold)
REPORT_FLOOR = 0.2
Embed = Callable[[list[str]], np.ndarray]


@dataclass
class ModelBundle:
    """The trained models and their record (``info``: version, training data, summary)."""

    tagger: MeasureTagger
    categorizer: MeasureCategorizer
    strategy: StrategyModel
    instrument: InstrumentModel
    lexicon: Lexicon
    info: dict[str, Any] = field(default_factory=dict)
    # label only sentences with measures (off: the model learned that sentences without one
    # rarely carry a strategy, and lets the few that do keep it; +0.01 micro F1 in CV)
    requires_measure: bool = False

    @property
    def version(self) -> str:
        return str(self.info.get("version", "unsaved"))

    @property
    def method(self) -> str:
        """What each label records, e.g. ``strategy.v2@3f2a…``."""
        return f"{self.strategy.name}@{self.version}"

    def categorize(self, names: Sequence[str], contexts: Sequence[str]) -> list[str | None]:
        return self.categorizer.predict(names, contexts)

    def labeller(self, tokenize: Callable[[str], list[str]] | None = None) -> ModelLabeller:
        return ModelLabeller(self)


class ModelLabeller:
    """Labels sentences with the bundle's strategy and instrument models, a batch of documents
    at a time (one embedding call per batch); a document's strategy score is the highest of
    its sentences' (present in a sentence ⇒ present in the document)."""

    def __init__(self, bundle: ModelBundle) -> None:
        self.bundle = bundle
        self.name = bundle.method
        self.threshold = bundle.strategy.threshold

    def examples(self, doc: Sequence[SentenceInput], group: str) -> list[StrategyExample]:
        lexicon = self.bundle.lexicon
        out = []
        for s in doc:
            if s.boilerplate:
                continue
            names = tuple(dict.fromkeys(m.canonical for m in s.measures))
            cats = frozenset(
                c for n in names if (e := lexicon.get(n)) is not None and (c := e.category)
            )
            evidence = {e.id: e.score for e in s.evidence}
            out.append(
                StrategyExample(
                    s.text,
                    names,
                    cats,
                    evidence,
                    rule_instrument=s.rule_instrument,
                    group=group,
                    tokens=s.tokens,
                )
            )
        return out

    def label(self, documents: Sequence[Sequence[SentenceInput]]) -> list[list[Labels]]:
        flat: list[StrategyExample] = []
        for k, doc in enumerate(documents):
            flat.extend(self.examples(doc, str(k)))
        rows = [k for k, e in enumerate(flat) if e.names or not self.bundle.requires_measure]
        probs = self.bundle.strategy.predict_proba(flat, rows)
        ids = self.bundle.strategy.ids
        chosen: list[tuple[StrategyScore, ...]] = [()] * len(flat)
        for k, row in zip(rows, probs, strict=True):
            ranked = sorted(
                ((ids[j], float(p)) for j, p in enumerate(row) if p >= REPORT_FLOOR),
                key=lambda kv: -kv[1],
            )
            chosen[k] = tuple(StrategyScore(i, round(p, 4), self.name) for i, p in ranked)
        coded = [k for k, c in enumerate(chosen) if c and c[0].score >= self.threshold]
        insts = self.bundle.instrument.predict([flat[k] for k in coded])
        instrument = dict(zip(coded, insts, strict=True))
        out: list[list[Labels]] = []
        k = 0
        for doc in documents:
            labels: list[Labels] = []
            for s in doc:
                if s.boilerplate:
                    labels.append(((), None))
                    continue
                labels.append((chosen[k], instrument.get(k)))
                k += 1
            out.append(labels)
        return out

    def document(
        self, sentence_scores: Iterable[Iterable[StrategyScore]]
    ) -> tuple[StrategyScore, ...]:
        best: dict[str, float] = {}
        for scores in sentence_scores:
            for s in scores:
                best[s.id] = max(best.get(s.id, 0.0), s.score)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        return tuple(StrategyScore(i, round(p, 4), self.name) for i, p in ranked)


# ---------------------------------------------------------------- training


def train_bundle(
    docs: Sequence[TrainingDoc],
    *,
    taxonomy: Taxonomy,
    lexicon: Lexicon,
    tokenize: Callable[[str], list[str]],
    embed: Embed | None,
    extra: Sequence[StrategyExample] = (),
) -> ModelBundle:
    """Fit every model of the bundle on ``docs`` (plus the taxonomy's pseudo-sentences, the
    lexicon's terms and ``extra`` labelled sentences)."""
    from junheng.models.golddata import lexicon_facts, taxonomy_examples

    tagger = MeasureTagger().fit([d.view for d in docs], [d.spans for d in docs])
    facts = [f for d in docs for f in d.facts] + lexicon_facts(lexicon)
    categorizer = MeasureCategorizer().fit(
        [n for n, _, _ in facts], [c for _, c, _ in facts], [s for _, _, s in facts]
    )
    examples = [e for d in docs for e in d.examples]
    examples += list(extra) + taxonomy_examples(taxonomy, lexicon, tokenize)
    profiles = CueProfiles(taxonomy, lexicon, tokenize)
    strategy = StrategyModel(taxonomy, profiles, tokenize, embed).fit(examples)
    instrument = InstrumentModel(taxonomy).fit(examples)
    return ModelBundle(tagger, categorizer, strategy, instrument, lexicon)


# ---------------------------------------------------------------- saving and loading


def bundle_dir(cache_dir: Path) -> Path:
    from junheng.models.distil import models_dir

    return models_dir(cache_dir) / f"{BUNDLE_NAME}-{BUNDLE_RECIPE}"


def save_bundle(bundle: ModelBundle, folder: Path, info: Mapping[str, Any]) -> dict[str, Any]:
    """Write the models (joblib) and their record into ``folder`` atomically; the version is
    the state file's hash. Returns the record."""
    import joblib

    state = {
        "format": FORMAT,
        "tagger": bundle.tagger,
        "categorizer": bundle.categorizer,
        "strategy": bundle.strategy.state(),
        "instrument": {
            k: getattr(bundle.instrument, k)
            for k in ("c", "name", "words", "estimator", "fallback")
        },
        "requires_measure": bundle.requires_measure,
    }
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".joblib")
    os.close(fd)
    joblib.dump(state, tmp)
    digest = hashlib.sha256(Path(tmp).read_bytes()).hexdigest()
    os.replace(tmp, folder / STATE_FILE)
    record = {
        **info,
        "name": BUNDLE_NAME,
        "recipe": BUNDLE_RECIPE,
        "version": digest[:12],
        "sha256": digest,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "models": [
            bundle.tagger.name,
            bundle.categorizer.name,
            bundle.strategy.name,
            bundle.instrument.name,
        ],
        "strategy_summary": bundle.strategy.summary,
    }
    (folder / INFO_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2), "utf-8")
    bundle.info = record
    return record


def read_info(folder: Path) -> dict[str, Any] | None:
    path = folder / INFO_FILE
    if not path.is_file() or not (folder / STATE_FILE).is_file():
        return None
    try:
        return dict(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError):
        return None


def load_bundle(
    folder: Path,
    *,
    taxonomy: Taxonomy,
    lexicon: Lexicon,
    tokenize: Callable[[str], list[str]],
    embed: Embed | None,
) -> ModelBundle:
    """Load a saved bundle, re-attaching the tokenizer and embedder."""
    import joblib

    info = read_info(folder)
    if info is None:
        raise ConfigError(f"no trained models in {folder}; run `junheng models build`")
    try:
        state = joblib.load(folder / STATE_FILE)
    except (OSError, EOFError, ValueError) as exc:
        raise ConfigError(
            f"cannot load models {folder}: {exc}; run `junheng models build`"
        ) from None
    if state.get("format") != FORMAT:
        raise ConfigError(f"models in {folder} are of an older format; run `junheng models build`")
    profiles = CueProfiles(taxonomy, lexicon, tokenize)
    strategy = StrategyModel.from_state(state["strategy"], taxonomy, profiles, tokenize, embed)
    if strategy.anchors is not None and embed is None:
        raise ConfigError("the trained models need the embedding model; run `junheng models build`")
    instrument = InstrumentModel(taxonomy, **state["instrument"])
    return ModelBundle(
        state["tagger"],
        state["categorizer"],
        strategy,
        instrument,
        lexicon,
        info,
        state.get("requires_measure", True),
    )


def default_bundle(
    settings: Settings,
    *,
    taxonomy: Taxonomy,
    lexicon: Lexicon,
    tokenize: Callable[[str], list[str]],
) -> ModelBundle | None:
    """The built default models, or ``None`` (the rules label) when the settings ask for
    ``lexicon.v1`` or nothing is built yet."""
    if settings.classifier == "lexicon.v1":
        return None
    folder = bundle_dir(settings.cache_path)
    info = read_info(folder)
    if info is None:
        logger.info("no trained models in %s: labelling with lexicon.v1", folder)
        return None
    embed = default_embed(settings, info["embedder"]) if info.get("embedder") else None
    return load_bundle(folder, taxonomy=taxonomy, lexicon=lexicon, tokenize=tokenize, embed=embed)


def default_embed(settings: Settings, expected: str | None = None) -> Embed:
    """The default embedder's encode function (the one the models are trained with).

    Raises:
        ConfigError: It is not built, or it is not the one ``expected``.
    """
    from junheng.models.embed import get_embedder

    embedder = get_embedder("default", cache_dir=settings.cache_path)
    if expected and embedder.version != expected:
        raise ConfigError(
            f"the trained models were built with embedder {expected}, the default embedder is "
            f"now {embedder.version}; run `junheng models build --force`"
        )
    return _Encoder(embedder)


class _Encoder:
    """``encode`` of an embedder as a plain callable that knows the embedder's version."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder
        self.version = embedder.version

    def __call__(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.embedder.encode(texts, kind="passage"))


def optional_embed(settings: Settings) -> Embed | None:
    """The default embedder when it is built, else ``None`` (lexical features only)."""
    try:
        return default_embed(settings)
    except ConfigError:
        logger.info("the default embedding model is not built: training without embeddings")
        return None


def build_default_bundle(
    settings: Settings, *, force: bool = False, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Train the default models on the shipped gold (all of it) and save them into the cache;
    an existing build of the same training data, recipe and embedder is kept unless ``force``.
    Returns the build record."""
    from junheng.models import golddata
    from junheng.models.embed import get_embedder
    from junheng.pipeline import Pipeline

    folder = bundle_dir(settings.cache_path)
    data = golddata.data_hash()
    embedder = get_embedder("default", cache_dir=settings.cache_path)
    info = read_info(folder)
    if (
        info is not None
        and not force
        and info.get("training_data_sha256") == data
        and info.get("embedder") == embedder.version
    ):
        return info
    pipeline = Pipeline(settings, models=False)
    if progress:
        progress("annotating the training data")
    reports = golddata.read_jsonl(golddata.training_file(golddata.REPORTS))
    seeds = golddata.read_jsonl(golddata.training_file(golddata.SEEDS))
    docs = golddata.report_docs(pipeline, reports) + golddata.seed_docs(pipeline, seeds)
    if progress:
        progress("training")
    bundle = train_bundle(
        docs,
        taxonomy=pipeline.taxonomy,
        lexicon=pipeline.lexicon,
        tokenize=pipeline.segmenter.cut,
        embed=_Encoder(embedder),
    )
    record = {
        "training_data_sha256": data,
        "training_files": {
            name: golddata.file_hash(golddata.training_file(name))
            for name in golddata.TRAINING_FILES
        },
        "training_documents": {"reports": len(reports), "seeds": len({r["doc"] for r in seeds})},
        "embedder": embedder.version,
        "lexicon": pipeline.lexicon.fingerprint(),
    }
    return save_bundle(bundle, folder, record)
