"""Which places a sentence speaks of, and whether a place is the subject of its paragraph:
chains (河北省邢台市威县), partners and destinations (与…, 赴…), dispatch lines, topics
(在蜀山区，…), labels (寿光市：…), lists (奎文区、潍城区…) and the province speaking of itself."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from junheng.records import PlaceMention, Region

# How far into a paragraph's first sentence a place may start and still be its subject.
SUBJECT_WINDOW = 12
LEAD_IN = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]\s*)?"
    r"(?:(?:19|20)\d{2}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:以来|起|来)?[,，]?|近年来[,，]?|"
    r"近期[,，]?|近日[,，]?|目前[,，]?|同时[,，]?|此外[,，]?|另外[,，]?|(?:例如|比如|譬如|如)[,，]?)*"
)
# a paragraph opened by the province itself (the subject, not a comparison: 在全省推广)
PROVINCE_SPEAKS = re.compile(
    LEAD_IN.pattern + r"(?:[^，,。；;“”]{1,6}[，,])?"
    r"(?:全省|我省|本省|省(?:委|政府|人民政府|教育厅)|(?:省|自治区)教育厅(?:有关|相关)?负责人|"
    r"自治区(?:党委|政府|人民政府|教育厅)?(?:[：:]|召开|将|要|出台|印发))"
)
MEETING_SPEAKS = re.compile(
    r"^(?:(?:会议|大会|会上|会后)[，,]?(?:要求|强调|指出|提出|部署|明确)|(?:各地|各县（市、区）|各县市区)要)"
)
# a top-level heading (三、关于发挥优质学校辐射带动作用的建议): a new part of the report
TOP_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、[^。；;]{2,40}$")
# what may come before a clause's subject: a lead-in, or a short phrase and a comma (同期，)
PREAMBLE = re.compile(LEAD_IN.pattern + r"(?:[^，,。；;“”]{1,6}[，,])?")
NOT_SUBJECT = re.compile(
    r"(?:在|赴|到|于|与|向|和|及|从|对|居|获|由|为|给|跟|同|比|往|依托|借助|依靠|受|按照|根据|"
    r"依照|遵照|借鉴|学习|参观|考察|对标|效仿|仿照|走进|来到|邀请|聘请|特邀)$"
)
# a place's own office named as the source or authority of what follows (从…教育局获悉)
SOURCE_BEFORE = re.compile(r"(?:从|按照|根据|据|由|经)$")
OFFICE = re.compile(
    r"(?:教育局|教育和体育局|教体局|教育委员会|教委|人民政府|政府|县委|市委|区委|旗委|党委)"
)
# how far apart two places of one list may be: amounts and classifiers between them
# (双阳区55所、九台区26所), a qualifier (（新市区）) or a list word
MAX_LIST_GAP = 16
LIST_GAP = re.compile(
    r"^[\s\d０-９.．,，、;；和及或以及\-—~～至到]*"
    r"(?:[\d０-９.．]+\s*(?:个|所|名|人|万|亿|元|间|班|校|项|次|处|套|台|座|平方米|%)[\u4e00-\u9fff]{0,6}?)?"
    r"[\s,，、;；和及或以及]*$"
)  # not 与: 郫县与青羊区签订协议 pairs a partner with the actor
# the gap between two items of a list of amounts (改造12所、)
AMOUNT_GAP = re.compile(r"[\u4e00-\u9fff]{0,4}[\d.．]+\s*[\u4e00-\u9fff%]{0,6}?[、，,；;]")
LIST_JOINER = re.compile(r"\s*[、,，和及与]\s*")
HEAD_LIST_JOINER = re.compile(r"\s*[、和及]\s*")  # 与 at a paragraph's head pairs partners
ACTING = re.compile(r"^(?:委|县委|市委|区委|人民政府|政府|教育局|教体局|教育和体育局|党委)")
# After a county's name at the head of a paragraph of a city text: a label (寿光市：) or the
# county acting (昌乐县教育局…, 昌乐县把…) makes the paragraph its own; a directive (浏阳市要…)
# or a list (奎文区、潍城区…) keeps it the city's.
LABEL = re.compile(r"^\s*(?:[:：]|——|—)")
DIRECTIVE = re.compile(r"^(?:要|应|须|需|必须|务必|需要|应当|等|以及|、|,|，|和|及|与)")


@dataclass(slots=True)
class SentenceInfo:
    """What attribution needs to know about one sentence."""

    paragraph: int
    text: str
    mentions: Sequence[PlaceMention]  # offsets relative to the sentence start
    boilerplate: bool = False


# a dispatch line names where it was filed, not what it is about (新华社长沙3月5日电)
DATELINE = re.compile(
    r"(?:社|网|报|台|电视|客户端)\s*([\u4e00-\u9fff]{2,8}?)\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯)"
)


def drop_datelines(sentences: Sequence[SentenceInfo]) -> list[SentenceInfo]:
    """The sentences without the place mentions of their dispatch lines and of the document
    titles they cite (《辽宁省人民政府办公厅转发…》), except a county that opens a title: its
    own plan or case (《渝中区“三个精准”…》, 《黄梅县推进教联体建设实施方案》)."""
    out = []
    for s in sentences:
        spans = [m.span(1) for m in DATELINE.finditer(s.text[:60])]
        kept = [
            m
            for m in s.mentions
            if not any(a <= m.start < b for a, b in spans)
            and (
                s.text.count("《", 0, m.start) <= s.text.count("》", 0, m.start)
                or (m.region.level == "county" and s.text.endswith("《", 0, m.start))
            )
        ]
        if len(kept) != len(s.mentions):
            s = SentenceInfo(s.paragraph, s.text, kept, s.boilerplate)
        out.append(s)
    return out


# a place written as part of a school's name (晋江市华泰实验小学, 沙县区金古小学)
_NOT_IN_SCHOOL_NAME = (
    r"推进|开展|建设|组织|继续|实施|落实|加强|提高|全面|新建|新增|改扩|改建|扩建|建成|创建|举办|召开|投入|"
    r"共建|组建|所有|各类|全部|部分|中小|的|了|和|与|在|对|把|将|为|被|也|还|都|已|要|有|是|等"
)
SCHOOL_AFTER = re.compile(
    r"(?:(?!" + _NOT_IN_SCHOOL_NAME + r")[\u4e00-\u9fff]){0,4}?"
    r"(?:小学|中学|学校|幼儿园|完小|附中|附小|实小|校区|"
    r"[一二三四五六七八九十\d]{1,3}中|[一二三四五六七八九十\d]{1,3}小)"
)


def drop_outside_schools(
    sentences: Sequence[SentenceInfo], main: Region | None
) -> list[SentenceInfo]:
    """The sentences without the places that only name a school of another place than the
    report's (尤溪县西城中心小学与泉州晋江市华泰实验小学结为友好联盟校: 晋江 is a partner)."""
    if main is None:
        return list(sentences)
    out = []
    for s in sentences:
        schools = [
            (a, b)
            for a, b, m in chains_of(s.mentions)
            if not (main.contains(m.region) or m.region.contains(main))
            and SCHOOL_AFTER.match(s.text, b)
        ]  # 泉州晋江市华泰实验小学: the whole chain names the school
        kept = [m for m in s.mentions if not any(a <= m.start < b for a, b in schools)]
        if len(kept) != len(s.mentions):
            s = SentenceInfo(s.paragraph, s.text, kept, s.boilerplate)
        out.append(s)
    return out


