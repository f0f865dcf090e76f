"""The spaCy pipeline: ``spacy.blank("zh")`` with our jieba ``Segmenter`` as tokenizer and
components for sentences, boilerplate, lexicon measures, places and region attribution.

Results live on the ``Doc`` as span groups with character offsets (``doc.spans["sentences"]``,
``["measures"]``, ``["places"]``) and, for per-sentence values, in ``doc.user_data``.
Set ``doc.user_data["junheng.context"]`` (title, region hint) before running the components.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from junheng.nlp import attribution, groups, measures, newmeasures, subjects
from junheng.nlp.boilerplate import BoilerplateDetector
from junheng.nlp.gazetteer import Gazetteer
from junheng.nlp.hosts import HostPlaces
from junheng.nlp.lexicon import Lexicon, LexiconEntry
from junheng.nlp.places import ISSUER, PlaceRecognizer, Tokens
from junheng.nlp.segment import Segmenter
from junheng.nlp.sentences import SentenceSpan, split_sentences
from junheng.nlp.tagging import MeasureTaggerComponent
from junheng.nlp.zones import ZoneRecognizer
from junheng.records import PlaceMention, Region

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

CONTEXT = "junheng.context"
TEXT = "junheng.text"
WORDS = "junheng.words"
TOKENS = "junheng.tokens"
SENTENCES = "junheng.sentences"
SITE_REGION = "junheng.site_region"
BOILERPLATE = "junheng.boilerplate"
ATTRIBUTION = "junheng.attribution"
MEASURE_SKIPS = "junheng.measure_skips"
# the lexicon's and rules' measures before the learned tagger re-judged them (start, end,
# canonical, category, method), set only when a tagger runs
RULE_MEASURES = "junheng.rule_measures"
MAIN_REGION = "junheng.main_region"


@dataclass(frozen=True, slots=True)
class DocContext:
    """Document-level context for the components (not part of the analysed text)."""

    title: str | None = None
    source: str | None = None  # the 来源 line: 临澧县教育局 names the place too
    region_hint: Region | None = None
    url: str | None = None  # the page's address: www.lintong.gov.cn names its county


def tokens_of(doc: Doc) -> Tokens:
    """Token texts with character offsets, without building spaCy ``Token`` objects."""
    cached = doc.user_data.get(TOKENS)
    if cached is None:
        cached = doc.user_data[TOKENS] = Tokens(doc.user_data.get(WORDS) or [t.text for t in doc])
    return cached  # type: ignore[no-any-return]


def text_of(doc: Doc) -> str:
    """The document text, cached by our tokenizer (``Doc.text`` joins all tokens each time)."""
    text = doc.user_data.get(TEXT)
    if text is None:
        text = doc.user_data[TEXT] = doc.text
    return str(text)


class JiebaTokenizer:
    """A spaCy tokenizer over our own ``Segmenter``; tokens cover the text exactly."""

    def __init__(self, vocab: Vocab, segmenter: Segmenter) -> None:
        self.vocab = vocab
        self.segmenter = segmenter

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        words = [w for w in self.segmenter.cut(text) if w]
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        doc.user_data[TEXT] = text  # Doc.text is rebuilt on every access; components read this
        doc.user_data[WORDS] = words
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    # spaCy serialisation hooks: the segmenter is rebuilt from the lexicon, not pickled.
    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> JiebaTokenizer:
        return self


# ---------------------------------------------------------------- components


class SentenceComponent:
    """Sentence boundaries by the rules of ``nlp.sentences`` (exact character offsets)."""

    def __call__(self, doc: Doc) -> Doc:
        import numpy
        from spacy.attrs import SENT_START

        spans = doc.user_data.get(SENTENCES)
        if spans is None:  # the caller may split before cleaning (see Pipeline)
            spans = doc.user_data[SENTENCES] = split_sentences(text_of(doc))
        group = []
        starts = numpy.full((len(doc), 1), -1, dtype="int64")
        for s in spans:
            span = (
                doc.char_span(s.start, s.end, alignment_mode="expand") if s.end > s.start else None
            )
            if span is not None:
                starts[span.start, 0] = 1
                group.append(span)
        if len(doc):
            starts[0, 0] = 1
            doc.from_array([SENT_START], starts.astype("uint64"))
        doc.spans["sentences"] = group
        return doc


class BoilerplateComponent:
    """Per-sentence boilerplate reasons (site chrome, metadata, sidebars, garbage)."""

    def setup(self, detector: BoilerplateDetector) -> None:
        self.detector = detector

    def __call__(self, doc: Doc) -> Doc:
        spans = doc.user_data[SENTENCES]
        reasons = self.detector.detect(text_of(doc), spans)
        doc.user_data[BOILERPLATE] = reasons
        for span, reason in zip(doc.spans["sentences"], reasons, strict=False):
            span.label_ = "BOILERPLATE" if reason else "SENTENCE"
        return doc


class MeasureComponent:
    """Lexicon measures with a ``PhraseMatcher``; longest match wins, context rules filter."""

    def setup(self, nlp: Language, lexicon: Lexicon, is_word: Callable[[str], bool]) -> None:
        from spacy.matcher import PhraseMatcher

        self.is_word = is_word
        self.forms: dict[str, LexiconEntry] = lexicon.forms()
        self.partners = overlap_partners(self.forms)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        make_doc = nlp.tokenizer
        for form in self.forms:
            self.matcher.add(form, [make_doc(form)])  # type: ignore[operator]
        self.split_terms = measures.split_term_patterns({f: e.term for f, e in self.forms.items()})

    def _beyond_lexicon(
        self, doc: Doc, text: str, sentences: list[SentenceSpan], lexicon: list[Span]
    ) -> list[Span]:
        """Quoted programme names and verb–object phrases in article sentences."""
        reasons = doc.user_data.get(BOILERPLATE) or [None] * len(sentences)
        taken = [(s.start_char, s.end_char) for s in lexicon]
        out = []
        for sent, reason in zip(sentences, reasons, strict=False):
            if reason is not None or sent.end <= sent.start:
                continue
            for c in newmeasures.find(text[sent.start : sent.end], self.forms, self.is_word):
                a, b = sent.start + c.start, sent.start + c.end
                if any(x < b and a < y for x, y in taken):
                    continue
                span = doc.char_span(
                    a, b, label="MEASURE", kb_id=c.canonical, alignment_mode="expand"
                )
                if span is not None:
                    span.id_ = c.method
                    out.append(span)
        return out

    def matches(self, doc: Doc, text: str) -> list[Span]:
        """Token-aligned phrase matches plus overlapping forms hidden inside glued tokens."""
        found = list(self.matcher(doc, as_spans=True))
        found += _recover_misaligned(doc, text, self.partners, found)
        for pattern, term_of in self.split_terms:  # 职称评聘中向乡村教师倾斜 → 职称评聘倾斜
            for m in pattern.finditer(text):
                span = doc.char_span(m.start(), m.end(), label=term_of(m), alignment_mode="expand")
                if span is not None:
                    found.append(span)
        return found

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        sentences = doc.user_data[SENTENCES]
        starts = [s.start for s in sentences]
        kept = []
        skipped = []
        for span in merge_overlaps(self.matches(doc, text)):
            entry = self.forms[span.label_]
            k = bisect.bisect_right(starts, span.start_char) - 1
            sent_start = sentences[k].start if k >= 0 else 0
            sent_end = sentences[k].end if k >= 0 else len(text)
            ctx = measures.MeasureContext(
                before=text[sent_start : span.start_char],
                term=span.text,
                after=text[span.end_char : max(sent_end, span.end_char)],
            )
            ok, rule = measures.keep(ctx, entry.term)
            if ok:
                span.label_ = entry.category or "MEASURE"
                span.kb_id_ = entry.term
                span.id_ = rule
                kept.append(span)
            else:
                skipped.append((span.start_char, span.end_char, entry.term, rule))
        kept.extend(self._beyond_lexicon(doc, text, sentences, kept))
        kept.sort(key=lambda s: s.start_char)
        doc.spans["measures"] = kept
        doc.user_data[MEASURE_SKIPS] = skipped
        return doc


def overlap_partners(forms: Iterable[str]) -> dict[str, list[tuple[str, int, int]]]:
    """For each form, the forms that can overlap it partly: ``(other, overlap, side)`` where
    side 1 means ``other`` starts inside the form's end (义务教育标准化学校 → 标准化学校建设,
    overlap 5) and side -1 means it ends inside the form's start."""
    forms = list(forms)
    by_prefix: dict[str, list[str]] = {}
    by_suffix: dict[str, list[str]] = {}
    for g in forms:
        for k in range(2, len(g)):
            by_prefix.setdefault(g[:k], []).append(g)
            by_suffix.setdefault(g[-k:], []).append(g)
    partners: dict[str, list[tuple[str, int, int]]] = {}
    for f in forms:
        out = []
        for k in range(2, len(f)):
            out.extend((g, k, 1) for g in by_prefix.get(f[-k:], ()) if g != f)
            out.extend((g, k, -1) for g in by_suffix.get(f[:k], ()) if g != f)
        if out:
            partners[f] = out
    return partners


