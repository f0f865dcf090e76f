"""Sentence features for the trained classifiers: lexicon evidence, taxonomy cue profiles,
TF-IDF over jieba words and (optionally) sentence embeddings."""

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
    """Builds the feature matrix; ``fit`` learns the TF-IDF vocabulary from training texts."""

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

    def fit(self, texts: Sequence[str]) -> FeatureBuilder:
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
        return self

    def _words(self, text: str) -> list[str]:
        return [w for w in self.tokenize(text) if w.strip() and not re.fullmatch(r"\W+", w)]

    def transform(self, texts: Sequence[str], lexicon: Sequence[Mapping[str, float]]) -> Any:
        """Sparse matrix: lexicon scores, cue profiles (raw and shares), TF-IDF, embeddings."""
        from scipy.sparse import csr_matrix, hstack

        dense = []
        for text, lex in zip(texts, lexicon, strict=True):
            cues = self.profiles.scores(text)
            total = sum(cues) + 1e-9
            dense.append(
                [3.0 * lex.get(i, 0.0) for i in self.ids]
                + [c / 10 for c in cues]
                + [c / total for c in cues]
                + [len(text) / 100]
            )
        parts = [csr_matrix(np.asarray(dense, dtype=np.float32)), self.tfidf.transform(texts)]
        if self.embed is not None:
            parts.append(csr_matrix(self.embed(list(texts))))
        return hstack(parts).tocsr()