# how long a line of an enumeration may be (章贡区108名; 乌海市：海南区、乌达区)
MAX_ITEM_CHARS = 48
ITEM_HEAD = re.compile(r"^[\s•·\-—*]*")
# what an enumeration line holds besides its places: figures, units, the taught (小学教师)
ITEM_FILLER = re.compile(
    r"[\s\d.．,，、;；:：。()（）%\-—]|[个所名人万亿元间班校项次处套台座平方米余约共计各]|小学|初中|中学|"
    r"教师|学校|学位"
)
MAX_ITEM_WORDS = 2


def item_line(s: SentenceInfo) -> bool:
    """A line of an enumeration: it opens with a place and holds little but places and figures
    (章贡区108名; 乌海市：海南区、乌达区), unlike a labelled paragraph (香洲区：新建学校9所…)."""
    if s.boilerplate or not s.mentions or len(s.text) > MAX_ITEM_CHARS:
        return False
    lead = ITEM_HEAD.match(s.text)
    offset = lead.end() if lead else 0
    first = min(s.mentions, key=lambda m: m.start)
    if first.start > offset + 1 or first.region.level == "province":
        return False
    rest = list(s.text)
    for m in s.mentions:
        rest[m.start : m.end] = [" "] * (m.end - m.start)
    words = ITEM_FILLER.sub("", "".join(rest))
    return len(words) <= MAX_ITEM_WORDS