def _recover_misaligned(
    doc: Doc, text: str, partners: dict[str, list[tuple[str, int, int]]], found: list[Span]
) -> list[Span]:
    """Forms that jieba glued to a neighbouring lexicon word (义务教育标准化学校|建设 hides
    标准化学校建设): taken where they partly overlap a token-aligned match, expanded to whole
    tokens."""
    aligned = {(s.start_char, s.end_char) for s in found}
    out = []
    for span in found:
        x, y = span.start_char, span.end_char
        for other, k, side in partners.get(span.label_, ()):
            a = y - k if side == 1 else x + k - len(other)
            if a < 0 or not text.startswith(other, a):
                continue
            b = a + len(other)
            hit = doc.char_span(a, b, label=other, alignment_mode="expand")
            if hit is not None and (hit.start_char, hit.end_char) not in aligned:
                aligned.add((hit.start_char, hit.end_char))
                out.append(hit)
    return out


def merge_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Resolve overlapping matches: nested ones give way to the longest; partly overlapping ones
    merge into one span named by the match that ends last (Chinese compounds are head-final:
    义务教育标准化学校 + 标准化学校建设 → 义务教育标准化学校建设, a 标准化学校建设 measure)."""
    from spacy.tokens import Span

    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Span] = []
    for span in ordered:
        if out and span.start < out[-1].end:
            last = out[-1]
            if span.end <= last.end:
                continue  # nested inside the previous (longer) match
            out[-1] = Span(span.doc, last.start, span.end, label=span.label_)
        else:
            out.append(span)
    return out


class PlaceComponent:
    """Place mentions resolved against the gazetteer (``doc.spans["places"]``, label = adcode)."""

    def setup(self, recognizer: PlaceRecognizer, segmenter: Segmenter) -> None:
        self.recognizer = recognizer
        self.segmenter = segmenter
        self.zones = ZoneRecognizer(recognizer.gazetteer, segmenter.freq)
        self.hosts = HostPlaces(recognizer.gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        ctx: DocContext = doc.user_data.get(CONTEXT) or DocContext()
        tokens = tokens_of(doc)
        context = [ctx.region_hint] if ctx.region_hint else []
        if ctx.title:
            context.extend(m.region for m in self.title_mentions(ctx.title))
        if ctx.source:
            context.extend(m.region for m in self.title_mentions(ctx.source))
        site = self.hosts.place(ctx.url, context) if ctx.url else None
        doc.user_data[SITE_REGION] = site
        if site is not None:
            context.append(site)
        group = []
        found = self.recognizer.find(tokens, context=context)
        for m in self.zones.find(text_of(doc), found, context):
            span = doc.char_span(
                m.start,
                m.end,
                label=m.region.adcode,
                kb_id=m.method,
                alignment_mode="expand" if m.method == "zone" else "strict",
            )
            if span is not None:
                if m.method == "zone":
                    span.id_ = m.region.county  # its name in this text (武汉经济技术开发区)
                group.append(span)
        doc.spans["places"] = group
        return doc

    def title_mentions(self, title: str) -> list[PlaceMention]:
        return self.recognizer.find(Tokens(self.segmenter.cut(title)))


def place_region(gazetteer: Gazetteer, span: Span) -> Region:
    """The region a place span names: its unit by code, under the name the text uses for a
    renamed or merged unit (新津县 for today's 新津区) or a zone (武汉经济技术开发区)."""
    region = gazetteer.by_adcode[span.label_]
    if span.kb_id_ == "former" and region.level == "county":
        return replace(region, county=span.text)
    if span.kb_id_ == "zone" and span.id_:
        return replace(region, county=span.id_)
    return region


def _source_mentions(places: PlaceComponent, source: str) -> list[PlaceMention]:
    """Places of a 来源: a bureau's place, but not the province of a provincial paper or
    portal (四川日报 reports on all of 四川)."""
    found = places.title_mentions(source)
    if ISSUER.search(source):
        return found
    return [m for m in found if m.region.level != "province"]


class AttributionComponent:
    """Region per sentence from the document's places, sections and self-references."""

    def setup(self, gazetteer: Gazetteer, places: PlaceComponent, min_confidence: float) -> None:
        self.gazetteer = gazetteer
        self.places = places
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        ctx: DocContext = doc.user_data.get(CONTEXT) or DocContext()
        spans = doc.user_data[SENTENCES]
        reasons = doc.user_data[BOILERPLATE]
        by_sentence: list[list[PlaceMention]] = [[] for _ in spans]
        starts = [s.start for s in spans]
        for span in doc.spans["places"]:
            k = bisect.bisect_right(starts, span.start_char) - 1
            if k < 0 or span.end_char > spans[k].end:
                continue
            offset = spans[k].start
            by_sentence[k].append(
                PlaceMention(
                    span.text,
                    place_region(self.gazetteer, span),
                    span.start_char - offset,
                    span.end_char - offset,
                    span.kb_id_,
                )
            )
        text = text_of(doc)
        infos = [
            attribution.SentenceInfo(
                s.paragraph, text[s.start : s.end], by_sentence[k], reasons[k] is not None
            )
            for k, s in enumerate(spans)
        ]
        infos = subjects.drop_datelines(infos)  # 新华社长沙…电 names no subject
        title_mentions = []
        if ctx.title:  # not the places a headline only mentions (推进会在吴忠召开)
            title_mentions = subjects.subject_places(
                ctx.title, self.places.title_mentions(ctx.title)
            )
        hint = ctx.region_hint
        if ctx.source:  # a publishing bureau counts like a headline mention
            from_source = _source_mentions(self.places, ctx.source)
            title_mentions = [*title_mentions, *from_source]
            named = {m.region for m in from_source}
            if hint is None and len(named) == 1 and ISSUER.search(ctx.source):
                (only,) = named
                if only.level == "province":
                    hint = only  # 宁夏回族自治区教育厅 reports on its province, whatever it names
        main = attribution.main_region(infos, title_mentions=title_mentions, hint=hint)
        if main is None:  # nothing in the text names its place: the site may (www.lintong.gov.cn)
            main = doc.user_data.get(SITE_REGION)
        infos = subjects.drop_outside_schools(infos, main)  # partner schools elsewhere
        doc.user_data[MAIN_REGION] = main
        doc.user_data[ATTRIBUTION] = groups.spread(
            infos, attribution.attribute(infos, main=main, min_confidence=self.min_confidence)
        )
        return doc


COMPONENTS: dict[str, type] = {
    "junheng_sentences": SentenceComponent,
    "junheng_boilerplate": BoilerplateComponent,
    "junheng_measures": MeasureComponent,
    "junheng_measure_tagger": MeasureTaggerComponent,
    "junheng_places": PlaceComponent,
    "junheng_attribution": AttributionComponent,
}


def _register_factories() -> None:
    """Make the component names known to spaCy (idempotent; done on first build, not import)."""
    from spacy.language import Language

    for name, cls in COMPONENTS.items():
        if not Language.has_factory(name):
            Language.factory(name, func=lambda nlp, name, cls=cls: cls())


def build_language(
    segmenter: Segmenter,
    lexicon: Lexicon,
    gazetteer: Gazetteer,
    *,
    min_confidence: float = 0.5,
) -> Language:
    """Assemble the pipeline: blank Chinese, our tokenizer, then the components (the measure
    tagger stays a no-op until ``setup`` gives it a trained model)."""
    import spacy

    _register_factories()
    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, segmenter)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    nlp.get_pipe("junheng_boilerplate").setup(BoilerplateDetector(segmenter.char_freq))
    nlp.get_pipe("junheng_measures").setup(nlp, lexicon, lambda w: segmenter.freq(w) > 0)
    places = nlp.get_pipe("junheng_places")
    places.setup(PlaceRecognizer(gazetteer, segmenter.freq, segmenter.is_common_word), segmenter)
    nlp.get_pipe("junheng_attribution").setup(gazetteer, places, min_confidence)
    return nlp
