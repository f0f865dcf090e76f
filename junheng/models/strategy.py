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

from junheng.models.features import CueProfiles, _unit, neighbours
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


WEIGHTS = {"user": 2.0, "gold": 1.0, "seeds": 1.0, "taxonomy": 0.3}


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
    words: Any = None
    grams: Any = None
    anchors: np.ndarray | None = None
    anchor_labels: np.ndarray | None = None
    estimators: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return self.taxonomy.strategy_ids

    def _tokens(self, text: str) -> list[str]:
        return [w for w in self.tokenize(text) if w.strip() and any(ch.isalnum() for ch in w)]

    def _fit_vocab(self, examples: Sequence[StrategyExample]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.words = TfidfVectorizer(
            tokenizer=self._tokens,
            lowercase=False,
            token_pattern=None,
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=2,
        ).fit([e.text for e in examples])
        self.grams = TfidfVectorizer(
            analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2
        ).fit([" ".join(e.names) for e in examples if e.names] or ["。"])
        anchors = [e for e in examples if e.source == "taxonomy" and e.labels]
        self.anchors = self.anchor_labels = None
        if self.embed is not None and anchors:
            self.anchors = _unit(np.asarray(self.embed([e.text for e in anchors]), np.float32))
            self.anchor_labels = np.array([[i in e.labels for i in self.ids] for e in anchors])

    def features(self, examples: Sequence[StrategyExample]) -> Any:
        """The sparse feature matrix of ``examples`` (in document order for the neighbours)."""
        from scipy.sparse import csr_matrix, hstack

        ids = self.ids
        n = len(examples)
        dense = np.zeros((n, 4 * len(ids) + 5), np.float32)
        m = len(ids)
        for k, e in enumerate(examples):
            cues = self.profiles.scores(e.text)
            total = sum(cues) + 1e-9
            for j, sid in enumerate(ids):
                dense[k, j] = 3.0 * e.evidence.get(sid, 0.0)
                dense[k, m + j] = 2.0 * (sid in e.categories)
                dense[k, 2 * m + j] = cues[j] / 10
                dense[k, 3 * m + j] = cues[j] / total
            dense[k, 4 * m + min(len(e.names), 3)] = 1.0
            dense[k, 4 * m + 4] = len(e.text) / 100
        prev, nxt = neighbours([e.group for e in examples], n)
        context = np.hstack([dense[:, :m], dense[:, m : 2 * m]])
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
                self.words.transform([e.text for e in examples]),
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
        self.summary = {
            "examples": len(examples),
            "by_source": dict(Counter(e.source for e in examples)),
            "by_strategy": dict(Counter(s for e in examples for s in e.labels)),
        }
        return self

    def predict_proba(self, examples: Sequence[StrategyExample]) -> np.ndarray:
        out = np.zeros((len(examples), len(self.ids)), np.float32)
        if not examples:
            return out
        x = self.features(examples)
        for j, sid in enumerate(self.ids):
            if sid in self.estimators:
                out[:, j] = self.estimators[sid].predict_proba(x)[:, 1]
        return out

    def state(self) -> dict[str, Any]:
        """What is saved (the tokenizer and embedder are attached again on load)."""
        tok = self.words.tokenizer
        self.words.tokenizer = None
        try:
            import copy

            words = copy.deepcopy(self.words)
        finally:
            self.words.tokenizer = tok
        return {
            "c": self.c,
            "threshold": self.threshold,
            "name": self.name,
            "words": words,
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
        model = cls(taxonomy, profiles, tokenize, embed, **state)
        model.words.tokenizer = model._tokens
        return model
