"""Trained classifiers (scikit-learn): strategies of a sentence (multi-label, ``strategy.v1``)
and the policy instrument of its main measure (``instrument.v1``), as versioned artefacts."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from junheng.errors import ConfigError
from junheng.models.features import CueProfiles, FeatureBuilder
from junheng.models.taxonomy import Taxonomy

STRATEGY_MODEL = "strategy.v1"
INSTRUMENT_MODEL = "instrument.v1"
FORMAT = 2  # layout of the saved state and features (2: context and anchor similarities)
# training weights by where a label comes from
WEIGHTS = {"user": 2.0, "gold": 1.0, "weak": 0.5, "taxonomy": 0.3}


@dataclass(frozen=True, slots=True)
class Example:
    """One training sentence: its text, labels, lexicon evidence and provenance."""

    text: str
    strategies: frozenset[str]
    instrument: str | None = None
    lexicon: Mapping[str, float] = field(default_factory=dict)
    lexicon_instrument: str | None = None
    source: str = "gold"
    group: str = ""  # the document it comes from (cross-validation keeps groups apart)

    @property
    def weight(self) -> float:
        return WEIGHTS.get(self.source, 1.0)


def taxonomy_examples(taxonomy: Taxonomy, lexicon: Iterable[Any]) -> list[Example]:
    """Pseudo-sentences from the label contract and the lexicon: each term with its gloss,
    each strategy's definition and sub-category names (what generalises beyond any corpus)."""
    out = []
    for e in lexicon:
        if e.category in taxonomy.strategies:
            text = f"{e.term}：{e.gloss}" if e.gloss else e.term
            out.append(Example(text, frozenset({e.category}), source="taxonomy", group="taxonomy"))
    for sid, s in taxonomy.strategies.items():
        for text in (s.definition_zh, *(name for _, name in s.subcategories)):
            out.append(Example(text, frozenset({sid}), source="taxonomy", group="taxonomy"))
    return out


@dataclass
class StrategyModel:
    """Per strategy a logistic regression over lexicon evidence, taxonomy cue profiles, TF-IDF,
    the neighbouring sentences' evidence and embeddings (with their similarity to the taxonomy
    pseudo-sentences); its probabilities are the scores. A sentence carries the strategies whose
    probability reaches the threshold, and keeps those its named lexicon measures give.
    ``groups`` (the document of each sentence, in reading order) give the neighbours."""

    taxonomy: Taxonomy
    profiles: CueProfiles
    tokenize: Callable[[str], list[str]]
    embed: Callable[[list[str]], np.ndarray] | None = None
    c: float = 0.3
    threshold: float = 0.5
    name: str = STRATEGY_MODEL
    features: Any = None
    estimators: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    def fit(self, examples: Sequence[Example]) -> StrategyModel:
        from sklearn.linear_model import LogisticRegression

        self.features = FeatureBuilder(self.taxonomy, self.profiles, self.tokenize, self.embed)
        texts = [e.text for e in examples]
        anchors = [
            (e.text, sid) for e in examples if e.source == "taxonomy" for sid in e.strategies
        ]
        self.features.fit(texts, anchors)
        x = self.features.transform(
            texts, [e.lexicon for e in examples], [e.group for e in examples]
        )
        weights = np.array([e.weight for e in examples])
        self.estimators = {}
        for sid in self.taxonomy.strategy_ids:
            y = np.array([sid in e.strategies for e in examples])
            if y.all() or not y.any():
                continue
            clf = LogisticRegression(C=self.c, max_iter=3000)
            clf.fit(x, y, sample_weight=weights)
            self.estimators[sid] = clf
        self.summary = summarise(examples)
        return self

    def predict_proba(
        self,
        texts: Sequence[str],
        lexicon: Sequence[Mapping[str, float]],
        groups: Sequence[str] | None = None,
    ) -> np.ndarray:
        ids = self.taxonomy.strategy_ids
        out = np.zeros((len(texts), len(ids)), dtype=np.float32)
        if not texts:
            return out
        x = self.features.transform(texts, lexicon, groups)
        for j, sid in enumerate(ids):
            if sid in self.estimators:
                out[:, j] = self.estimators[sid].predict_proba(x)[:, 1]
        return out

    def predict(
        self,
        texts: Sequence[str],
        lexicon: Sequence[Mapping[str, float]],
        groups: Sequence[str] | None = None,
    ) -> list[dict[str, float]]:
        """Per sentence ``{strategy: score}`` of the strategies it carries."""
        probs = self.predict_proba(texts, lexicon, groups)
        ids = self.taxonomy.strategy_ids
        out = []
        for row, lex in zip(probs, lexicon, strict=True):
            labels = {sid: float(p) for sid, p in zip(ids, row, strict=True) if p >= self.threshold}
            for sid, score in lex.items():
                if score >= self.threshold:
                    labels[sid] = max(labels.get(sid, 0.0), float(row[ids.index(sid)]), score)
            out.append(labels)
        return out


