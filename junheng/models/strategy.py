"""``strategy.v2``: the strategies of a sentence from what it says and the measures it names.

Per strategy a logistic regression (its probability is the score; 0.5 means even odds) over:
the ``lexicon.v1`` rules' scores (evidence, not the answer), the lexicon categories of the
sentence's measures, the character n-grams of the measure names, the words of the sentence
(TF-IDF), how much it shares with each strategy's taxonomy vocabulary, its embedding and that
embedding's similarity to the taxonomy's texts, and the rules' evidence of the previous and next
sentence. Trained on the gold sentences, where a fact's measure carries its strategy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from junheng.models.features import CueProfiles, WordBag, _unit, neighbours
from junheng.models.taxonomy import Taxonomy

STRATEGY_MODEL = "strategy.v2"
Embed = Callable[[list[str]], np.ndarray]
EMBED_SCALE = 2.0


@dataclass(frozen=True, slots=True)
class StrategyExample:
    """One sentence for training or prediction.

    Attributes:
        text: The analysed sentence text.
        names: Canonical names of its measures.
        categories: Lexicon categories of its measures that are lexicon forms.
        evidence: ``lexicon.v1`` score per strategy for the sentence.
        labels: Gold strategies (training only).
        instrument: Gold instrument (training only).
        rule_instrument: The rules' instrument guess.
        group: The document (neighbours are adjacent items of the same group).
        source: ``gold``, ``seeds``, ``user``, ``taxonomy`` (sets the training weight).
        tokens: Its words as the pipeline segmented them.
    """

    text: str
    names: tuple[str, ...] = ()
    categories: frozenset[str] = frozenset()
    evidence: Mapping[str, float] = field(default_factory=dict)
    labels: frozenset[str] = frozenset()
    instrument: str | None = None
    rule_instrument: str | None = None
    group: str = ""
    source: str = "gold"
    tokens: tuple[str, ...] = ()


WEIGHTS = {"user": 3.0, "file": 3.0, "gold": 1.0, "seeds": 1.0, "taxonomy": 0.3}


@dataclass
class StrategyModel:
    """One-vs-rest logistic regressions over the features above."""

    taxonomy: Taxonomy
    profiles: CueProfiles
    tokenize: Callable[[str], list[str]]
    embed: Embed | None = None
    c: float = 0.5
    threshold: float = 0.5
    name: str = STRATEGY_MODEL
    words: WordBag | None = None
    grams: Any = None
    anchors: np.ndarray | None = None
    anchor_labels: np.ndarray | None = None
    estimators: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    _cues: np.ndarray | None = field(default=None, repr=False)
    _stack: Any = field(default=None, repr=False)

    @property
    def ids(self) -> list[str]:
        return self.taxonomy.strategy_ids

    @property
    def cue_weights(self) -> np.ndarray:
        """The taxonomy profile weight of every vocabulary word for every strategy."""
        if self._cues is None:
            assert self.words is not None
            self._cues = self.words.word_weights(self.profiles.weights)
        return self._cues

    def _fit_vocab(self, examples: Sequence[StrategyExample]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        profile_words = {w for table in self.profiles.weights for w in table}
        self.words = WordBag().fit([e.tokens for e in examples], extra_words=profile_words)
        self._cues = None
        self.grams = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2
        ).fit([" ".join(e.names) for e in examples if e.names] or ["。"])
        anchors = [e for e in examples if e.source == "taxonomy" and e.labels]
        self.anchors = self.anchor_labels = None
        if self.embed is not None and anchors:
            self.anchors = _unit(np.asarray(self.embed([e.text for e in anchors]), np.float32))
            self.anchor_labels = np.array([[i in e.labels for i in self.ids] for e in anchors])

    def features(
        self, examples: Sequence[StrategyExample], rows: Sequence[int] | None = None
    ) -> Any:
        """The sparse feature matrix of ``examples[rows]`` (all by default); ``examples`` are
        in document order, for the neighbours."""
        from scipy.sparse import csr_matrix, hstack

        ids = self.ids
        n = len(examples)
        dense = np.zeros((n, 4 * len(ids) + 5), np.float32)
        m = len(ids)
        if n:  # rows built in Python, written in one assignment each
            dense[:, :m] = [[3.0 * e.evidence.get(sid, 0.0) for sid in ids] for e in examples]
            dense[:, m : 2 * m] = [[2.0 * (sid in e.categories) for sid in ids] for e in examples]
        prev, nxt = neighbours([e.group for e in examples], n)
        context = np.hstack([dense[:, :m], dense[:, m : 2 * m]])
        picked = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
        prev, nxt = prev[picked], nxt[picked]
        examples = [examples[k] for k in picked]
        dense = dense[picked]
        n = len(examples)
        assert self.words is not None
        tfidf, binary = self.words.transform([e.tokens for e in examples])
        cues = np.asarray(binary @ self.cue_weights)
        dense[:, 2 * m : 3 * m] = cues / 10
        dense[:, 3 * m : 4 * m] = cues / (cues.sum(axis=1, keepdims=True) + 1e-9)
        for k, e in enumerate(examples):
            dense[k, 4 * m + min(len(e.names), 3)] = 1.0
            dense[k, 4 * m + 4] = len(e.text) / 100
        blocks = [
            dense,
            context[prev] * (prev >= 0)[:, None],
            context[nxt] * (nxt >= 0)[:, None],
        ]
        if self.embed is not None and n:
            vectors = _unit(np.asarray(self.embed([e.text for e in examples]), np.float32))
            if self.anchors is not None and self.anchor_labels is not None:
                sims = vectors @ self.anchors.T
                best = [
                    sims[:, self.anchor_labels[:, j]].max(axis=1)
                    if self.anchor_labels[:, j].any()
                    else np.zeros(n, np.float32)
                    for j in range(m)
                ]
                blocks.append(EMBED_SCALE * np.stack(best, axis=1))
            blocks.append(EMBED_SCALE * vectors)
        names = [" ".join(e.names) for e in examples]
        return hstack(
            [
                csr_matrix(np.hstack(blocks)),
                tfidf,
                self.grams.transform(names),
            ]
        ).tocsr()

    def fit(self, examples: Sequence[StrategyExample]) -> StrategyModel:
        from sklearn.linear_model import LogisticRegression

        self._fit_vocab(examples)
        x = self.features(examples)
        weights = np.array([WEIGHTS.get(e.source, 1.0) for e in examples])
        self.estimators = {}
        for sid in self.ids:
            y = np.array([sid in e.labels for e in examples])
            if y.all() or not y.any():
                continue
            clf = LogisticRegression(C=self.c, max_iter=3000)
            clf.fit(x, y, sample_weight=weights)
            self.estimators[sid] = clf
        self._stack = None
        self.summary = {
            "examples": len(examples),
            "by_source": dict(Counter(e.source for e in examples)),
            "by_strategy": dict(Counter(s for e in examples for s in e.labels)),
        }
        return self

    def predict_proba(
        self, examples: Sequence[StrategyExample], rows: Sequence[int] | None = None
    ) -> np.ndarray:
        """Probabilities per strategy for ``examples[rows]`` (all by default)."""
        n = len(examples) if rows is None else len(rows)
        out = np.zeros((n, len(self.ids)), np.float32)
        if not n:
            return out
        x = self.features(examples, rows)
        weights, bias, columns = self._stacked()
        if columns:
            z = np.asarray(x @ weights) + bias
            out[:, columns] = 1.0 / (1.0 + np.exp(-z))
        return out

    def _stacked(self) -> tuple[Any, np.ndarray, list[int]]:
        """The per-strategy regressions as one weight matrix (one product, not thirteen)."""
        cached = getattr(self, "_stack", None)
        if cached is None:
            fitted = [j for j, sid in enumerate(self.ids) if sid in self.estimators]
            coefs = [self.estimators[self.ids[j]].coef_[0] for j in fitted]
            weights = np.stack(coefs, axis=1).astype(np.float64) if coefs else np.zeros((0, 0))
            bias = np.array([self.estimators[self.ids[j]].intercept_[0] for j in fitted])
            cached = self._stack = (weights, bias, fitted)
        return cached

    def state(self) -> dict[str, Any]:
        """What is saved (the embedder is attached again on load)."""
        return {
            "c": self.c,
            "threshold": self.threshold,
            "name": self.name,
            "words": self.words,
            "grams": self.grams,
            "anchors": self.anchors,
            "anchor_labels": self.anchor_labels,
            "estimators": self.estimators,
            "summary": self.summary,
        }

    @classmethod
    def from_state(
        cls,
        state: Mapping[str, Any],
        taxonomy: Taxonomy,
        profiles: CueProfiles,
        tokenize: Callable[[str], list[str]],
        embed: Embed | None,
    ) -> StrategyModel:
        return cls(taxonomy, profiles, tokenize, embed, **state)


@dataclass
class InstrumentModel:
    """``instrument.v2``: multinomial logistic regression for the policy instrument of a coded
    sentence's main measure, over its words, the instrument cue words it holds and the rules'
    guess."""

    taxonomy: Taxonomy
    c: float = 1.0
    name: str = "instrument.v2"
    words: WordBag | None = None
    estimator: Any = None
    fallback: str = "capacity_building"

    def _x(self, examples: Sequence[StrategyExample]) -> Any:
        from scipy.sparse import csr_matrix, hstack

        ids = self.taxonomy.instrument_ids
        dense = np.zeros((len(examples), 2 * len(ids)), np.float32)
        for k, e in enumerate(examples):
            for j, i in enumerate(ids):
                dense[k, j] = sum(e.text.count(c) for c in self.taxonomy.instruments[i].cues)
                dense[k, len(ids) + j] = 2.0 * (e.rule_instrument == i)
        assert self.words is not None
        tfidf, _ = self.words.transform([e.tokens for e in examples])
        return hstack([csr_matrix(dense), tfidf]).tocsr()

    def fit(self, examples: Sequence[StrategyExample]) -> InstrumentModel:
        from sklearn.linear_model import LogisticRegression

        rows = [e for e in examples if e.instrument]
        self.words = WordBag(min_count=1).fit([e.tokens for e in rows])
        labels = {e.instrument for e in rows}
        if len(labels) < 2:
            self.estimator = None
            self.fallback = next(iter(labels), self.fallback)
            return self
        self.estimator = LogisticRegression(C=self.c, max_iter=3000)
        self.estimator.fit(
            self._x(rows),
            [e.instrument for e in rows],
            sample_weight=[WEIGHTS.get(e.source, 1.0) for e in rows],
        )
        return self

    def predict(self, examples: Sequence[StrategyExample]) -> list[str]:
        if not examples:
            return []
        if self.estimator is None:
            return [e.rule_instrument or self.fallback for e in examples]
        return [str(v) for v in self.estimator.predict(self._x(examples))]
