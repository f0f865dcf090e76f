"""Wires the stages: normalise → spaCy pipeline (sentences, boilerplate, measures, places,
attribution) → classifier → ``AnalysedDocument``. Resources load once per ``Pipeline``."""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from junheng.models.classify import (
    CueCategorizer,
    Labeller,
    LexiconClassifier,
    LexiconLabeller,
    SentenceInput,
)
from junheng.models.taxonomy import Taxonomy, load_taxonomy
from junheng.nlp.clean import SpamCleaner
from junheng.nlp.figures import Figure, attach
from junheng.nlp.gazetteer import Gazetteer, load_gazetteer
from junheng.nlp.language import (
    ATTRIBUTION,
    BOILERPLATE,
    CONTEXT,
    MAIN_REGION,
    RULE_MEASURES,
    SENTENCES,
    DocContext,
    build_language,
    place_region,
    tokens_of,
)
from junheng.nlp.lexicon import Lexicon, load_lexicon
from junheng.nlp.normalize import Normalized, Normalizer, apply_steps, deletions
from junheng.nlp.segment import Segmenter
from junheng.nlp.sentences import SentenceSpan, split_sentences
from junheng.records import (
    AnalysedDocument,
    MeasureMention,
    PlaceMention,
    Region,
    Removal,
    Sentence,
    SourceDocument,
)
from junheng.settings import Settings, load_settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from junheng.models.bundle import ModelBundle
    from junheng.models.tagger import TokenView

