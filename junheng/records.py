"""Frozen records passed between pipeline stages.

Flow: ``SourceDocument`` (a file, a JSON line or a crawled page) → ``AnalysedDocument`` holding
``Sentence`` records with their ``MeasureMention``, ``Region`` and ``StrategyScore`` values.
All character offsets index into ``SourceDocument.text`` (the original text, before normalisation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

RegionLevel = Literal["province", "city", "county"]
# Province-level municipalities: their single city row is xx0100.
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
# the method of a measure-tagger span that names no measure (see ``MeasureMention``)
FRAGMENT = "fragment"


@dataclass(frozen=True, slots=True)
class Region:
    """An administrative unit; ``county`` is ``""`` for a city, ``city`` ``""`` for a province."""

    province: str
    city: str
    county: str
    adcode: str

    @property
    def level(self) -> RegionLevel:
        if self.county:
            return "county"
        if self.city:
            return "city"
        return "province"

    @property
    def name(self) -> str:
        return self.county or self.city or self.province

    def at(self, level: RegionLevel) -> Region | None:
        """This region or its ancestor at ``level`` (``None`` when it sits above that level)."""
        if level == "province":
            return Region(self.province, "", "", self.adcode[:2] + "0000")
        if level == "city":
            if not self.city:
                return None
            code = (
                self.adcode[:2] + "0100"
                if self.adcode[:2] in MUNICIPALITIES
                else self.adcode[:4] + "00"
            )
            return Region(self.province, self.city, "", code)
        return self if self.county else None

    def contains(self, other: Region) -> bool:
        """True when ``other`` is this region or lies inside it."""
        if self.province != other.province:
            return False
        if self.city and self.city != other.city:
            return False
        return not (self.county and self.county != other.county)

    def as_dict(self) -> dict[str, str]:
        return {
            "province": self.province,
            "city": self.city,
            "county": self.county,
            "adcode": self.adcode,
        }


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """One input document before analysis.

    ``text`` is what gets analysed: the file's text for .txt, the extracted body for .html.
    """

    location: str
    text: str
    kind: str = "txt"
    title: str | None = None
    published: str | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    region_hint: str | None = None
    encoding: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """Title, metadata and main text extracted from one HTML page."""

    title: str | None
    published: str | None
    body: str
    source: str | None = None
    author: str | None = None
    url: str | None = None
    site_name: str | None = None
    # extraction diagnostics, e.g. ("title: h1", "body: density")
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MeasureMention:
    """A named measure (举措) found in the text; ``term == text[start:end]``.

    ``method = "fragment"`` marks a span the measure tagger took for part of a measure but
    which is too short or bare to name one (建设, 学校, 5所): it still tells the labeller that
    the sentence reports a measure, and ``extract --json`` shows it, but it is not ``named``
    and the corpus does not store it (listings and tables show names only)."""

    term: str
    canonical: str
    category: str | None
    start: int
    end: int
    method: str = "lexicon"
    # numbers with units in the same clause (figures.Figure records)
    figures: tuple[Any, ...] = ()

    @property
    def named(self) -> bool:
        """Whether this is a measure's name (not a ``fragment``)."""
        return self.method != FRAGMENT

    def as_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "canonical": self.canonical,
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "method": self.method,
            "figures": [f.as_dict() for f in self.figures],
        }


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place name found in the text and resolved to a region."""

    surface: str
    region: Region
    start: int
    end: int
    method: str = "gazetteer"


@dataclass(frozen=True, slots=True)
class StrategyScore:
    """A strategy id of the taxonomy with a score in [0, 1] and the method that produced it."""

    id: str
    score: float
    method: str = "lexicon.v1"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": round(self.score, 4), "method": self.method}


@dataclass(frozen=True, slots=True)
class Removal:
    """Injected spam deleted before analysis: ``[start, end)`` of the original, its text, why."""

    start: int
    end: int
    text: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Attribution:
    """A place a sentence speaks for, how sure we are and how it was found."""

    region: Region
    confidence: float
    method: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.region.as_dict(),
            "confidence": round(self.confidence, 3),
            "method": self.method,
        }


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence with its annotations; offsets index into the document's original text.

    ``regions`` are the places the sentence speaks for (a roundup clause or a pilot list names
    several); the first is the main one (``region``)."""

    start: int
    end: int
    text: str
    boilerplate: bool = False
    boilerplate_reason: str | None = None
    regions: tuple[Attribution, ...] = ()
    measures: tuple[MeasureMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    strategies: tuple[StrategyScore, ...] = ()
    instrument: str | None = None
    tokens: tuple[str, ...] = field(default=(), repr=False)

    @property
    def region(self) -> Region | None:
        return self.regions[0].region if self.regions else None

    @property
    def region_confidence(self) -> float:
        return self.regions[0].confidence if self.regions else 0.0

    @property
    def region_method(self) -> str | None:
        return self.regions[0].method if self.regions else None


@dataclass(frozen=True, slots=True)
class AnalysedDocument:
    """A document after the NLP pipeline and the classifier."""

    source: SourceDocument
    content_hash: str
    sentences: tuple[Sentence, ...]
    regions: tuple[Region, ...] = ()
    strategies: tuple[StrategyScore, ...] = ()
    # injected spam deleted before analysis (offsets into the original text)
    removed: tuple[Removal, ...] = ()

    def cleaned_text(self, start: int = 0, end: int | None = None) -> str:
        """The original text (or its ``[start, end)`` span) without the removed spam, in the
        script and width it was written in."""
        end = len(self.source.text) if end is None else end
        out = []
        pos = start
        for r in sorted(self.removed, key=lambda r: r.start):
            if r.end <= pos or r.start >= end:
                continue
            out.append(self.source.text[pos : max(pos, r.start)])
            pos = max(pos, r.end)
        out.append(self.source.text[pos:end])
        return "".join(out)

    @property
    def measures(self) -> tuple[MeasureMention, ...]:
        return tuple(m for s in self.sentences if not s.boilerplate for m in s.measures)

    @property
    def content_sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if not s.boilerplate)
