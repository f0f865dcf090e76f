"""Named measures (举措): lexicon matches filtered by context.

A lexicon term is not always a measure where it occurs: inside a cited document title
(《…实施意见》), inside an honour (…示范县, …创新区), or as a bare goal or slogan (促进义务教育优质
均衡发展). These filters are the ``lexicon.v1`` rule set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

RULES_VERSION = "lexicon.v1"

HONOUR_AFTER = re.compile(
    r"^[^，,。；;、！!？?]{0,10}?(?:示范县|示范区|示范市|示范校|示范学校|创新县|创新区|创新市|实验区|实验县|"
    r"试验区|先进县|先进区|先进单位|先进集体|典型案例|示范单位|特色县|荣誉称号|改革示范|单位)"
)
HONOUR_BEFORE = re.compile(
    r"(?:获评|评为|授予|荣获|获得|获(?![批准悉知])|入选|命名为|被确定为|列为)[^。；;]{0,60}$"
)
# a list of honours closed as such (…创新县、…典型案例单位等荣誉): every term in it is a title
HONOUR_LIST_AFTER = re.compile(r"^[^。；;]{0,80}?等(?:各类|多项|多个)?(?:荣誉|称号|奖项|殊荣|表彰)")
# Goals and states rather than measures, unless a measure word follows (创建, 评估, 督导 …).
GOAL_TERM = re.compile(r"(?:均衡发展|优质均衡|基本均衡|素质教育|教育强[市县区省]|教育现代化|择校)$")
GOAL_FOLLOWED_OK = re.compile(r"^(?:创建|评估|认定|督导|验收|县|区|市|示范|先行)")

# Terms naming a group, role, organisation, school type or indicator are measures only where the
# clause acts on them (关爱留守儿童, 骨干教师培养, 撤并教学点); alone they name who or what.
_ACTION = (
    "建设|新建|改扩建|扩建|建成|建立|组建|撤并|合并|整合|保留|办好|优化|提质|改造|标准化|规划|增设|创建|"
    "培育|举办|开办|恢复|关爱|帮扶|资助|保障|培养|培训|招聘|补充|配齐|配强|配备|选派|遴选|评选|认定|"
    "治理|整治|规范|取缔|查处|整改|专项|入学|就读|应入尽入|应助尽助|随班|送教|交流|轮岗|管理|梯队|队伍|提高|提升|落实|"
    "新增|压减|严格|审批|监管|高于|不低于|足额|达(?=[\\d百九八七六五四三二一])|"
    "达到|拨付|增加|核定|纳入|实行|实施|推进|开展|覆盖|设立"
)
ACTION_BEFORE = re.compile(rf"(?:{_ACTION})[^，,。；;、]{{0,6}}$")
ACTION_AFTER = re.compile(rf"^[^，,。；;、]{{0,6}}(?:{_ACTION})")
ACTION_AT_START = re.compile(rf"^(?:{_ACTION})")
MONEY_AFTER = re.compile(r"^[^，,。；;]{0,10}?\d+(?:[.,，]\d+)?\s*[万亿]?元")
NEEDS_ACTION = re.compile(
    r"(?:子女|儿童|学生|少年|机构|教研员|教研室|教科所|教师|学校|教学点|安置点)$|"
    r"^(?:生均|每百)|(?:率|比|系数|面积|设备值)$"
)


NEGATED_BEFORE = re.compile(
    r"(?:尚未|没有|暂未|未能|未曾|从未|并未|未|暂不具备条件|不具备条件)"
    r"(?:全面)?(?:推行|实行|实施|开展|建立|组建|落实|出台|启动|设立|建成|推进)?(?:教师|学校)?[“\"‘]?$"
)
ORGANISATION = re.compile(r"(?:委员会|领导小组|督导室)$")
# A shortfall stated about the term (信息化应用水平不高, 师资力量薄弱) is a problem, not a measure.
PROBLEM_AFTER = re.compile(
    r"^[^，,。；;]{0,8}?(?:水平|能力|力度|程度|质量|意识)?(?:不高|不足|不够|不强|不均衡|不平衡|不到位|"
    r"滞后|短缺|欠缺|薄弱|较弱|偏弱|偏低|较低|落后|差距较大|有待提高|有待加强|亟待|问题突出|"
    r"尚未|未达到|未能|仍未|依然存在|仍然存在|仍存在|不完善|不健全|突出(?=[，,。；;]|$))"
)


@dataclass(frozen=True, slots=True)
class MeasureContext:
    """The text around a candidate match, within its sentence."""

    before: str
    term: str
    after: str


def inside_book_title(before: str) -> bool:
    """True when the match sits inside 《…》 (a cited document or programme title)."""
    return before.count("《") > before.count("》")


def keep(ctx: MeasureContext, canonical: str) -> tuple[bool, str]:
    """Whether a lexicon match is a measure here, with the rule that decided."""
    if inside_book_title(ctx.before):
        return False, "document-title"
    if HONOUR_BEFORE.search(ctx.before) and (
        HONOUR_AFTER.search(ctx.after) or HONOUR_LIST_AFTER.search(ctx.after)
    ):
        return False, "honour"
    if GOAL_TERM.search(canonical) and not GOAL_FOLLOWED_OK.search(ctx.after):
        return False, "goal"
    if ORGANISATION.search(canonical) and ctx.after.startswith("办公室"):
        return False, "office"  # 报省政府教育督导委员会办公室: an addressee or issuer
    if NEGATED_BEFORE.search(ctx.before):
        return False, "negated"  # 尚未推行县管校聘, 没有实行学区制
    if PROBLEM_AFTER.search(ctx.after) and not ACTION_BEFORE.search(ctx.before):
        return False, "problem"
    if NEEDS_ACTION.search(canonical) and not (
        ACTION_BEFORE.search(ctx.before)
        or ACTION_AFTER.search(ctx.after)
        or ACTION_AT_START.match(canonical)  # 新建学校3所: the term is the action
        or MONEY_AFTER.match(ctx.after)  # 生均公用经费小学每生每年720元
    ):
        return False, "not-acted-on"
    return True, "lexicon"


# Compounds that reports write apart: (head, tail, the lexicon term they make). The head and tail
# sit in one clause, at most 12 characters apart (为乡村教师每人每月发放生活补助).
GAPPED_TERMS = (
    ("乡村教师", "(?:生活|岗位|工作)(?:补助|补贴)", "乡村教师生活补助"),
    ("投入", "(?:义务)?教育(?:经费|资金)", "教育经费投入"),
)
TermOf = Callable[[re.Match[str]], str]


def split_term_patterns(terms: Mapping[str, str]) -> list[tuple[re.Pattern[str], TermOf]]:
    """Patterns for lexicon terms written apart, each with the term a match stands for.
    ``terms``: form → canonical term. Measures of the form ``X倾斜`` (职称评聘倾斜, 经费倾斜):
    职称评聘中向乡村教师倾斜; and the ``GAPPED_TERMS`` the lexicon has."""
    out: list[tuple[re.Pattern[str], TermOf]] = []
    heads = sorted(
        {f[:-2] for f in terms if f.endswith("倾斜") and "向" not in f and len(f) >= 4},
        key=len,
        reverse=True,
    )
    if heads:  # longest head first: 职称评聘 before 职称
        alt = "|".join(re.escape(h) for h in heads)
        tilt = re.compile(
            rf"(?P<head>{alt})[^，,。；;！!？?]{{0,8}}?向[^，,。；;！!？?]{{1,14}}?倾斜"
        )
        out.append((tilt, lambda m: terms[m.group("head") + "倾斜"]))
    for head, tail, term in GAPPED_TERMS:
        if term in terms:
            gapped = re.compile(rf"{head}[^，,、。；;！!？?]{{1,12}}?{tail}")
            out.append((gapped, lambda _m, term=term: term))
    return out
