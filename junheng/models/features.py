"""Feature pieces for the trained classifiers: taxonomy cue profiles, a one-pass bag of the
pipeline's words (TF-IDF), neighbours within a document."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
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
        return self.scores_of(self.words(text))

    def scores_of(self, words: set[str]) -> list[float]:
        """Scores of a set of (already segmented, CJK, two-character or longer) words."""
        return [sum(weights.get(w, 0.0) for w in words) for weights in self.weights]


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


class WordBag:
    """Words and adjacent word pairs of pre-segmented sentences as a TF-IDF matrix, built in one
    dictionary pass over the tokens (the pipeline segmented the sentences once; nothing is
    segmented again). Pairs are hashed; only pairs seen in training get a column."""

    def __init__(self, min_count: int = 2) -> None:
        self.min_count = min_count
        self.vocab: dict[str, int] = {}
        self.pair_keys = np.zeros(0, np.int64)  # sorted hashed pairs with a column
        self.tfidf: Any = None

    def _flat(self, docs: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Word ids (-1 unknown) of all alphanumeric tokens, and each one's document."""
        get = self.vocab.get
        lengths = []
        ids: list[int] = []
        for d in docs:
            before = len(ids)
            ids.extend(get(w, -1) for w in d if _wordlike(w))
            lengths.append(len(ids) - before)
        rows = np.repeat(np.arange(len(docs)), lengths)
        return np.asarray(ids, np.int64), rows

    @staticmethod
    def _pairs(ids: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if len(ids) < 2:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        a, b = ids[:-1], ids[1:]
        ok = (a >= 0) & (b >= 0) & (rows[:-1] == rows[1:])
        return (a[ok] * 1_000_003 + b[ok]) % (1 << 40), rows[:-1][ok]

    def fit(self, docs: Sequence[Sequence[str]], extra_words: Iterable[str] = ()) -> WordBag:
        from sklearn.feature_extraction.text import TfidfTransformer

        counts = Counter(w for d in docs for w in {w for w in d if _wordlike(w)})
        kept = sorted({w for w, c in counts.items() if c >= self.min_count} | set(extra_words))
        self.vocab = {w: k for k, w in enumerate(kept)}
        ids, rows = self._flat(docs)
        keys, key_rows = self._pairs(ids, rows)
        uniq = np.unique(np.stack([keys, key_rows]), axis=1)[0] if len(keys) else keys
        values, df = np.unique(uniq, return_counts=True)
        self.pair_keys = values[df >= self.min_count]
        self.tfidf = TfidfTransformer(sublinear_tf=True).fit(self.counts(docs))
        return self

    def counts(self, docs: Sequence[Sequence[str]]) -> Any:
        """Raw counts: one column per word, then one per known pair."""
        from scipy.sparse import csr_matrix

        ids, rows = self._flat(docs)
        keys, key_rows = self._pairs(ids, rows)
        width = len(self.vocab)
        pos = np.searchsorted(self.pair_keys, keys)
        pos = np.minimum(pos, max(len(self.pair_keys) - 1, 0))
        known = self.pair_keys[pos] == keys if len(self.pair_keys) else np.zeros(len(keys), bool)
        r = np.concatenate([rows[ids >= 0], key_rows[known]])
        c = np.concatenate([ids[ids >= 0], width + pos[known]])
        shape = (len(docs), width + len(self.pair_keys))
        return csr_matrix((np.ones(len(r), np.float32), (r, c)), shape=shape)

    def transform(self, docs: Sequence[Sequence[str]]) -> tuple[Any, Any]:
        """TF-IDF rows and the binary word (no pair) matrix of ``docs``."""
        counts = self.counts(docs)
        words = counts[:, : len(self.vocab)].tocsr()
        words.data[:] = 1.0
        return self.tfidf.transform(counts), words

    def word_weights(self, weights: Sequence[dict[str, float]]) -> np.ndarray:
        """A ``(vocabulary, len(weights))`` matrix of per-column word weights."""
        out = np.zeros((len(self.vocab), len(weights)), np.float32)
        for j, table in enumerate(weights):
            for w, v in table.items():
                k = self.vocab.get(w)
                if k is not None:
                    out[k, j] = v
        return out


_WORDLIKE = re.compile(r"[^\W_]")


@functools.lru_cache(maxsize=1 << 18)
def _wordlike(token: str) -> bool:
    """Whether a token holds a letter or digit (memoised: the same words recur)."""
    return _WORDLIKE.search(token) is not None
