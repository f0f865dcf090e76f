"""Rule-based strategy classifier ``lexicon.v1``: strategies from the categories of a sentence's
lexicon measures and the taxonomy's cue measures; instrument from the taxonomy's cue words."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

from junheng.models.taxonomy import Taxonomy
from junheng.records import MeasureMention, StrategyScore

CUE_SCORE = 0.9
LEXICON_SCORE = 0.8
NEW_MEASURE_SCORE = 0.6  # a measure found beyond the lexicon, category guessed
DEFAULT_INSTRUMENT = "capacity_building"


@dataclass(frozen=True, slots=True)
class SentenceInput:
    """What a labeller reads about one sentence: its analysed text, its measures, the
    ``lexicon.v1`` rules' strategies and instrument for it (over the lexicon's and rules' own
    measures), and whether it is boilerplate."""

    text: str
    measures: tuple[MeasureMention, ...]
    evidence: tuple[StrategyScore, ...] = ()
    rule_instrument: str | None = None
    boilerplate: bool = False
    tokens: tuple[str, ...] = ()  # its words, as segmented once by the pipeline


Labels = tuple[tuple[StrategyScore, ...], str | None]


class Labeller(Protocol):
    """Labels the sentences of a batch of documents (strategies and instrument per sentence)
    and aggregates a document's sentence scores."""

    name: str

    def label(self, documents: Sequence[Sequence[SentenceInput]]) -> list[list[Labels]]: ...

    def document(
        self, sentence_scores: Iterable[Iterable[StrategyScore]]
    ) -> tuple[StrategyScore, ...]: ...


class LexiconLabeller:
    """``lexicon.v1`` as a labeller: the rules' own strategies and instrument."""

    name = "lexicon.v1"

    def __init__(self, rules: LexiconClassifier) -> None:
        self.rules = rules

    def label(self, documents: Sequence[Sequence[SentenceInput]]) -> list[list[Labels]]:
        return [
            [((), None) if s.boilerplate else (s.evidence, s.rule_instrument) for s in doc]
            for doc in documents
        ]

    def document(
        self, sentence_scores: Iterable[Iterable[StrategyScore]]
    ) -> tuple[StrategyScore, ...]:
        return document_strategies(sentence_scores, method=self.name)


class SentenceClassifier(Protocol):
    """Maps a sentence and its measures to strategy scores and an instrument type."""

    name: str

    def classify(
        self, text: str, measures: Sequence[MeasureMention]
    ) -> tuple[tuple[StrategyScore, ...], str | None]: ...


class LexiconClassifier:
    """``lexicon.v1``: a sentence gets the categories of the named measures it reports."""

    name = "lexicon.v1"

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._cues = {sid: set(s.cues) for sid, s in taxonomy.strategies.items()}
        self._instrument_cues = [(i.id, i.cues) for i in taxonomy.instruments.values()]

    def classify(
        self, text: str, measures: Sequence[MeasureMention]
    ) -> tuple[tuple[StrategyScore, ...], str | None]:
        scores: dict[str, float] = {}
        for m in measures:
            if m.category is None or m.category not in self.taxonomy.strategies:
                continue
            if m.method != "lexicon":
                base = NEW_MEASURE_SCORE
            elif m.canonical in self._cues[m.category]:
                base = CUE_SCORE
            else:
                base = LEXICON_SCORE
            prev = scores.get(m.category, 0.0)
            scores[m.category] = 1.0 - (1.0 - prev) * (1.0 - base)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], _first_pos(measures, kv[0])))
        strategies = tuple(StrategyScore(sid, round(score, 4), self.name) for sid, score in ranked)
        return strategies, self.instrument(text, measures) if strategies else None

    def instrument(self, text: str, measures: Sequence[MeasureMention]) -> str:
        """The instrument whose cue comes first; a system-changing measure name wins outright."""
        names = " ".join(m.canonical for m in measures)
        best: tuple[int, str] | None = None
        for inst_id, cues in self._instrument_cues:
            for cue in cues:
                if inst_id == "system_changing" and cue in names:
                    return inst_id
                pos = text.find(cue)
                if pos >= 0 and (best is None or pos < best[0]):
                    best = (pos, inst_id)
        return best[1] if best else DEFAULT_INSTRUMENT


def _first_pos(measures: Sequence[MeasureMention], category: str) -> int:
    return min((m.start for m in measures if m.category == category), default=0)


def document_strategies(
    sentence_scores: Iterable[Iterable[StrategyScore]], *, method: str = "lexicon.v1"
) -> tuple[StrategyScore, ...]:
    """Noisy-OR of the sentence scores per strategy: present in any sentence ⇒ present."""
    remaining: dict[str, float] = {}
    for scores in sentence_scores:
        for s in scores:
            remaining[s.id] = remaining.get(s.id, 1.0) * (1.0 - s.score)
    ranked = sorted(remaining.items(), key=lambda kv: kv[1])
    return tuple(StrategyScore(sid, round(1.0 - rest, 4), method) for sid, rest in ranked)


class CueCategorizer:
    """Category of a measure name the lexicon lacks, from the character pairs it shares with
    each strategy's lexicon terms, cue measures and sub-category names (rarer pairs weigh more).
    ``lexicon.v1`` uses it for quoted and verb–object measures."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        lexicon_terms: Iterable[tuple[str, str | None]],
        *,
        min_score: float = 6.0,
    ) -> None:
        profiles: dict[str, set[str]] = {sid: set() for sid in taxonomy.strategies}
        for sid, s in taxonomy.strategies.items():
            for text in (*s.cues, *(name for _, name in s.subcategories), s.name_zh):
                profiles[sid] |= _bigrams(text)
        for term, category in lexicon_terms:
            if category in profiles:
                profiles[category] |= _bigrams(term)
        df: dict[str, int] = {}
        for grams in profiles.values():
            for g in grams:
                df[g] = df.get(g, 0) + 1
        n = len(profiles)
        self._weights = {g: math.log(1 + n / d) for g, d in df.items()}
        self._profiles = profiles
        self.min_score = min_score

    def categorize(self, name: str, *, context: str = "") -> str | None:
        """The best strategy for ``name``; pairs of ``context`` (its sentence) count half."""
        grams = _bigrams(name)
        ctx = _bigrams(context) - grams
        scores = {
            sid: sum(self._weights[g] for g in grams & prof)
            + 0.5 * sum(self._weights[g] for g in ctx & prof)
            for sid, prof in self._profiles.items()
        }
        best = max(scores, key=lambda s: scores[s])
        ranked = sorted(scores.values(), reverse=True)
        if ranked[0] < self.min_score or ranked[0] == ranked[1]:
            return None
        return best


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return {a + b for a, b in pairwise(chars)}
