"""Sentence → region attribution with document context.

A document is cut into sections where the place it talks about changes: a place named as the
subject of a paragraph (湘乡市坚持…, 云和县委…), or self-references that cannot belong to the
current place (区委区政府 after a passage about a 市). Each section takes the place its own
evidence supports — mentions whose unit agrees with its self-references, full or short names —
or, without evidence, its neighbour's or the document's main place when their units agree.
Low-confidence sentences stay unattributed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from junheng.nlp import subjects as S
from junheng.nlp.places import markers, unit_suffix
from junheng.nlp.subjects import SentenceInfo
from junheng.records import Attribution, PlaceMention, Region

CONF_ANCHOR = 0.9
CONF_EVIDENCE = 0.75
CONF_CONTINUED = 0.7
CONF_NEIGHBOUR = 0.6
CONF_MAIN = 0.55


@dataclass(slots=True)
class _Section:
    start_region: Region | None
    units: set[str]
    region: Region | None = None
    sentences: list[int] = field(default_factory=list)
    evidence: Counter[str] = field(default_factory=Counter)
    unknown: bool = False  # about a place junheng cannot resolve: left unattributed
    item: bool = False  # one line of an enumeration (衡水市：冀州区): no passage of its own
    confidence: float = 0.0
    method: str = ""


def _unit_ok(region: Region, units: set[str]) -> bool:
    return not units or unit_suffix(region) in units


def main_region(
    sentences: Sequence[SentenceInfo],
    *,
    title_mentions: Sequence[PlaceMention] = (),
    hint: Region | None = None,
) -> Region | None:
    """The place a document is mainly about: title and frequent mentions, most specific wins."""
    scores: Counter[str] = Counter()
    regions: dict[str, Region] = {}
    # a parent written just before its child (四川省凉山州) only qualifies it
    for _, _, m in S.chains_of(title_mentions):
        scores[m.region.adcode] += 3.0
        regions[m.region.adcode] = m.region
    seen_first = False
    for s in sentences:
        if s.boilerplate:
            continue
        for m in S.evidence(s):
            scores[m.region.adcode] += 1.5 if not seen_first else 1.0
            regions[m.region.adcode] = m.region
            seen_first = True
    if hint is not None:
        scores[hint.adcode] += 5.0
        regions[hint.adcode] = hint
    if not scores:
        return None
    best = max(scores, key=lambda c: (scores[c], -len(regions[c].name)))
    current = regions[best]
    while True:
        children = [
            r
            for c, r in regions.items()
            if r is not current
            and current.contains(r)
            and r.adcode != current.adcode
            and scores[c] >= scores[current.adcode]
        ]
        if not children:
            return current
        current = max(children, key=lambda r: scores[r.adcode])


def attribute(
    sentences: Sequence[SentenceInfo],
    *,
    main: Region | None,
    min_confidence: float = 0.5,
) -> list[tuple[Attribution, ...]]:
    """The places each sentence speaks for (boilerplate sentences get none). ``sentences`` come with
    the places of dispatch lines and cited titles already dropped (``subjects.drop_datelines``)."""
    found = [markers(s.text) if not s.boilerplate else (set(), set()) for s in sentences]
    marks = [strong | weak for strong, weak in found]
    strong_marks = [strong for strong, _ in found]
    evidence = [S.evidence(s) if s.mentions else [] for s in sentences]
    by_code: dict[str, Region] = {}
    paragraphs: dict[tuple[int, int], list[int]] = {}
    part = 0
    named = False  # the current part of a paragraph names a place or speaks of itself
    part_anchor: Region | None = None
    for idx, s in enumerate(sentences):
        if not s.boilerplate:
            members = paragraphs.get((s.paragraph, part))
            if members and named and S.mentions_start(s) and S.opens_clause(s, part_anchor):
                part += 1  # 庐江县…；肥西县全面推行…: a roundup within one paragraph
                members = None
            if not members:
                named = False
                part_anchor = S.anchor_of(s)
            named = named or bool(s.mentions) or bool(marks[idx])
            paragraphs.setdefault((s.paragraph, part), []).append(idx)
            for m in s.mentions:
                by_code[m.region.adcode] = m.region
    sections: list[_Section] = []
    current: _Section | None = None
    for members in paragraphs.values():
        resume: _Section | None = None
        units: set[str] = set()
        for idx in members:
            units |= marks[idx]
        strong = set().union(*(strong_marks[idx] for idx in members))
        anchor = S.anchor_of(sentences[members[0]])
        if (
            anchor is not None
            and S.TOPIC.match(sentences[members[0]].text)
            and not (main is not None and main.contains(anchor))
        ):
            anchor = (
                None  # 在长沙，…: a topic outside the report's place is a scene, not its subject
            )
        own = anchor is not None and S.speaks_for_itself(sentences[members[0]], anchor)
        listed = S.listed_parent(sentences[members[0]]) if anchor is not None else None
        has_mentions = any(sentences[idx].mentions for idx in members)
        # the section's place so far: its anchor, else what its evidence supports up to here
        # (only needed when this paragraph names a place)
        provisional = None
        if current is not None and has_mentions:
            provisional = current.region or _best_evidence(current, by_code, main)
        region = provisional or main
        named = _newly_named(sentences, members, provisional) if has_mentions else None
        if (
            anchor is not None
            and region is not None
            and anchor.contains(region)
            and any(region.contains(m.region) for i in members for m in sentences[i].mentions)
        ):
            own = False  # 晋城市还为阳城县争取到…: the parent acts for the section's own place
        opens = anchor is not None and (
            region is None
            or (current is not None and current.unknown)
            or not _same_or_related(anchor, region, main, own=own)
        )
        speaks = (
            main is not None
            and not has_mentions
            and S.PROVINCE_SPEAKS.match(sentences[members[0]].text) is not None
        )
        meeting = (
            main is not None
            and not has_mentions
            and not units - {unit_suffix(main)}
            and (
                S.MEETING_SPEAKS.match(sentences[members[0]].text) is not None
                or S.TOP_HEADING.match(sentences[members[0]].text) is not None
            )
        )
        if S.unknown_actor(sentences[members[0]]) or (
            not has_mentions and S.NATIONAL.match(sentences[members[0]].text)
        ):
            # 和平区教育局在本市…, 金普新区实施…: some place we cannot resolve acts here; the
            # paragraphs after it go on with the section before it
            resume = current
            current = _Section(None, set(units), unknown=True)
            sections.append(current)
        elif (speaks or meeting) and main is not None:
            # 全省将力争…, 省教育厅有关负责人介绍…: the province speaks after its counties;
            # 会议要求…: the meeting's organiser, the document's place
            back = main.at("province") if speaks else main
            if current is None or current.region != back:
                current = _Section(back, set(units), region=back)
                sections.append(current)
            else:
                current.units |= units
        elif listed is not None and (current is None or current.region != listed):
            # 奎文区、潍城区严格控制大班额: the counties listed share the paragraph
            current = _Section(listed, set(units), region=listed)
            sections.append(current)
        elif listed is not None:
            current.units |= units
        elif current is None or opens:
            current = _Section(anchor, set(units), region=anchor)
            sections.append(current)
        elif (
            units
            and not _compatible(units, current, main)
            and not _parent_only_aside(strong, members, sentences, current, main)
        ):
            current = _Section(None, set(units))
            sections.append(current)
        elif (
            named is not None
            and _unit_ok(named, units)
            and not _same_or_related(named, region, main)
        ):
            # a roundup paragraph naming one other place of the same kind, not as an aside
            current = _Section(named, set(units), region=named)
            sections.append(current)
        elif (
            not units
            and (others := _other_counties(sentences, evidence, members, provisional)) is not None
        ):
            # 如杞县、郏县部分乡村学校…: several other counties, none of them the section's
            current = _Section(others, set(units), region=others)
            sections.append(current)
        elif current.item and not has_mentions:
            # after an enumeration line, a paragraph naming no place is not the item's
            current = _Section(None, set(units))
            sections.append(current)
        else:
            current.units |= units
        if len(members) == 1 and current.sentences == [] and S.item_line(sentences[members[0]]):
            current.item = True
        for idx in members:
            current.sentences.append(idx)
            for m in evidence[idx]:
                current.evidence[m.region.adcode] += 1
        if current.unknown and resume is not None:
            current = resume

    _resolve_sections(sections, by_code, main, strong_marks)

    out: list[tuple[Attribution, ...]] = [()] * len(sentences)
    for sec in sections:
        if sec.region is not None and sec.confidence >= min_confidence:
            for idx in sec.sentences:
                out[idx] = (Attribution(sec.region, sec.confidence, sec.method),)
    return out


def _parent_only_aside(
    strong: set[str],
    members: list[int],
    sentences: Sequence[SentenceInfo],
    current: _Section,
    main: Region | None,
) -> bool:
    """A paragraph of a county report whose only place is the county's parent, with no strong
    self-reference of the parent's kind (全市首批…示范校, 填补池州市…空白): the county's work
    compared with its city's, not the city's passage."""
    region = current.region or main
    if region is None or region.level != "county" or strong - {unit_suffix(region)}:
        return False
    named = {m.region.adcode: m.region for i in members for m in sentences[i].mentions}
    return all(r.contains(region) for r in named.values())


def _newly_named(
    sentences: Sequence[SentenceInfo], members: list[int], region: Region | None
) -> Region | None:
    """The one place (county or city) a paragraph names, when it differs from the section's
    place, which the paragraph does not name; places after 在/赴/与… are asides."""
    if region is None:
        return None
    found: dict[str, Region] = {}
    for idx in members:
        s = sentences[idx]
        aside = False
        prev_end = -1
        for m in sorted(s.mentions, key=lambda m: m.start):
            if region.contains(m.region):
                return None  # the paragraph still talks about the section's place (or inside it)
            if m.region.level == "province" or m.region.contains(region):
                continue  # a parent: 在永州市率先…
            between = s.text[prev_end : m.start] if prev_end >= 0 else ""
            # a list, or a chain (呼和浩特市赛罕区) after an aside, is that aside too
            listed = prev_end >= 0 and (
                between == "" or S.LIST_JOINER.fullmatch(between) is not None
            )
            aside = (
                (aside and listed)
                or bool(S.NOT_SUBJECT.search(s.text[max(0, m.start - 2) : m.start]))
                or s.text.startswith("等", m.end)
            )
            prev_end = m.end
            if not aside:
                found[m.region.adcode] = m.region
    return next(iter(found.values())) if len(found) == 1 else None


def _other_counties(
    sentences: Sequence[SentenceInfo],
    evidence: Sequence[Sequence[PlaceMention]],
    members: list[int],
    region: Region | None,
) -> Region | None:
    """The city (else province) of two or more counties a paragraph names when none of the
    places it names lies in the section's place ``region``."""
    if region is None or any(
        region.contains(m.region) for idx in members for m in sentences[idx].mentions
    ):
        return None
    counties = {
        m.region.adcode: m.region
        for idx in members
        for m in evidence[idx]
        if m.region.level == "county"
    }
    if len(counties) < 2 or any(region.contains(r) for r in counties.values()):
        return None
    parent = S.common_parent(counties.values())
    if parent is not None and parent.level == "city" and parent.contains(region):
        return None
    return parent


