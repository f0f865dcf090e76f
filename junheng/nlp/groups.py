"""Sentences that speak for several places: lists (奎文区、潍城区严格控制大班额; 其中包括双阳区
55所、九台区26所…), pilot lists after 在 with a count (在徐汇、杨浦、闸北、金山4个区先行试点),
group references resolved to a list of the document (我市参评的5个辖市区全部通过认定 … 丹阳、句容、
扬中、京口、润州等5个辖市区参评), and lead sentences of enumerations (具体计划为:章贡区108名; 赣县区
120名; …).

Runs after the section attribution: a sentence keeps its section's place unless it names places
of its own that it speaks for together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from junheng.nlp import subjects as S
from junheng.nlp.places import markers
from junheng.nlp.subjects import SentenceInfo
from junheng.records import Attribution, PlaceMention, Region

CONF_LISTED = 0.8
CONF_GROUP = 0.7
# how far apart two places of one list may be: amounts and classifiers between them
# (双阳区55所、九台区26所), a qualifier (（新市区）) or a list word
_CN_NUM = {
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
# 8个旗县(区), 9个县(市、区), 5个辖市区, 12個縣(市、區), 两区, 山西9地, 七个县(市、区)
GROUP_REF = re.compile(
    r"(?P<n>\d{1,3}|[两二三四五六七八九十]{1,3})\s*(?:个|地|家)?\s*"
    r"(?:辖)?(?:旗县|县市区|县区|市县|区县|县|区|市|旗|地)(?![长委级域内外城])"
)
# the count that closes a list (临夏市、临夏县、和政县等15个县)
LIST_COUNT = re.compile(r"^\s*(?:等|共|这|计)?\s*" + GROUP_REF.pattern)
# what follows a list after 在 when the places are where the work is done (在泰来县、龙江县开展
# 寄宿制学校建设试点), not a venue (在长沙、株洲召开)
WORK_AFTER = re.compile(
    r"^[^，,。；;]{0,4}?(?:开展|实施|推行|推进|启动|试点|先行|建设|建立|组建|试行)"
)
ENUM_LEAD = re.compile(r"(?:[:：]|为|是|如下|包括|分别是|分别为)\s*$")
# a list the text addresses with a task (振兴区、东港市要在2007年…): the city's directive
ADDRESSED = re.compile(r"^\s*(?:要|应|须|需|必须|务必|需要|应当|应该)")


def _number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if token in _CN_NUM:
        return _CN_NUM[token]
    if token.startswith("十") and len(token) == 2:
        return 10 + _CN_NUM.get(token[1], 0)
    if len(token) == 2 and token[1] == "十":
        return _CN_NUM.get(token[0], 0) * 10
    if len(token) == 3 and token[1] == "十":
        return _CN_NUM.get(token[0], 0) * 10 + _CN_NUM.get(token[2], 0)
    return None


def _chains(s: SentenceInfo) -> list[tuple[int, int, PlaceMention]]:
    return S.chains_of(s.mentions)


def listed_places(s: SentenceInfo) -> tuple[list[Region], int | None]:
    """The places a sentence names together in a list (two or more), and the count that
    closes the list (等15个县), if any. A list counts when its first place is one the sentence
    speaks of (not 赴…, 与…), when an enumeration opens it (分别为…, 包括…) or a count closes it
    (在徐汇、杨浦、闸北、金山4个区先行试点: a pilot list, not a venue)."""
    kept = {id(m) for m in S.evidence(s)}
    runs: list[list[tuple[int, int, PlaceMention]]] = []
    for c in _chains(s):
        if runs and c[0] - runs[-1][-1][1] <= S.MAX_LIST_GAP:
            gap = s.text[runs[-1][-1][1] : c[0]]
            if S.LIST_GAP.match(gap) or _qualifier(gap):
                runs[-1].append(c)
                continue
        runs.append([c])
    out: dict[str, Region] = {}
    count = None
    for run in runs:
        closing = LIST_COUNT.match(s.text[run[-1][1] :])
        end = run[-1][1] + (closing.end() if closing else 0)
        if (
            closing is not None
            and s.text.startswith("的", end)
            and GROUP_REF.match(s.text, end + 1)
        ):
            continue  # 长治、忻州和临汾3市的9个县: the places qualify a group named after them
        if len(run) >= 2 and closing is not None:
            count = _number(closing.group("n"))
        if ADDRESSED.match(s.text[end:]):
            continue  # 振兴区、东港市要在2007年…: a city text addressing its districts
        opened = ENUM_LEAD.search(s.text[: run[0][0]].rstrip())
        at_work = WORK_AFTER.match(s.text[end:])
        if id(run[0][2]) in kept or (len(run) >= 2 and (closing or opened or at_work)):
            for _, _, m in run:
                out.setdefault(m.region.adcode, m.region)
    regions = _without_parents([r for r in out.values() if r.level != "province"])
    return regions, count


def _qualifier(gap: str) -> bool:
    """A bracketed aside between two names of one list: 乌鲁木齐高新区(新市区)、…"""
    return bool(re.fullmatch(r"\s*[(（][^()（）]{0,8}[)）]\s*[、,，和及与]?\s*", gap))


def _without_parents(regions: list[Region]) -> list[Region]:
    return [r for r in regions if not any(o is not r and r.contains(o) and o != r for o in regions)]


def group_count(text: str) -> int | None:
    """The number of places a sentence refers to as a group (这9个县, 我市参评的5个辖市区); a
    count that only qualifies another (3市的9个县) gives way to the one it qualifies."""
    found = None
    for m in GROUP_REF.finditer(text):
        n = _number(m.group("n"))
        if n is None or not 2 <= n <= 60:
            continue
        found = n
        if not text.startswith("的", m.end()):
            break
    return found


@dataclass(frozen=True, slots=True)
class _Block:
    """Places named together: one sentence's list, or consecutive short lines that each open
    with a place (乌海市：海南区、乌达区; 章贡区108名; …)."""

    first: int
    last: int
    regions: list[Region]
    count: int | None


def spread(
    sentences: Sequence[SentenceInfo], attributions: list[tuple[Attribution, ...]]
) -> list[tuple[Attribution, ...]]:
    """Attributions with each sentence that speaks for several places given all of them."""
    out = list(attributions)
    listed: list[tuple[list[Region], int | None]] = []
    for k, s in enumerate(sentences):
        if s.boilerplate or not s.mentions:
            listed.append(([], None))
            continue
        regions, count = listed_places(s)
        listed.append((regions, count))
        if len(regions) >= 2 or (len(regions) == 1 and _label_line(s, regions[0])):
            out[k] = tuple(Attribution(r, CONF_LISTED, "listed") for r in regions)
        elif out[k] and (child := _acting_child(s, out[k][0].region)) is not None:
            out[k] = (Attribution(child, CONF_LISTED, "subject"),)
    _national(sentences, out)
    blocks = _blocks(sentences, listed)
    for b in blocks:  # the lead of an enumeration speaks for all of its items
        lead = b.first - 1
        if b.last > b.first and lead >= 0 and _leads(sentences[lead]):
            regions = _without_parents(
                list({r.adcode: r for r in [*_head_item(sentences[lead]), *b.regions]}.values())
            )
            out[lead] = tuple(Attribution(r, CONF_LISTED, "enumeration") for r in regions)
        _after_block(sentences, attributions, out, b)
    blocks = [b for b in blocks if len(b.regions) >= 2]
    if not blocks:
        return out
    for k, s in enumerate(sentences):
        if s.boilerplate or len(listed[k][0]) >= 2:
            continue
        n = group_count(s.text)
        match = _nearest_block(k, n, blocks) if n is not None else None
        if match is None:
            continue
        own = [m.region for m in S.evidence(s) if m.region.level != "province"]
        if own and not all(any(o.contains(r) for r in match) for o in own):
            continue  # the sentence names a place of its own that is not the group's parent
        out[k] = tuple(Attribution(r, CONF_GROUP, "group") for r in match)
    return out


def _national(sentences: Sequence[SentenceInfo], out: list[tuple[Attribution, ...]]) -> None:
    """National policy quoted or summarised (党的十八届三中全会通过的《决定》强调…, 教育部要求…)
    belongs to no place, nor do the sentences of its paragraph (or of its open quotation) that
    go on quoting it without naming a place or speaking of themselves (我市, 全县)."""
    quoting = False
    open_quotes = 0  # a quotation of national text left open goes on into the next paragraph
    paragraph = -1
    for k, s in enumerate(sentences):
        if s.boilerplate:
            continue
        if s.paragraph != paragraph and open_quotes <= 0:
            quoting = False
        paragraph = s.paragraph
        local = [m for m in s.mentions if m.region.level != "province"]
        if S.NATIONAL.match(s.text) and not local:
            quoting, open_quotes = True, 0
        elif local or any(markers(s.text)):
            quoting, open_quotes = False, 0
        if quoting:
            out[k] = ()
            open_quotes += s.text.count("“") - s.text.count("”")


def _acting_child(s: SentenceInfo, current: Region) -> Region | None:
    """A county that opens a sentence inside its city's passage as the subject of its own
    work (如镇沅县委、政府主要领导率先垂范…): the sentence is the county's."""
    if current.level == "county" or not S.mentions_start(s):
        return None
    anchor = S.anchor_of(s)
    if anchor is None or anchor == current or not current.contains(anchor):
        return None
    return anchor if S.opens_clause(s, current) else None


