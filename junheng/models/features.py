"""Sentence features for the trained classifiers: lexicon evidence, taxonomy cue profiles,
TF-IDF over jieba words, the same evidence of the neighbouring sentences of its document and
(optionally) sentence embeddings with their similarity to the taxonomy's own texts."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from junheng.models.taxonomy import Taxonomy

CJK = re.compile(r"[\u4e00-\u9fff]")
Tokenize = Callable[[str], list[str]]
# weight of the embedding block beside the lexical features (one choice, made on the seed CV)
EMBED_SCALE = 3.0
NO_CONTEXT = frozenset({"", "taxonomy"})  # groups whose items are not sentences of a document


class CueProfiles:
    """How much a sentence's words overlap each strategy's vocabulary: its lexicon terms,
    variants and glosses, its cue measures, definition and sub-category names. Words shared by
    many strategies weigh less (idf over strategies). Generalises beyond any training text."""

    def __init__(self, taxonomy: Taxonomy, lexicon: Iterable[Any], tokenize: Tokenize) -> None:
        self.ids = taxonomy.strategy_ids
        self.tokenize = tokenize
        profiles: dict[str, Counter[str]] = {i: Counter() for i in self.ids}
        for entry in lexicon:
            if entry.category in profiles:
                for text in (entry.term, *entry.variants, entry.gloss):
                    for w in self.words(text):
                        profiles[entry.category][w] += 1
                profiles[entry.category][entry.term] += 2
        for sid, s in taxonomy.strategies.items():
            for text in (s.definition_zh, s.name_zh, *(n for _, n in s.subcategories), *s.cues):
                for w in self.words(text):
                    profiles[sid][w] += 2
        df: Counter[str] = Counter()
        for counts in profiles.values():
            df.update(counts.keys())
        n = len(self.ids)
        self.weights = [
            {w: math.log(1 + n / df[w]) * min(c, 3) for w, c in profiles[i].items()}
            for i in self.ids
        ]

    def words(self, text: str) -> set[str]:
        return {w for w in self.tokenize(text) if len(w) >= 2 and CJK.search(w)}

    def scores(self, text: str) -> list[float]:
        ws = self.words(text)
        return [sum(weights.get(w, 0.0) for w in ws) for weights in self.weights]


class FeatureBuilder:
    """Builds the feature matrix; ``fit`` learns the TF-IDF vocabulary from training texts and
    embeds the anchors (taxonomy texts with their strategy) that embedded sentences are compared
    with."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        profiles: CueProfiles,
        tokenize: Tokenize,
        embed: Callable[[list[str]], np.ndarray] | None = None,
    ) -> None:
        self.ids = taxonomy.strategy_ids
        self.profiles = profiles
        self.tokenize = tokenize
        self.embed = embed
        self.tfidf: Any = None
        self.anchors: np.ndarray | None = None  # unit vectors of the anchor texts
        self.anchor_labels: np.ndarray | None = None  # (anchors, strategies) booleans

    def fit(self, texts: Sequence[str], anchors: Sequence[tuple[str, str]] = ()) -> FeatureBuilder:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.tfidf = TfidfVectorizer(
            tokenizer=self._words,
            lowercase=False,
            token_pattern=None,
            ngram_range=(1, 2),
            sublinear_tf=True,
            min_df=1,
        )
        self.tfidf.fit(texts)
        self.anchors = self.anchor_labels = None
        if self.embed is not None and anchors:
            self.anchors = _unit(np.asarray(self.embed([t for t, _ in anchors]), np.float32))
            self.anchor_labels = np.array([[sid == i for i in self.ids] for _, sid in anchors])
        return self

    def _words(self, text: str) -> list[str]:
        return [w for w in self.tokenize(text) if w.strip() and not re.fullmatch(r"\W+", w)]

    def transform(
        self,
        texts: Sequence[str],
        lexicon: Sequence[Mapping[str, float]],
        groups: Sequence[str] | None = None,
    ) -> Any:
        """Sparse matrix: lexicon scores, cue profiles (raw and shares), length, the lexicon
        scores and cue shares of the previous and next sentence (adjacent items of the same
        ``groups`` value, i.e. document), TF-IDF, embeddings and their best cosine to each
        strategy's anchors."""
        from scipy.sparse import csr_matrix, hstack

        n = len(self.ids)
        own = []
        for text, lex in zip(texts, lexicon, strict=True):
            cues = self.profiles.scores(text)
            total = sum(cues) + 1e-9
            own.append(
                [3.0 * lex.get(i, 0.0) for i in self.ids]
                + [c / 10 for c in cues]
                + [c / total for c in cues]
                + [len(text) / 100]
            )
        dense = np.asarray(own, dtype=np.float32).reshape(len(texts), 3 * n + 1)
        evidence = np.hstack([dense[:, :n], dense[:, 2 * n : 3 * n]])
        prev, nxt = neighbours(groups, len(texts))
        blocks = [dense, evidence[prev] * (prev >= 0)[:, None], evidence[nxt] * (nxt >= 0)[:, None]]
        if self.embed is not None:
            vectors = np.asarray(self.embed(list(texts)), np.float32) if texts else None
            if vectors is not None and self.anchors is not None:
                sims = _unit(vectors) @ self.anchors.T
                best = [
                    sims[:, self.anchor_labels[:, j]].max(axis=1)
                    if self.anchor_labels[:, j].any()
                    else np.zeros(len(texts), np.float32)
                    for j in range(n)
                ]
                blocks.append(EMBED_SCALE * np.stack(best, axis=1))
            if vectors is not None:
                blocks.append(EMBED_SCALE * vectors)
        parts = [csr_matrix(np.hstack(blocks)), self.tfidf.transform(texts)]
        return hstack(parts).tocsr()


def neighbours(groups: Sequence[str] | None, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Index of each item's previous and next item of the same group (-1 where there is none,
    or no groups are given); items of ``NO_CONTEXT`` groups have no neighbours."""
    prev = np.full(size, -1)
    nxt = np.full(size, -1)
    if groups is None:
        return prev, nxt
    for k in range(1, size):
        if groups[k] == groups[k - 1] and groups[k] not in NO_CONTEXT:
            prev[k], nxt[k - 1] = k - 1, k
    return prev, nxt


def _unit(x: np.ndarray) -> np.ndarray:
    return x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-9)
