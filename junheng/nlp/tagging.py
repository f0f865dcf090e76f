"""The learned measure tagger as a spaCy component (``junheng_measure_tagger``).

It runs after ``junheng_measures`` and, when a trained tagger is set up, rewrites
``doc.spans["measures"]``: lexicon and rule matches stay where the tagger agrees that their
tokens belong to a measure (terms a researcher added to the corpus's lexicon always stay), and
spans the tagger finds elsewhere are added with ``method = "model"``, a canonical form (the
lexicon term when the span is a lexicon form, else the span's normalised text) and a category;
a span too short or bare to name a measure gets ``method = "fragment"`` (see ``names``).
Without a tagger it changes nothing (``lexicon.v1``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from junheng.models.tagger import MeasureTagger, TokenView, token_view
from junheng.nlp.lexicon import QUOTES, LexiconEntry
from junheng.records import FRAGMENT

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

MODEL_METHOD = "model"
# a count with its measure word or unit (5所, 2个, 1.2万元): a figure, not a measure's name
_COUNT = re.compile(r"[\d.,，．%％]+\D{0,2}")
# Categorise spans found by the model: (names, their sentences) → category ids (or None).
Categorize = Callable[[Sequence[str], Sequence[str]], list[str | None]]


def doc_view(doc: Doc, categories: Mapping[str, int]) -> TokenView:
    """The tagger's arrays for an annotated doc (after ``junheng_measures``)."""
    from junheng.nlp.language import BOILERPLATE, MEASURE_SKIPS, SENTENCES, text_of, tokens_of

    text = text_of(doc)
    reasons = doc.user_data.get(BOILERPLATE) or []
    spans = doc.user_data[SENTENCES]
    sentences = [
        (s.start, s.end) if k >= len(reasons) or reasons[k] is None else (0, 0)
        for k, s in enumerate(spans)
    ]
    kept, rules = [], []
    for span in doc.spans.get("measures", ()):
        if span.id_ in ("quoted", "verb-object"):
            rules.append((span.start_char, span.end_char, span.id_))
        else:
            kept.append((span.start_char, span.end_char, categories.get(span.label_, 0)))
    skipped = [(a, b, rule) for a, b, _term, rule in doc.user_data.get(MEASURE_SKIPS, ())]
    return token_view(text, tokens_of(doc).words, sentences, kept, skipped, rules)


class MeasureTaggerComponent:
    """Applies a trained ``MeasureTagger`` to batches of docs (no-op without one)."""

    tagger: MeasureTagger | None = None

    def setup(
        self,
        tagger: MeasureTagger | None,
        forms: Mapping[str, LexiconEntry],
        categories: Sequence[str],
        categorize: Categorize | None = None,
    ) -> None:
        self.tagger = tagger
        self.forms = forms
        self.categories = {c: k + 1 for k, c in enumerate(categories)}
        self.categorize = categorize

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._apply(batch)
                batch = []
        if batch:
            yield from self._apply(batch)

    def _apply(self, docs: list[Doc]) -> list[Doc]:
        if self.tagger is None:
            return docs
        views = [doc_view(doc, self.categories) for doc in docs]
        probs = self.tagger.probabilities(views)
        new: list[tuple[Doc, Span, str]] = []
        for doc, view, p in zip(docs, views, probs, strict=True):
            new.extend((doc, span, sent) for span, sent in self._relabel(doc, view, p))
        if new and self.categorize is not None:
            cats = self.categorize([s.kb_id_ for _, s, _ in new], [t for _, _, t in new])
            for (_, span, _), cat in zip(new, cats, strict=True):
                if cat:
                    span.label_ = cat
        return docs

    def _relabel(self, doc: Doc, view: TokenView, p: Any) -> list[tuple[Span, str]]:
        """Keep the matches the tagger confirms, add its own spans; returns the new spans with
        their sentence text."""
        from junheng.nlp.language import RULE_MEASURES, SENTENCES, text_of

        assert self.tagger is not None
        text = text_of(doc)
        kept = []
        before = list(doc.spans.get("measures", ()))
        doc.user_data[RULE_MEASURES] = [
            (s.start_char, s.end_char, s.kb_id_, None if s.label_ == "MEASURE" else s.label_, s.id_)
            for s in before
        ]
        for span in before:
            entry = self.forms.get(span.text)
            own = entry is not None and entry.source != "builtin"
            score = self.tagger.inside_score(view, p, span.start_char, span.end_char)
            if own or score >= self.tagger.threshold:
                kept.append(span)
        taken = [(s.start_char, s.end_char) for s in kept]
        sentences = doc.user_data[SENTENCES]
        starts = [s.start for s in sentences]
        added = []
        for a, b, _score in self.tagger.decode(view, p):
            if any(x < b and a < y for x, y in taken):
                continue
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None:
                continue
            surface = text[a:b]
            entry = self.forms.get(surface)
            if entry is not None:
                span.label_ = entry.category or "MEASURE"
                span.kb_id_ = entry.term
            else:
                span.label_ = "MEASURE"
                span.kb_id_ = canonical(surface)
            span.id_ = MODEL_METHOD if entry is not None or names(span.kb_id_) else FRAGMENT
            k = bisect.bisect_right(starts, a) - 1
            sentence = text[sentences[k].start : sentences[k].end] if k >= 0 else surface
            if entry is None:
                added.append((span, sentence))
            kept.append(span)
            taken.append((a, b))
        kept.sort(key=lambda s: s.start_char)
        doc.spans["measures"] = kept
        return added


def names(name: str) -> bool:
    """Whether a span the lexicon lacks can name a measure: not one or two characters (建设,
    学校, 學校: of the gold's 655 dev measures three are that short, of the tagger's spans four
    in ten) and not a bare count (5所)."""
    return len(name) > 2 and not _COUNT.fullmatch(name)


def canonical(surface: str) -> str:
    """The canonical form of a measure the lexicon lacks: its analysed (simplified) text
    without outer quotes and whitespace."""
    return "".join(surface.split()).strip(QUOTES)