def _compatible(units: set[str], section: _Section, main: Region | None) -> bool:
    """Whether a paragraph's self-references can belong to the current section."""
    if section.region is not None:
        own = unit_suffix(section.region)
        if own in units:
            return True
        # a city text may speak of its districts and counties (各区县, 区县教育局)
        return (
            section.region.level == "city"
            and main is not None
            and bool(units & {"区", "县"})
            and main.adcode == section.region.adcode
            and own in section.units
        )
    return not section.units or bool(section.units & units)


def _same_or_related(
    anchor: Region, region: Region, main: Region | None, *, own: bool = False
) -> bool:
    """True when ``anchor`` does not open a new section under ``region``; ``own``: the
    paragraph reports the anchor's own work (see ``subjects.speaks_for_itself``)."""
    if anchor.adcode == region.adcode:
        return True
    if anchor.contains(region):
        # its parent: a comparison (在永州市率先… is no anchor), else the parent's own work
        # (湖南省已有23个县…, 甘南州各县市都在…) when the paragraph says so
        return not own
    # a county of the city the document is about: a city text addressing its counties
    return (
        not own
        and region.level == "city"
        and region.contains(anchor)
        and main is not None
        and main.adcode == region.adcode
    )


def _resolve_sections(
    sections: list[_Section],
    by_code: dict[str, Region],
    main: Region | None,
    strong_marks: Sequence[set[str]],
) -> None:
    for sec in sections:
        if sec.region is not None:
            sec.confidence, sec.method = CONF_ANCHOR, "anchor"
            continue
        if sec.unknown:
            continue
        best = _best_evidence(sec, by_code, main)
        if best is not None:
            sec.region, sec.confidence, sec.method = best, CONF_EVIDENCE, "evidence"
    for k, sec in enumerate(sections):
        if sec.region is not None or sec.unknown:
            continue
        # enumeration lines are no passage to continue or to precede
        prev = next((s for s in reversed(sections[:k]) if not s.item), None)
        nxt = next((s for s in sections[k + 1 :] if s.region is not None and not s.item), None)
        city = _city_of_counties(by_code)
        if (
            city is not None
            and (main is None or main.level == "county" or main.adcode == city.adcode)
            and any(unit_suffix(city) in strong_marks[i] for i in sec.sentences)
        ):
            # 市里已确定…, 我市今年投入… in a text that names only the districts and counties
            # of one city: the city acts (a county-level 市 of the list is not meant)
            sec.region, sec.confidence, sec.method = city, CONF_MAIN, "parent"
        elif (
            prev is not None
            and prev.region is not None
            and _unit_ok(prev.region, sec.units)
            and (sec.start_region is None and not sec.units)
        ):
            sec.region, sec.confidence, sec.method = prev.region, CONF_CONTINUED, "continued"
        elif nxt is not None and nxt.region is not None and _unit_ok(nxt.region, sec.units):
            sec.region, sec.confidence, sec.method = nxt.region, CONF_NEIGHBOUR, "following"
        elif main is not None and _unit_ok(main, sec.units):
            sec.region, sec.confidence, sec.method = main, CONF_MAIN, "document"


