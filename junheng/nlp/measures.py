"""Named measures (举措): lexicon matches filtered by context.

A lexicon term is not always a measure where it occurs: inside a cited document title
(《…实施意见》), inside an honour (…示范县, …创新区), or as a bare goal or slogan (促进义务教育优质
均衡发展). These filters are the ``lexicon.v1`` rule set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RULES_VERSION = "lexicon.v1"

HONOUR_AFTER = re.compile(
    r"^[^，,。；;、！!？?]{0,10}?(?:示范县|示范区|示范市|示范校|示范学校|创新县|创新区|创新市|实验区|实验县|"
    r"试验区|先进县|先进区|先进单位|先进集体|典型案例|示范单位|特色县|荣誉称号|改革示范|单位)"
)
HONOUR_BEFORE = re.compile(r"(?:获评|评为|授予|荣获|获得|入选|命名为)[^，,。；;]{0,24}$")
# Goals and states rather than measures, unless a measure word follows (创建, 评估, 督导 …).
GOAL_TERM = re.compile(r"(?:均衡发展|优质均衡|基本均衡|素质教育|教育强[市县区省]|教育现代化|择校)$")
GOAL_FOLLOWED_OK = re.compile(r"^(?:创建|评估|认定|督导|验收|县|区|市|示范|先行)")


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
    if HONOUR_AFTER.search(ctx.after) or (
        HONOUR_BEFORE.search(ctx.before) and HONOUR_AFTER.search(ctx.after)
    ):
        return False, "honour"
    if GOAL_TERM.search(canonical) and not GOAL_FOLLOWED_OK.search(ctx.after):
        return False, "goal"
    return True, "lexicon"