def anchor_of(s: SentenceInfo) -> Region | None:
    """A place named as the subject at the start of a paragraph, or acting (云和县委)."""
    if not s.mentions:
        return None
    lead = LEAD_IN.match(s.text)
    offset = lead.end() if lead else 0
    first = min(s.mentions, key=lambda m: m.start)
    topic = TOPIC.match(s.text)
    if topic is not None:  # 在蜀山区，名校集团化办学已覆盖全区…: the paragraph's topic
        span = topic.span(1)
        chain = [m for a, b, m in chains_of(s.mentions) if (a, b) == span]
        if chain:
            return chain[0].region
    if NOT_SUBJECT.search(s.text[max(0, first.start - 2) : first.start]):
        # 依托北京市对口帮扶，阜平县…: the subject after the adverbial, if one follows at once
        comma = re.search(r"[，,]", s.text[first.end : first.end + 20])
        after = first.end + comma.end() if comma else -1
        follow = [m for m in s.mentions if m.start == after]
        if not follow:
            return None  # 与新疆伊宁县…: a partner, not the actor
        return deepest_of_chain(s.mentions, follow[0]).region
    if first.region.level == "province" and len(s.mentions) > 1:
        deeper = [
            m
            for m in s.mentions
            if m.region.level != "province" and m.start < SUBJECT_WINDOW + offset
        ]
        if deeper:
            first = deeper[0]
    if NOT_SUBJECT.search(s.text[max(0, first.start - 2) : first.start]) or s.text.endswith(
        "《", 0, first.start
    ):
        return None  # 在永州市率先…, 赴长沙市…, 《渝中区…》: a place, not the actor
    first = deepest_of_chain(s.mentions, first)
    if first.start - offset <= SUBJECT_WINDOW:
        return first.region
    if ACTING.match(s.text[first.end :]) and len({m.region.adcode for m in s.mentions}) == 1:
        return first.region
    return None


TOPIC = re.compile(r"^(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]\s*)?在([^，,。；;]{2,12})[，,]")
# national policy quoted before the local part: 《意见》强调…, 教育部负责同志表示…
NATIONAL_BODY = (
    r"(?:国务院|教育部|中共中央|党中央|中办|国办|全国人大|党的十[一二三四五六七八九]+大(?:报告)?|"
    r"(?:党的)?十[一二三四五六七八九]+届[一二三四五六七]中全会)"
)
NATIONAL = re.compile(
    r"^(?:[^，,。；;]{0,8}[，,])?" + NATIONAL_BODY + r"[^，,。；;]{0,24}?"
    r"(?:强调|指出|提出|要求|明确|表示|印发|规定|部署|将|通过)"
)
UNKNOWN_ACTOR = re.compile(
    PREAMBLE.pattern
    + r"((?![在我该本各全今这其县市区])(?!根据|按照|依据|依照|遵照|通过|经过|由于|为了|"
    r"关于|对于|报经|经由|协助)(?:(?!记者|从|据|向|对|由|在|将|把|为)[\u4e00-\u9fff]){2,5}"
    r"(?:[区县市旗](?=委|政府|人民政府|教育局|教体局)|新区|开发区|高新区)"
    r"(?=委|政府|人民政府|教育局|教体局|实施|推进|推行|开展|建成|组建|出台))"
)


def unknown_actor(s: SentenceInfo) -> bool:
    """Whether a paragraph opens with a place name that was not resolved (an ambiguous
    和平区, a functional zone like 金普新区) acting as its subject."""
    m = UNKNOWN_ACTOR.match(s.text)
    if m is None:
        return False
    a, b = m.span(1)
    return not any(x.start < b and a < x.end for x in s.mentions)


def mentions_start(s: SentenceInfo) -> bool:
    """Cheap pre-check for ``opens_clause``: a place is named near the sentence's start."""
    return any(m.start <= SUBJECT_WINDOW + 8 for m in s.mentions)