def _after_block(
    sentences: Sequence[SentenceInfo],
    attributions: list[tuple[Attribution, ...]],
    out: list[tuple[Attribution, ...]],
    block: _Block,
) -> None:
    """Sentences after an enumeration that name no place of their own go on with the passage
    before it, not with its last item (…衡水市：冀州区 / 通知要求，各地要… is not 衡水's)."""
    lead = block.first - 1
    if block.last == block.first or lead < 0 or not attributions[lead]:
        return
    last = {a.region.adcode for a in attributions[block.last]}
    for k in range(block.last + 1, len(sentences)):
        s = sentences[k]
        if s.boilerplate:
            continue
        if s.mentions or not out[k] or out[k][0].method == "anchor":
            break
        if not {a.region.adcode for a in out[k]} <= last:
            break
        out[k] = attributions[lead]


def _label_line(s: SentenceInfo, region: Region) -> bool:
    """A line that labels one county with its city (呼和浩特市：武川县)."""
    return len(s.text) <= S.MAX_ITEM_CHARS and any(
        m.region != region and m.region.contains(region) for m in s.mentions
    )


def _blocks(
    sentences: Sequence[SentenceInfo], listed: list[tuple[list[Region], int | None]]
) -> list[_Block]:
    out: list[_Block] = []
    k, n = 0, len(sentences)
    while k < n:
        if S.item_line(sentences[k]):
            j = k
            regions: dict[str, Region] = {}
            while j < n and S.item_line(sentences[j]):
                for r in listed[j][0] or [_head_place(sentences[j])]:
                    regions.setdefault(r.adcode, r)
                j += 1
            if j - k >= 2:
                out.append(_Block(k, j - 1, _without_parents(list(regions.values())), None))
                k = j
                continue
        if len(listed[k][0]) >= 2:
            count = listed[k][1] or group_count(sentences[k].text)  # 这9个县分别为：…
            out.append(_Block(k, k, listed[k][0], count))
        k += 1
    return out


