"""Figures tied to measures: numbers with units in the same clause (交流轮岗300余人次,
新增学位8548个, 投入5.5亿元, 覆盖率达100%)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_UNITS = (
    "亿元 万元 千元 元 万人次 人次 万人 人 名 位 所 个 套 间 栋 幢 平方米 万平方米 ㎡ 亩 "
    "台 件 册 本 节 班 项 批 期 场 次 小时 课时 学时 周 天 公里 千米 米 兆 % ％ 个百分点 百分点 倍"
).split()
UNITS = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
NUMBER = r"(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[一二三四五六七八九十两百千]+)"
FIGURE = re.compile(rf"{NUMBER}\s*(?P<scale>[万亿])?(?P<approx>余|多)?\s*(?P<unit>{UNITS})")
CLAUSE_BREAK = re.compile(r"[，,；;。！!？?]")
CN_DIGITS = dict(zip("一二两三四五六七八九", (1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
CN_UNITS = {"十": 10, "百": 100, "千": 1000}


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with its unit as written, and its value with 万/亿 applied."""

    text: str
    value: float
    unit: str
    start: int
    end: int
    approximate: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "start": self.start,
            "end": self.end,
            "approximate": self.approximate,
        }


def chinese_number(s: str) -> float | None:
    """Small Chinese numerals: 三 → 3, 十二 → 12, 三百 → 300, 两千 → 2000."""
    total, current = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
        else:
            return None
    return float(total + current)


def find_figures(text: str) -> list[Figure]:
    """Every number-with-unit in ``text``; years (2023年) and dates are not figures."""
    out = []
    for m in FIGURE.finditer(text):
        raw = m.group("num")
        value = float(re.sub("[,，]", "", raw)) if raw[0].isdigit() else chinese_number(raw)
        if value is None:
            continue
        if m.group("scale") == "万":
            value *= 10_000
        elif m.group("scale") == "亿":
            value *= 100_000_000
        value = round(value, 4)
        unit = m.group("unit")
        if unit in ("万元", "万人", "万人次", "万平方米"):
            value *= 10_000
            unit = unit[1:]
        elif unit == "亿元":
            value *= 100_000_000
            unit = "元"
        elif unit == "％":
            unit = "%"
        out.append(Figure(m.group(), value, unit, m.start(), m.end(), bool(m.group("approx"))))
    return out


def attach(text: str, measures: Sequence[tuple[int, int]]) -> list[list[Figure]]:
    """For each measure span, the figures of its clause that no nearer measure claims."""
    figures = find_figures(text)
    out: list[list[Figure]] = [[] for _ in measures]
    if not measures:
        return out
    breaks = [m.start() for m in CLAUSE_BREAK.finditer(text)]

    def clause(pos: int) -> int:
        return sum(1 for b in breaks if b < pos)

    for f in figures:
        c = clause(f.start)
        best = None
        for k, (a, b) in enumerate(measures):
            if clause(a) != c or (a < f.end and f.start < b):
                continue
            distance = f.start - b if f.start >= b else a - f.end
            if best is None or distance < best[0]:
                best = (distance, k)
        if best is not None:
            out[best[1]].append(f)
    return out