def _city_of_counties(by_code: dict[str, Region]) -> Region | None:
    """The one city all the counties a text names lie in (none when it names another city)."""
    counties = [r for r in by_code.values() if r.level == "county"]
    if len(counties) < 2 or any(r.level == "city" for r in by_code.values()):
        return None  # a county-level city speaks of itself as 我市 too
    parent = S.common_parent(counties)
    return parent if parent is not None and parent.level == "city" else None


def _best_evidence(sec: _Section, by_code: dict[str, Region], main: Region | None) -> Region | None:
    """The most mentioned place of the section whose unit agrees with its self-references;
    mentions of a parent count for the child (益阳市一等奖 inside a 沅江 passage)."""
    votes: Counter[str] = Counter()
    for code, n in sec.evidence.items():
        region = by_code[code]
        votes[code] += n
        for other_code in sec.evidence:
            other = by_code[other_code]
            if other_code != code and region.contains(other):
                votes[other_code] += n
    ranked = [by_code[c] for c, _ in votes.most_common() if _unit_ok(by_code[c], sec.units)]
    ranked = [r for r in ranked if r.level != "province"] or ranked
    if not ranked:
        return None
    if main is not None and main.adcode in sec.evidence and _unit_ok(main, sec.units):
        # the document's own place outranks its subunits unless they are named more often
        best_child = max(
            (
                sec.evidence[r.adcode]
                for r in ranked
                if main.contains(r) and r.adcode != main.adcode
            ),
            default=0,
        )
        if sec.evidence[main.adcode] >= best_child:
            return main
    top = votes[ranked[0].adcode]
    tied = [r for r in ranked if votes[r.adcode] == top]
    if len(tied) > 2 and all(r.level == "county" for r in tied):
        # a list of counties, none named more than the others: their city or province
        return S.common_parent(tied)
    return ranked[0]
