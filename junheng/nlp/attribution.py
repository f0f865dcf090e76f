"""Sentence → region attribution with document context.

A document is cut into sections where the place it talks about changes: a place named as the
subject of a paragraph (湘乡市坚持…, 云和县委…), or self-references that cannot belong to the
current place (区委区政府 after a passage about a 市). Each section takes the place its own
evidence supports — mentions whose unit agrees with its self-references, full or short names —
or, without evidence, its neighbour's or the document's main place when their units agree.
Low-confidence sentences stay unattributed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from junheng.nlp.places import markers, unit_suffix
from junheng.records import PlaceMention, Region

# How far into a paragraph's first sentence a place may start and still be its subject.
SUBJECT_WINDOW = 12
LEAD_IN = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]\s*)?"
    r"(?:(?:19|20)\d{2}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:以来|起|来)?[,，]?|近年来[,，]?|"
    r"近期[,，]?|近日[,，]?|目前[,，]?|同时[,，]?|此外[,，]?|另外[,，]?)*"
)
PROVINCE_REF = re.compile(
    r"(?:全|我|本|该)省|(?:^|[^\u4e00-\u9fff])(?:省|自治区)(?:委|政府|人民政府|教育厅|党委|召开|出台|印发)"
)
# a paragraph opened by the province itself (the subject, not a comparison: 在全省推广)
PROVINCE_SPEAKS = re.compile(
    LEAD_IN.pattern + r"(?:[^，,。；;“”]{1,6}[，,])?"
    r"(?:全省|我省|本省|省(?:委|政府|人民政府|教育厅)|(?:省|自治区)教育厅(?:有关|相关)?负责人|"
    r"自治区(?:党委|政府|人民政府|教育厅)?(?:[：:]|召开|将|要|出台|印发))"
)
MEETING_SPEAKS = re.compile(r"^(?:会议|大会|会上|会后)[，,]?(?:要求|强调|指出|提出|部署|明确)")
# what may come before a clause's subject: a lead-in, or a short phrase and a comma (同期，)
PREAMBLE = re.compile(LEAD_IN.pattern + r"(?:[^，,。；;“”]{1,6}[，,])?")
NOT_SUBJECT = re.compile(
    r"(?:在|赴|到|于|与|向|和|及|从|对|居|获|由|为|给|跟|同|比|往|依托|借助|依靠|受|按照|根据|"
    r"依照|遵照)$"
)
LIST_JOINER = re.compile(r"\s*[、,，和及与]\s*")
HEAD_LIST_JOINER = re.compile(r"\s*[、和及]\s*")  # 与 at a paragraph's head pairs partners
ACTING = re.compile(r"^(?:委|县委|市委|区委|人民政府|政府|教育局|教体局|教育和体育局|党委)")
# After a county's name at the head of a paragraph of a city text: a label (寿光市：) or the
# county acting (昌乐县教育局…, 昌乐县把…) makes the paragraph its own; a directive (浏阳市要…)
# or a list (奎文区、潍城区…) keeps it the city's.
LABEL = re.compile(r"^\s*(?:[:：]|——|—)")
DIRECTIVE = re.compile(r"^(?:要|应|须|需|必须|务必|需要|应当|等|以及|、|,|，|和|及|与)")

CONF_ANCHOR = 0.9
CONF_EVIDENCE = 0.75
CONF_CONTINUED = 0.7
CONF_NEIGHBOUR = 0.6
CONF_MAIN = 0.55


@dataclass(slots=True)
class SentenceInfo:
    """What attribution needs to know about one sentence."""

    paragraph: int
    text: str
    mentions: Sequence[PlaceMention]  # offsets relative to the sentence start
    boilerplate: bool = False


@dataclass(slots=True)
class _Section:
    start_region: Region | None
    units: set[str]
    region: Region | None = None
    sentences: list[int] = field(default_factory=list)
    evidence: Counter[str] = field(default_factory=Counter)
    province_ref: bool = False  # speaks of itself as a province (全省, 自治区教育厅)
    unknown: bool = False  # about a place junheng cannot resolve: left unattributed
    confidence: float = 0.0
    method: str = ""


@dataclass(frozen=True, slots=True)
class Attribution:
    region: Region | None
    confidence: float
    method: str | None


def _unit_ok(region: Region, units: set[str]) -> bool:
    return not units or unit_suffix(region) in units


# a dispatch line names where it was filed, not what it is about (新华社长沙3月5日电)
DATELINE = re.compile(
    r"(?:社|网|报|台|电视|客户端)\s*([\u4e00-\u9fff]{2,8}?)\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯)"
)


def _drop_datelines(sentences: Sequence[SentenceInfo]) -> list[SentenceInfo]:
    """The sentences without the place mentions of their dispatch lines and of the document
    titles they cite (《辽宁省人民政府办公厅转发…》)."""
    out = []
    for s in sentences:
        spans = [m.span(1) for m in DATELINE.finditer(s.text[:60])]
        kept = [
            m
            for m in s.mentions
            if not any(a <= m.start < b for a, b in spans)
            and s.text.count("《", 0, m.start) <= s.text.count("》", 0, m.start)
        ]
        if len(kept) != len(s.mentions):
            s = SentenceInfo(s.paragraph, s.text, kept, s.boilerplate)
        out.append(s)
    return out


def main_region(
    sentences: Sequence[SentenceInfo],
    *,
    title_mentions: Sequence[PlaceMention] = (),
    hint: Region | None = None,
) -> Region | None:
    """The place a document is mainly about: title and frequent mentions, most specific wins."""
    sentences = _drop_datelines(sentences)
    scores: Counter[str] = Counter()
    regions: dict[str, Region] = {}
    # a parent written just before its child (四川省凉山州) only qualifies it
    for _, _, m in _chains(title_mentions):
        scores[m.region.adcode] += 3.0
        regions[m.region.adcode] = m.region
    seen_first = False
    for s in sentences:
        if s.boilerplate:
            continue
        for m in _evidence(s):
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
) -> list[Attribution]:
    """One attribution per sentence (boilerplate sentences get none)."""
    sentences = _drop_datelines(sentences)
    by_code: dict[str, Region] = {}
    paragraphs: dict[tuple[int, int], list[int]] = {}
    part = 0
    for idx, s in enumerate(sentences):
        if not s.boilerplate:
            members = paragraphs.get((s.paragraph, part))
            named = members and any(
                sentences[i].mentions or any(markers(sentences[i].text)) for i in members
            )
            if named and _opens_clause(s, _anchor(sentences[members[0]])):
                part += 1  # 庐江县…；肥西县全面推行…: a roundup within one paragraph
            paragraphs.setdefault((s.paragraph, part), []).append(idx)
            for m in s.mentions:
                by_code[m.region.adcode] = m.region
    sections: list[_Section] = []
    current: _Section | None = None
    for members in paragraphs.values():
        units: set[str] = set()
        for idx in members:
            strong, weak = markers(sentences[idx].text)
            units |= strong | weak
        anchor = _anchor(sentences[members[0]])
        own = anchor is not None and _speaks_for_itself(sentences[members[0]], anchor)
        listed = _listed_parent(sentences[members[0]]) if anchor is not None else None
        has_mentions = any(sentences[idx].mentions for idx in members)
        # the section's place so far: its anchor, else what its evidence supports up to here
        # (only needed when this paragraph names a place)
        provisional = None
        if current is not None and has_mentions:
            provisional = current.region or _best_evidence(current, by_code, main)
        region = provisional or main
        named = _newly_named(sentences, members, provisional) if has_mentions else None
        opens = anchor is not None and (
            region is None
            or (current is not None and current.unknown)
            or not _same_or_related(anchor, region, main, own=own)
        )
        speaks = (
            main is not None
            and not has_mentions
            and PROVINCE_SPEAKS.match(sentences[members[0]].text) is not None
        )
        meeting = (
            main is not None
            and not has_mentions
            and not units - {unit_suffix(main)}
            and MEETING_SPEAKS.match(sentences[members[0]].text) is not None
        )
        if _unknown_actor(sentences[members[0]]) or (
            not has_mentions and NATIONAL.match(sentences[members[0]].text)
        ):
            # 和平区教育局在本市…, 金普新区实施…: some place we cannot resolve acts here
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
        elif units and not _compatible(units, current, main):
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
        else:
            current.units |= units
        current.province_ref |= any(PROVINCE_REF.search(sentences[i].text) for i in members)
        for idx in members:
            current.sentences.append(idx)
            for m in _evidence(sentences[idx]):
                current.evidence[m.region.adcode] += 1

    _resolve_sections(sections, by_code, main)

    out = [Attribution(None, 0.0, None)] * len(sentences)
    for sec in sections:
        if sec.region is not None and sec.confidence >= min_confidence:
            for idx in sec.sentences:
                out[idx] = Attribution(sec.region, sec.confidence, sec.method)
    return out


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
            listed = prev_end >= 0 and LIST_JOINER.fullmatch(between) is not None
            aside = (
                (aside and listed)
                or bool(NOT_SUBJECT.search(s.text[max(0, m.start - 2) : m.start]))
                or s.text.startswith("等", m.end)
            )
            prev_end = m.end
            if not aside:
                found[m.region.adcode] = m.region
    return next(iter(found.values())) if len(found) == 1 else None


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


def _anchor(s: SentenceInfo) -> Region | None:
    """A place named as the subject at the start of a paragraph, or acting (云和县委)."""
    if not s.mentions:
        return None
    lead = LEAD_IN.match(s.text)
    offset = lead.end() if lead else 0
    first = min(s.mentions, key=lambda m: m.start)
    topic = TOPIC.match(s.text)
    if topic is not None:  # 在蜀山区，名校集团化办学已覆盖全区…: the paragraph's topic
        chain = [m for a, b, m in _chains(s.mentions) if a == topic.start(1) and b == topic.end(1)]
        if chain:
            return chain[0].region
    if NOT_SUBJECT.search(s.text[max(0, first.start - 2) : first.start]):
        # 依托北京市对口帮扶，阜平县…: the subject after the adverbial, if one follows at once
        comma = re.search(r"[，,]", s.text[first.end : first.end + 20])
        after = first.end + comma.end() if comma else -1
        follow = [m for m in s.mentions if m.start == after]
        if not follow:
            return None  # 与新疆伊宁县…: a partner, not the actor
        return _deepest_of_chain(s.mentions, follow[0]).region
    if first.region.level == "province" and len(s.mentions) > 1:
        deeper = [
            m
            for m in s.mentions
            if m.region.level != "province" and m.start < SUBJECT_WINDOW + offset
        ]
        if deeper:
            first = deeper[0]
    if NOT_SUBJECT.search(s.text[max(0, first.start - 2) : first.start]):
        return None  # 在永州市率先…, 赴长沙市…: a place, not the actor
    first = _deepest_of_chain(s.mentions, first)
    if first.start - offset <= SUBJECT_WINDOW:
        return first.region
    if ACTING.match(s.text[first.end :]) and len({m.region.adcode for m in s.mentions}) == 1:
        return first.region
    return None


TOPIC = re.compile(r"^(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]\s*)?在([^，,。；;]{2,12})[，,]")
# national policy quoted before the local part: 《意见》强调…, 教育部负责同志表示…
NATIONAL = re.compile(
    r"^(?:[^，,。；;]{0,8}[，,])?(?:《[^》]{1,40}》|国务院|教育部|中共中央|党中央|国家|中办|国办)"
    r"[^，,。；;]{0,12}?(?:强调|指出|提出|要求|明确|表示|印发|规定|部署)"
)
UNKNOWN_ACTOR = re.compile(
    PREAMBLE.pattern + r"([\u4e00-\u9fff]{1,5}(?:[区县市旗](?=委|政府|人民政府|教育局|教体局)|"
    r"新区|开发区|高新区)(?=委|政府|人民政府|教育局|教体局|实施|推进|推行|开展|建成|组建|出台))"
)


def _unknown_actor(s: SentenceInfo) -> bool:
    """Whether a paragraph opens with a place name that was not resolved (an ambiguous
    和平区, a functional zone like 金普新区) acting as its subject."""
    m = UNKNOWN_ACTOR.match(s.text)
    if m is None:
        return False
    a, b = m.span(1)
    return not any(x.start < b and a < x.end for x in s.mentions)


def _opens_clause(s: SentenceInfo, current: Region | None) -> bool:
    """Whether a sentence inside a paragraph starts a passage about another place: it opens
    with that place as the subject of its own work (肥西县全面推行…)."""
    anchor = _anchor(s)
    if anchor is None or anchor == current or anchor.level == "province":
        return False
    lead = PREAMBLE.match(s.text)
    head = min(s.mentions, key=lambda m: m.start)
    return head.start == (lead.end() if lead else 0) and _speaks_for_itself(s, anchor)


def subject_places(text: str, mentions: Sequence[PlaceMention]) -> list[PlaceMention]:
    """The places ``text`` speaks of, without partners, destinations and venues."""
    return _evidence(SentenceInfo(0, text, mentions))


def _evidence(s: SentenceInfo) -> list[PlaceMention]:
    """The places a sentence speaks of: partners and destinations (与新疆和田地区…, 赴天祝…)
    are left out."""
    kept = []
    for start, _, m in _chains(s.mentions):
        kept.append(m)
        if NOT_SUBJECT.search(s.text[max(0, start - 2) : start]):
            kept.pop()
    return kept


def _chains(mentions: Sequence[PlaceMention]) -> list[tuple[int, int, PlaceMention]]:
    """Mentions in order, nested places written one after another merged into their last
    (河北省邢台市威县 → 威县): ``(start, end, deepest mention)``."""
    out: list[tuple[int, int, PlaceMention]] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if out and m.start == out[-1][1] and out[-1][2].region.contains(m.region):
            out[-1] = (out[-1][0], m.end, m)
        else:
            out.append((m.start, m.end, m))
    return out


def _deepest_of_chain(mentions: Sequence[PlaceMention], first: PlaceMention) -> PlaceMention:
    """The last of the nested places written one after another through ``first``."""
    return next((m for a, b, m in _chains(mentions) if a <= first.start < b), first)


def _listed_parent(s: SentenceInfo) -> Region | None:
    """The city (else province) shared by two or more places listed at the head of a
    paragraph (奎文区、潍城区…; 福州市鼓楼区、厦门市思明区…)."""
    chains = _chains(s.mentions)
    head = [chains[0]]
    for c in chains[1:]:
        if not HEAD_LIST_JOINER.fullmatch(s.text[head[-1][1] : c[0]]):
            break
        head.append(c)
    places = {m.region.adcode: m.region for _, _, m in head}
    if len(places) < 2 or any(r.level != "county" for r in places.values()):
        return None
    for level in ("city", "province"):
        parents = {r.at(level) for r in places.values()}
        if len(parents) == 1 and None not in parents:
            return parents.pop()
    return None


def _speaks_for_itself(s: SentenceInfo, anchor: Region) -> bool:
    """Whether a paragraph headed by ``anchor`` reports that place's own work: its name is a
    label or the subject of an action, not the addressee of a directive or one of a list."""
    first = next((m for m in s.mentions if m.region == anchor), None)
    if first is None:
        return True
    rest = s.text[first.end :]
    if LABEL.match(rest) or ACTING.match(rest) or TOPIC.match(s.text):
        return True
    return not DIRECTIVE.match(rest)


def _same_or_related(
    anchor: Region, region: Region, main: Region | None, *, own: bool = False
) -> bool:
    """True when ``anchor`` does not open a new section under ``region``; ``own``: the
    paragraph reports the anchor's own work (see ``_speaks_for_itself``)."""
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
    sections: list[_Section], by_code: dict[str, Region], main: Region | None
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
        if sec.province_ref and main is not None and main.level == "province":
            sec.region, sec.confidence, sec.method = main, CONF_MAIN, "document"
            continue
        prev = sections[k - 1] if k > 0 else None
        nxt = next((s for s in sections[k + 1 :] if s.region is not None), None)
        if (
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
        for level in ("city", "province"):
            parents = {r.at(level) for r in tied}
            if len(parents) == 1:
                return parents.pop()
        return None
    return ranked[0]
