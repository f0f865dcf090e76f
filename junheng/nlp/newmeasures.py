"""Measures no lexicon lists yet: quoted programme names and verb–object phrases.

Local reports name their own programmes: 实行“一线工作法”, 创新开展“三百工程”, 大力实施学生关爱工程.
A quoted name counts when the clause acts on it (a measure verb before it) or it heads a
programme noun (“四师”行动计划, “瑶族文化进校园”主题教研); scare quotes around ordinary words
(“风向标”, “躺平”) and slogans (“四个意识”) get neither. An unquoted phrase counts when a measure
verb governs a programme head (实施…工程, 实施…计划, 推行…工作法).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass

RULES_VERSION = "beyond.v1"

QUOTED = re.compile(r"[“\"「『‘]([^“”\"「」『』‘’，。；！？,;!?：:（）()]{2,20})[”\"」』’]")
# verbs that put a measure in place
MEASURE_VERB = (
    "实施|推进|推行|开展|实行|建立|创立|搭建|构建|研发|研制|打造|建设|用好|落实|探索|创新|启动|"
    "举办|举行|组织|结合|依托|采取|采用|深化|完善|健全|出台|制定|印发|试行|铺开|推广|创建|设立|"
    "组建|引入|开通|上线"
)
VERB_BEFORE = re.compile(rf"(?:{MEASURE_VERB})[^，,。；;、]{{0,6}}$")
# by 以“新三好”为抓手: a named programme as the vehicle
VEHICLE_AFTER = re.compile(r"^[^，,。；;]{0,20}?为(?:抓手|载体|主线|突破口|引领|重点|核心|平台)")
PROGRAMME_HEAD = (
    "行动计划|工程|计划|行动|标准|机制|平台|模式|工作法|项目|活动|课堂|规划|评选|规定|主题|品牌|"
    "体系|课后服务|创建|制度|工作室|联盟|共同体|网课|课程"
)
HEAD_AFTER = re.compile(rf"^(?:{PROGRAMME_HEAD})")
HONOUR_NEAR = re.compile(r"称号|荣誉|先进|示范[县区市校]|获评|评为|授予")
# a name continuing after its quotes up to a programme noun (“非遗”进校园工程, “四有”标准)
NAME_TAIL = re.compile(
    r"^[^，,。；;、“”「」『』‘’()（）]{1,6}?(?:工程|行动计划|计划)|^(?:标准|工作法)"
)
LONG_HEADS = ("工程", "行动计划", "计划")
STRONG_HEADS = frozenset(
    "工程 行动计划 计划 标准 工作法 创建 活动 评选 规定 平台 课堂 项目".split()
)
# short numeric shorthands (四节, 四有) name something only with a programme noun after them
NUMERIC_SHORT = re.compile(
    r"^[一二三四五六七八九十两百千万]+[\u4e00-\u9fff]?$|^[一二三四五六七八九十两]+个[^一二三四五六七八九十]+$"
)
# heads that make an unquoted verb–object phrase a named measure
VO_HEAD = "工程|行动计划|计划|工作法|机制"
VO_VERB = "实施|推行|开展|实行|创立|打造|研发|搭建|启动|创新开展|创新实施"
VERB_OBJECT = re.compile(
    rf"(?:{VO_VERB})(?P<np>[^，,。；;、“”「」『』‘’《》()（）:：]{{2,16}}?(?:{VO_HEAD}))"
)
LEADING_MODIFIER = re.compile(
    r"^(?:了|好|起|新一轮|新一批|一批|一系列|各项|各类|多项|全面|深入|大力|进一步|全县|全市|全区|全省|"
    r"中小学|校园|学校)+"
)
# counted things, not names: 四项工程, 六大工程
COUNTED = re.compile(r"^[一二三四五六七八九十两\d]+[项大个类批](?:工程|计划|机制)$")
# ordinary words in scare quotes and political slogans: never measures on their own
SLOGAN = re.compile(r"^[一二三四五六七八九十两]个(?:意识|自信|维护|全面|代表|面向|必须|服务)$")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A measure found beyond the lexicon: span within the sentence, canonical form, method."""

    start: int
    end: int
    canonical: str
    method: str


def quoted_names(
    sentence: str, lexicon_forms: Container[str], is_word: Callable[[str], bool] = lambda _w: False
) -> list[Candidate]:
    """Quoted programme names the clause acts on or that head a programme noun.

    ``is_word`` tells ordinary dictionary words (套餐, 孵化器), which in quotes are scare quotes
    unless a programme noun follows.
    """
    out: list[Candidate] = []
    last_end = -1
    chain_acted = False  # “扫盲”、“普六”、“普九”: a list shares the verb of its first item
    for m in QUOTED.finditer(sentence):
        name = m.group(1).strip()
        listed = last_end >= 0 and sentence[last_end : m.start()] in ("、", "，", ",", "和", "及")
        before = sentence[max(0, m.start() - 12) : m.start()]
        after = sentence[m.end() : m.end() + 24]
        acted_on = bool(VERB_BEFORE.search(before) or VEHICLE_AFTER.match(after))
        chain_acted = acted_on or (listed and chain_acted)
        last_end = m.end()
        if name in lexicon_forms or SLOGAN.match(name) or not re.search(r"[\u4e00-\u9fff]", name):
            continue
        if "—" in name or "-" in name:
            continue  # a chain of posts (校长—副校长—主任), not a name
        if HONOUR_NEAR.search(after[:8]) or HONOUR_NEAR.search(before[-8:]):
            continue
        head = HEAD_AFTER.match(after)
        # a name may run on past the quotes up to its programme noun: “非遗”进校园工程
        tail = NAME_TAIL.match(after)
        if tail:
            end = m.end() + tail.end()
        elif head and head.group() in LONG_HEADS:
            end = m.end() + head.end()
        else:
            end = m.end()
        if "、" in name or NUMERIC_SHORT.match(name) or (is_word(name) and not tail):
            # lists, numeric shorthands and ordinary words need a programme noun after them
            ok = tail is not None or (head is not None and head.group() in STRONG_HEADS)
        else:
            ok = bool(head or tail) or chain_acted
        if ok:
            out.append(Candidate(m.start(), end, name, "quoted"))
    return out


def verb_object(sentence: str, lexicon_forms: Container[str]) -> list[Candidate]:
    """Programmes named by a measure verb and a programme head (实施学生关爱工程)."""
    out = []
    for m in VERB_OBJECT.finditer(sentence):
        np_start = m.start("np")
        np = m.group("np")
        trimmed = LEADING_MODIFIER.sub("", np)
        if "的" in trimmed:
            trimmed = trimmed.rsplit("的", 1)[1]
        if len(trimmed) < 4 or trimmed in lexicon_forms or COUNTED.match(trimmed):
            continue
        start = np_start + len(np) - len(trimmed)
        out.append(Candidate(start, m.end("np"), trimmed, "verb-object"))
    return out


def find(
    sentence: str, lexicon_forms: Container[str], is_word: Callable[[str], bool] = lambda _w: False
) -> list[Candidate]:
    """Both rule sets, earlier and longer candidates first, without overlaps."""
    found = quoted_names(sentence, lexicon_forms, is_word) + verb_object(sentence, lexicon_forms)
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Candidate] = []
    for c in found:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out