@dataclass
class InstrumentModel:
    """Multinomial logistic regression for the instrument of a coded sentence's main measure,
    over its words, the instrument cue words it holds and the lexicon rule's guess."""

    taxonomy: Taxonomy
    tokenize: Callable[[str], list[str]]
    c: float = 1.0
    name: str = INSTRUMENT_MODEL
    tfidf: Any = None
    estimator: Any = None
    fallback: str = "capacity_building"

    def _x(self, texts: Sequence[str], guesses: Sequence[str | None]) -> Any:
        from scipy.sparse import csr_matrix, hstack

        ids = self.taxonomy.instrument_ids
        cues = [
            [sum(text.count(c) for c in self.taxonomy.instruments[i].cues) for i in ids]
            for text in texts
        ]
        guess = [[1.0 if g == i else 0.0 for i in ids] for g in guesses]
        dense = csr_matrix(
            np.hstack([np.asarray(cues, np.float32), 2 * np.asarray(guess, np.float32)])
        )
        return hstack([dense, self.tfidf.transform(texts)]).tocsr()

    def fit(self, examples: Sequence[Example]) -> InstrumentModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        rows = [e for e in examples if e.instrument]
        self.tfidf = TfidfVectorizer(
            tokenizer=self.tokenize, lowercase=False, token_pattern=None, sublinear_tf=True
        )
        self.tfidf.fit([e.text for e in rows] or ["。"])
        labels = {e.instrument for e in rows}
        if len(labels) < 2:
            self.estimator = None
            self.fallback = next(iter(labels), self.fallback)
            return self
        self.estimator = LogisticRegression(C=self.c, max_iter=3000)
        self.estimator.fit(
            self._x([e.text for e in rows], [e.lexicon_instrument for e in rows]),
            [e.instrument for e in rows],
            sample_weight=[e.weight for e in rows],
        )
        return self

    def predict(self, texts: Sequence[str], guesses: Sequence[str | None]) -> list[str]:
        if not texts:
            return []
        if self.estimator is None:
            return [g or self.fallback for g in guesses]
        return [str(v) for v in self.estimator.predict(self._x(texts, guesses))]


def summarise(examples: Sequence[Example]) -> dict[str, Any]:
    """What a model was trained on: examples by source and labels by strategy."""
    return {
        "examples": len(examples),
        "by_source": dict(Counter(e.source for e in examples)),
        "by_strategy": dict(Counter(s for e in examples for s in e.strategies)),
        "unlabelled": sum(1 for e in examples if not e.strategies),
    }


@dataclass(frozen=True, slots=True)
class Artefact:
    """A saved pair of models: where, which version (hash of the file) and what went in."""

    name: str
    version: str
    path: str
    sha256: str
    created_at: str
    summary: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)


def save(models: tuple[StrategyModel, InstrumentModel], folder: Path) -> Artefact:
    """Pickle the models (joblib) into ``folder/<hash>/`` atomically; callables that cannot be
    pickled (the tokenizer and embedder) are left out and re-attached on load."""
    import joblib

    strategy, instrument = models
    state = {
        "strategy": {
            k: getattr(strategy, k) for k in ("c", "threshold", "name", "estimators", "summary")
        },
        "strategy_tfidf": strategy.features.tfidf,
        "strategy_anchors": (strategy.features.anchors, strategy.features.anchor_labels),
        "format": FORMAT,
        "uses_embeddings": strategy.embed is not None,
        "instrument": {
            k: getattr(instrument, k) for k in ("c", "name", "tfidf", "estimator", "fallback")
        },
    }
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".joblib")
    os.close(fd)
    vectorizers = (instrument.tfidf, strategy.features.tfidf)
    tokenizers = [v.tokenizer for v in vectorizers]
    try:
        for v in vectorizers:  # the segmenter is re-attached on load, not pickled
            v.tokenizer = None
        joblib.dump(state, tmp)
    finally:
        for v, tok in zip(vectorizers, tokenizers, strict=True):
            v.tokenizer = tok
    digest = hashlib.sha256(Path(tmp).read_bytes()).hexdigest()
    target = folder / f"{STRATEGY_MODEL}-{digest[:12]}.joblib"
    os.replace(tmp, target)
    created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return Artefact(STRATEGY_MODEL, digest[:12], str(target), digest, created, strategy.summary)


def load(
    path: str | os.PathLike[str],
    taxonomy: Taxonomy,
    profiles: CueProfiles,
    tokenize: Callable[[str], list[str]],
    embed: Callable[[list[str]], np.ndarray] | None,
) -> tuple[StrategyModel, InstrumentModel]:
    """Load a saved pair; an embedder is needed when the model was trained with embeddings."""
    import joblib

    try:
        state = joblib.load(path)
    except (OSError, EOFError, ValueError) as exc:
        raise ConfigError(f"cannot load classifier {path}: {exc}; run `junheng train`") from None
    if state.get("format") != FORMAT:
        raise ConfigError(f"classifier {path} has an older feature layout; run `junheng train`")
    if state["uses_embeddings"] and embed is None:
        raise ConfigError(
            "this classifier was trained with sentence embeddings; build the "
            "embedding model first (`junheng models build`)"
        )
    strategy = StrategyModel(
        taxonomy,
        profiles,
        tokenize,
        embed if state["uses_embeddings"] else None,
        **state["strategy"],
    )
    strategy.features = FeatureBuilder(taxonomy, profiles, tokenize, strategy.embed)
    strategy.features.tfidf = state["strategy_tfidf"]
    strategy.features.tfidf.tokenizer = strategy.features._words
    strategy.features.anchors, strategy.features.anchor_labels = state["strategy_anchors"]
    instrument = InstrumentModel(taxonomy, tokenize, **state["instrument"])
    instrument.tfidf.tokenizer = tokenize
    return strategy, instrument