def _nearest_block(k: int, n: int, blocks: list[_Block]) -> list[Region] | None:
    """The block of ``n`` places nearest to sentence ``k``: by its size or its count, else by
    a size off by what recognition may miss or add in a long list (one in ten)."""
    slack = n // 10
    for fits in (
        [b for b in blocks if len(b.regions) == n or b.count == n],
        [b for b in blocks if slack and abs(len(b.regions) - n) <= slack],
    ):
        if fits:
            best = min(fits, key=lambda b: (min(abs(b.first - k), abs(b.last - k)), b.first))
            return best.regions
    return None


def _head_place(s: SentenceInfo) -> Region:
    first = min(s.mentions, key=lambda m: m.start)
    return S.deepest_of_chain(s.mentions, first).region


def _leads(s: SentenceInfo) -> bool:
    """A sentence that introduces an enumeration: its text before the first item ends with
    为/：/包括…, or it ends so itself."""
    if s.boilerplate:
        return False
    chains = _chains(s)
    if chains and ENUM_LEAD.search(s.text[: chains[-1][0]].rstrip()):
        return True
    return bool(ENUM_LEAD.search(s.text.rstrip("。；;，, ")))


def _head_item(s: SentenceInfo) -> list[Region]:
    """The first item when the lead sentence holds it (…具体计划为:章贡区108名;)."""
    chains = _chains(s)
    if not chains:
        return []
    start, _, m = chains[-1]
    return [m.region] if ENUM_LEAD.search(s.text[:start].rstrip()) else []