def opens_clause(s: SentenceInfo, current: Region | None) -> bool:
    """Whether a sentence inside a paragraph starts a passage about another place: it opens
    with that place as the subject of its own work (肥西县全面推行…)."""
    anchor = anchor_of(s)
    if anchor is None or anchor == current or anchor.level == "province":
        return False
    lead = PREAMBLE.match(s.text)
    head = min(s.mentions, key=lambda m: m.start)
    return head.start == (lead.end() if lead else 0) and speaks_for_itself(s, anchor)


def subject_places(text: str, mentions: Sequence[PlaceMention]) -> list[PlaceMention]:
    """The places ``text`` speaks of, without partners, destinations and venues."""
    return evidence(SentenceInfo(0, text, mentions))


def evidence(s: SentenceInfo) -> list[PlaceMention]:
    """The places a sentence speaks of: partners and destinations (与新疆和田地区…, 赴天祝…)
    are left out; a place's own office as the source or authority (从临澧县教育局获悉, 按照
    临潼区教育局…) is not."""
    kept = []
    aside_end = -1  # end of the last aside, so that a list after it (赴安吉县、长兴县) is too
    for start, end, m in chains_of(s.mentions):
        listed = aside_end >= 0 and LIST_JOINER.fullmatch(s.text[aside_end:start]) is not None
        own_office = SOURCE_BEFORE.search(s.text[max(0, start - 2) : start]) and OFFICE.match(
            s.text, end
        )
        if not own_office and (listed or NOT_SUBJECT.search(s.text[max(0, start - 2) : start])):
            aside_end = end
        else:
            aside_end = -1
            kept.append(m)
    return kept


def chains_of(mentions: Sequence[PlaceMention]) -> list[tuple[int, int, PlaceMention]]:
    """Mentions in order, nested places written one after another merged into their last
    (河北省邢台市威县 → 威县): ``(start, end, deepest mention)``."""
    out: list[tuple[int, int, PlaceMention]] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if out and m.start == out[-1][1] and out[-1][2].region.contains(m.region):
            out[-1] = (out[-1][0], m.end, m)
        else:
            out.append((m.start, m.end, m))
    return out


def deepest_of_chain(mentions: Sequence[PlaceMention], first: PlaceMention) -> PlaceMention:
    """The last of the nested places written one after another through ``first``."""
    return next((m for a, b, m in chains_of(mentions) if a <= first.start < b), first)


def listed_parent(s: SentenceInfo) -> Region | None:
    """The city (else province) shared by two or more places listed at the head of a
    paragraph (奎文区、潍城区…; 福州市鼓楼区、厦门市思明区…)."""
    chains = chains_of(s.mentions)
    head = [chains[0]]
    for c in chains[1:]:
        gap = s.text[head[-1][1] : c[0]]
        if not (
            HEAD_LIST_JOINER.fullmatch(gap)
            or (len(gap) <= MAX_LIST_GAP and AMOUNT_GAP.fullmatch(gap) is not None)
        ):  # 讷河市改造12所、依安县20所…: a list with amounts
            break
        head.append(c)
    places = {m.region.adcode: m.region for _, _, m in head}
    if len(places) < 2 or any(r.level != "county" for r in places.values()):
        return None
    return common_parent(places.values())


def common_parent(regions: Iterable[Region]) -> Region | None:
    """The one city (else province) all ``regions`` lie in, or ``None``."""
    regions = list(regions)
    for level in ("city", "province"):
        parents = {r.at(level) for r in regions}
        if len(parents) == 1 and None not in parents:
            return parents.pop()
    return None


def speaks_for_itself(s: SentenceInfo, anchor: Region) -> bool:
    """Whether a paragraph headed by ``anchor`` reports that place's own work: its name is a
    label or the subject of an action, not the addressee of a directive or one of a list."""
    first = next((m for m in s.mentions if m.region == anchor), None)
    if first is None:
        return True
    rest = s.text[first.end :]
    if LABEL.match(rest) or ACTING.match(rest) or TOPIC.match(s.text):
        return True
    if SCHOOL_AFTER.match(rest):
        return False  # 太原五中新校…: the city's school in a district's passage
    return not DIRECTIVE.match(rest)