# 2: measure-tagger fragments (建设, 学校) label sentences but are not stored as measures
PIPELINE_VERSION = "2"
# A sentence this much made of spam is a spam line, not article text.
SPAM_LINE_SHARE = 0.3
_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """Hash of the text with whitespace collapsed: the same report stored twice counts once."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().encode("utf-8")).hexdigest()


class Pipeline:
    """The analysis pipeline; build one per process and reuse it for every document."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        lexicon: Lexicon | None = None,
        taxonomy: Taxonomy | None = None,
        models: ModelBundle | bool | None = None,
    ) -> None:
        """``models``: a trained bundle to use, ``False`` for the rules alone (``lexicon.v1``),
        ``None`` for what the settings name (``classifier.model``: the built default bundle,
        else the rules)."""
        self.settings = settings or load_settings()
        self._lexicon = lexicon
        self._taxonomy = taxonomy
        self._models = models

    # ------------------------------------------------------------ resources (lazy, once)

    @cached_property
    def lexicon(self) -> Lexicon:
        return self._lexicon or load_lexicon()

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return self._taxonomy or load_taxonomy()

    @cached_property
    def gazetteer(self) -> Gazetteer:
        return load_gazetteer()

    @cached_property
    def segmenter(self) -> Segmenter:
        places = [
            n
            for n, entries in self.gazetteer.names.items()
            if any(e.kind == "full" for e in entries)
        ]
        return Segmenter(self.lexicon.forms(), places, cache_dir=self.settings.cache_path / "jieba")

    @cached_property
    def normalizer(self) -> Normalizer:
        return Normalizer()

    @cached_property
    def cleaner(self) -> SpamCleaner:
        names = self.gazetteer.names
        return SpamCleaner(
            self.segmenter.freq, cut=self.segmenter.cut, is_place=lambda s: s in names
        )

    def use_models(self, models: ModelBundle | None) -> None:
        """Use ``models`` (when given) instead of the default ones; call before analysing."""
        if models is not None:
            self._models = models
            for name in ("models", "nlp", "labeller", "fingerprint"):
                self.__dict__.pop(name, None)

    @cached_property
    def models(self) -> ModelBundle | None:
        """The trained models in use, or ``None`` when the rules (``lexicon.v1``) label."""
        if self._models is False:
            return None
        if self._models is not None and self._models is not True:
            return self._models
        from junheng.models.bundle import default_bundle

        return default_bundle(
            self.settings, taxonomy=self.taxonomy, lexicon=self.lexicon, tokenize=self.segmenter.cut
        )

    @cached_property
    def nlp(self) -> Language:
        nlp = build_language(
            self.segmenter,
            self.lexicon,
            self.gazetteer,
            min_confidence=self.settings.region_min_confidence,
        )
        if self.models is not None:
            nlp.get_pipe("junheng_measure_tagger").setup(
                self.models.tagger,
                self.lexicon.forms(),
                self.taxonomy.strategy_ids,
                self.models.categorize,
            )
        return nlp

    @cached_property
    def classifier(self) -> LexiconClassifier:
        """The ``lexicon.v1`` rules (their scores are also evidence for the trained model)."""
        return LexiconClassifier(self.taxonomy)

    @cached_property
    def labeller(self) -> Labeller:
        """What labels sentences: the trained strategy/instrument models, else the rules."""
        if self.models is not None:
            return self.models.labeller(self.segmenter.cut)
        return LexiconLabeller(self.classifier)

    @cached_property
    def categorizer(self) -> CueCategorizer:
        return CueCategorizer(self.taxonomy, ((e.term, e.category) for e in self.lexicon))

    def _categorize_new(
        self, found: tuple[MeasureMention, ...], sentence: str
    ) -> tuple[MeasureMention, ...]:
        """Categories for measures the lexicon lacks: the strategy whose cues the name itself
        shares, else the category of the sentence's lexicon measures, else the strategy whose
        cues the name and its sentence share."""
        known = [m.category for m in found if m.category is not None]
        out = []
        for m in found:
            if m.category is None:
                category = (
                    self.categorizer.categorize(m.canonical)
                    or (known[0] if known else None)
                    or self.categorizer.categorize(m.canonical, context=sentence)
                )
                m = replace(m, category=category)
            out.append(m)
        return tuple(out)

    @staticmethod
    def _with_figures(
        text: str, a: int, b: int, found: tuple[MeasureMention, ...]
    ) -> tuple[MeasureMention, ...]:
        """Attach the sentence's numbers with units to the nearest measure of their clause."""
        spans = [(m.start - a, m.end - a) for m in found]
        tied = attach(text[a:b], spans)
        return tuple(
            replace(m, figures=tuple(_shift_figure(f, a) for f in figs)) if figs else m
            for m, figs in zip(found, tied, strict=True)
        )

    @cached_property
    def fingerprint(self) -> str:
        """Identifies the analysis: pipeline version, lexicon, segmentation and models."""
        base = f"{PIPELINE_VERSION}:{self.lexicon.fingerprint()}:{self.segmenter.fingerprint}"
        return f"{base}:{self.models.version}" if self.models is not None else base

    # ------------------------------------------------------------ analysis

    def resolve_region(self, hint: str | None) -> Region | None:
        """A region from a hint such as ``湖南省邵阳市武冈市`` or ``武冈市`` (most specific)."""
        if not hint:
            return None
        found: list[Region] = []
        rest = hint.strip()
        for name in sorted(self.gazetteer.names, key=len, reverse=True):
            if name in rest:
                found.extend(e.region for e in self.gazetteer.lookup(name))
                rest = rest.replace(name, " ")
        if not found:
            return None
        found.sort(key=lambda r: {"county": 0, "city": 1, "province": 2}[r.level])
        best = found[0]
        if all(r.contains(best) or best.contains(r) for r in found):
            return best
        return next((r for r in found if all(o.contains(r) or r.contains(o) for o in found)), None)

    def analyse(self, document: SourceDocument) -> AnalysedDocument:
        return next(iter(self.analyse_many([document])))

    def analyse_many(self, documents: Iterable[SourceDocument]) -> Iterator[AnalysedDocument]:
        """Analyse documents in spaCy batches, preserving order."""
        batch: list[_Prepared] = []
        for document in documents:
            batch.append(self._prepare(document))
            if len(batch) >= self.settings.batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _prepare(self, document: SourceDocument) -> _Prepared:
        """Normalise, split sentences, remove injected spam, segment."""
        base = self.normalizer(document.text)
        spans = split_sentences(base.text)
        title = self.normalizer.text(document.title) if document.title else None
        removals = self.cleaner.find(base.text, title=title)
        clean, doc = self._clean_doc(base, removals)
        inserts = self.cleaner.inserted_words(tokens_of(doc).words)
        if inserts:  # found on the cleaned text: map back, then segment once more
            mapped = [(*clean.to_original(a, b), why) for a, b, why in inserts]
            removals = sorted(removals + mapped)
            clean, doc = self._clean_doc(base, removals)
        projected = []
        for sp in spans:
            a, b = clean.from_original(sp.start, sp.end)
            projected.append(SentenceSpan(a, b, sp.paragraph))
        doc.user_data[SENTENCES] = projected
        doc.user_data[CONTEXT] = DocContext(
            title=self.cleaner.clean_title(
                title, (base.text[a:b] for a, b, why in removals if why.startswith("spam"))
            )
            if title
            else None,
            source=self.normalizer.text(document.source) if document.source else None,
            region_hint=self.resolve_region(document.region_hint),
            url=document.url,
        )
        clean_title = doc.user_data[CONTEXT].title
        if clean_title is not None and title is not None and clean_title != title:
            # keep the headline without its injected spam (泛亚电竞), in the script it came in
            document = replace(document, title=_cut_like(document.title or "", title, clean_title))
        return _Prepared(document, base, base.then(clean), spans, removals, doc)

    def _clean_doc(
        self, base: Normalized, removals: list[tuple[int, int, str]]
    ) -> tuple[Normalized, Doc]:
        clean = apply_steps(base.text, [deletions(removals)])
        return clean, self.nlp.make_doc(clean.text)

    def annotate(self, documents: Iterable[SourceDocument]) -> Iterator[tuple[_Prepared, Doc]]:
        """The prepared documents with their spaCy docs after all components (for training)."""
        batch: list[_Prepared] = []
        for document in documents:
            batch.append(self._prepare(document))
            if len(batch) >= self.settings.batch_size:
                yield from zip(batch, self.nlp.pipe([p.doc for p in batch]), strict=True)
                batch = []
        if batch:
            yield from zip(batch, self.nlp.pipe([p.doc for p in batch]), strict=True)

    def annotate_records(self, documents: Iterable[SourceDocument]) -> Iterator[Annotated]:
        """Per document its record before labelling, what the labeller would read, and the
        tagger's token arrays (what the models are trained on)."""
        from junheng.nlp.tagging import doc_view

        categories = {c: k + 1 for k, c in enumerate(self.taxonomy.strategy_ids)}
        for prepared, doc in self.annotate(documents):
            record, inputs = self._to_record(prepared, doc)
            yield Annotated(record, inputs, doc_view(doc, categories), prepared.full)

    def _run(self, batch: list[_Prepared]) -> Iterator[AnalysedDocument]:
        docs = self.nlp.pipe([p.doc for p in batch], batch_size=len(batch))
        drafts = [self._to_record(prepared, doc) for prepared, doc in zip(batch, docs, strict=True)]
        labels = self.labeller.label([inputs for _, inputs in drafts])
        for (record, _), labelled in zip(drafts, labels, strict=True):
            sentences = [
                replace(s, strategies=st, instrument=inst) if st else s
                for s, (st, inst) in zip(record.sentences, labelled, strict=True)
            ]
            main = record.regions[0] if record.regions else None
            yield replace(
                record,
                sentences=tuple(sentences),
                regions=_document_regions(sentences, main),
                strategies=self.labeller.document(
                    s.strategies for s in sentences if not s.boilerplate
                ),
            )

    def _rule_measures(
        self, doc: Doc, norm: Normalized, starts: list[int], n: int
    ) -> list[list[MeasureMention]] | None:
        """Per sentence, the lexicon's and rules' measures before the tagger (its evidence)."""
        rule = doc.user_data.get(RULE_MEASURES)
        if rule is None:
            return None
        out: list[list[MeasureMention]] = [[] for _ in range(n)]
        text = norm.original
        for a0, b0, canonical, category, method in rule:
            k = _sentence_of(starts, a0)
            a, b = norm.to_original(a0, b0)
            out[k].append(MeasureMention(text[a:b], canonical, category, a, b, method))
        return out

    def _to_record(
        self, prepared: _Prepared, doc: Doc
    ) -> tuple[AnalysedDocument, list[SentenceInput]]:
        """The record before labelling (no strategies yet; ``regions`` holds only the main
        place) and what the labeller reads per sentence."""
        document, norm = prepared.document, prepared.full
        text = document.text
        spans = doc.user_data[SENTENCES]
        reasons = list(doc.user_data[BOILERPLATE])
        attributions = doc.user_data[ATTRIBUTION]
        starts = [s.start for s in spans]
        measures: list[list[MeasureMention]] = [[] for _ in spans]
        places: list[list[PlaceMention]] = [[] for _ in spans]
        for span in doc.spans["measures"]:
            k = _sentence_of(starts, span.start_char)
            a, b = norm.to_original(span.start_char, span.end_char)
            measures[k].append(
                MeasureMention(
                    text[a:b],
                    span.kb_id_,
                    span.label_ if span.label_ != "MEASURE" else None,
                    a,
                    b,
                    span.id_ or "lexicon",
                )
            )
        for span in doc.spans["places"]:
            k = _sentence_of(starts, span.start_char)
            a, b = norm.to_original(span.start_char, span.end_char)
            places[k].append(
                PlaceMention(text[a:b], place_region(self.gazetteer, span), a, b, span.kb_id_)
            )
        toks = tokens_of(doc)
        words, token_starts = toks.words, toks.starts
        tokens: list[list[str]] = []
        for span in spans:  # sorted and disjoint: the tokens starting inside each
            i = bisect.bisect_left(token_starts, span.start, 0, len(words))
            j = bisect.bisect_left(token_starts, span.end, i, len(words))
            tokens.append([w for w in words[i:j] if not w.isspace()])
        sentences = []
        inputs = []
        norm_text = norm.text
        spam_share = _removed_share(prepared.spans, prepared.removals)
        before_tagger = self._rule_measures(doc, norm, starts, len(spans))
        for k, s in enumerate(spans):
            a, b = prepared.base.to_original(prepared.spans[k].start, prepared.spans[k].end)
            if reasons[k] is None and (s.end <= s.start or spam_share[k] >= SPAM_LINE_SHARE):
                reasons[k] = "spam"  # a gambling/porn line, or nothing left once spam is gone
            boiler = reasons[k] is not None
            att = attributions[k]
            found = tuple(measures[k]) if not boiler else ()
            if any(m.category is None for m in found):
                found = self._categorize_new(found, norm_text[s.start : s.end])
            if found:
                found = self._with_figures(text, a, b, found)
            sentence_text = norm_text[s.start : s.end]
            if before_tagger is None or boiler:
                evidence = self.classifier.classify(sentence_text, found)
            else:
                rules = tuple(before_tagger[k])
                if any(m.category is None for m in rules):
                    rules = self._categorize_new(rules, sentence_text)
                evidence = self.classifier.classify(sentence_text, rules)
            inputs.append(
                SentenceInput(
                    sentence_text, found, evidence[0], evidence[1], boiler, tuple(tokens[k])
                )
            )
            sentences.append(
                Sentence(
                    start=a,
                    end=b,
                    text=text[a:b],
                    boilerplate=boiler,
                    boilerplate_reason=reasons[k],
                    regions=att if not boiler else (),
                    measures=found,
                    places=tuple(places[k]) if not boiler else (),
                    tokens=tuple(tokens[k]),
                )
            )
        removed = tuple(
            Removal(
                *prepared.base.to_original(a, b), text[slice(*prepared.base.to_original(a, b))], why
            )
            for a, b, why in prepared.removals
        )
        main = doc.user_data.get(MAIN_REGION)
        record = AnalysedDocument(
            source=document,
            removed=removed,
            content_hash=content_hash(text),
            sentences=tuple(sentences),
            regions=(main,) if main is not None else (),
        )
        return record, inputs


@dataclass(frozen=True, slots=True)
class Annotated:
    """A document analysed up to the labeller (see ``Pipeline.annotate_records``)."""

    record: AnalysedDocument
    inputs: list[SentenceInput]
    view: TokenView
    full: Normalized  # the analysed text mapped to the original

    def to_clean(self, start: int, end: int) -> tuple[int, int]:
        """A span of the original text in the analysed text."""
        return self.full.from_original(start, end)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A document between preparation and the spaCy components."""

    document: SourceDocument
    base: Normalized  # normalised text (sentence offsets live here)
    full: Normalized  # cleaned text mapped straight to the original
    spans: list[SentenceSpan]  # sentences over ``base.text``
    removals: list[tuple[int, int, str]]  # deletions over ``base.text``
    doc: Doc


def _shift_figure(f: Figure, offset: int) -> Figure:
    return Figure(f.text, f.value, f.unit, f.start + offset, f.end + offset, f.approximate)


def _cut_like(original: str, normalised: str, cleaned: str) -> str:
    """``original`` with the characters removed from ``normalised`` to give ``cleaned``
    removed too (same length texts: normalisation here is one character per character)."""
    if len(original) != len(normalised):
        return cleaned
    out = []
    j = 0
    for o, n in zip(original, normalised, strict=True):
        if j < len(cleaned) and cleaned[j] == n:
            out.append(o)
            j += 1
    return "".join(out).strip() if j == len(cleaned) else cleaned


def _removed_share(spans: list[SentenceSpan], removals: list[tuple[int, int, str]]) -> list[float]:
    """Per sentence, the share of its characters that injected spam took up."""
    out = []
    for sp in spans:
        gone = sum(max(0, min(b, sp.end) - max(a, sp.start)) for a, b, _ in removals)
        out.append(gone / max(1, sp.end - sp.start))
    return out


def _sentence_of(starts: list[int], pos: int) -> int:
    return bisect.bisect_right(starts, pos) - 1


# attributions that name their place in the sentence or its passage (not inherited)
NAMED_METHODS = frozenset({"anchor", "listed", "subject", "enumeration", "group"})


def _document_regions(sentences: list[Sentence], main: Region | None) -> tuple[Region, ...]:
    """Counties and cities the document reports on: the places of its measure sentences, most
    sentences first, then the places its sentences name as their subject (a measure the
    lexicon does not know is still a measure); else its main place. Province-level
    statements stay on their sentences."""
    counts: Counter[str] = Counter()
    named: dict[str, Region] = {}
    regions: dict[str, Region] = {}
    for s in sentences:
        if s.boilerplate:
            continue
        for a in s.regions:
            if a.region.level == "province":
                continue
            if s.strategies:
                counts[a.region.adcode] += 1
                regions.setdefault(a.region.adcode, a.region)
            elif a.method in NAMED_METHODS:
                named.setdefault(a.region.adcode, a.region)
    ordered = [regions[c] for c, _ in counts.most_common()]
    ordered += [r for c, r in named.items() if c not in regions]
    if ordered:
        return tuple(ordered)
    return (main,) if main is not None and main.level != "province" else ()
