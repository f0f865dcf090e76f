"""Find and normalise publication dates (ISO, slashes, 年月日, Chinese numerals, US M/D/Y)."""

from __future__ import annotations

from types import MappingProxyType

from junheng.crawler.extract import resources as R
from junheng.crawler.extract.dom import Line

_DIGITS = MappingProxyType(
    {
        "〇": 0,
        "零": 0,
        "一": 1,
        "二": 2,
        "三": 3,
        "四": 4,
        "五": 5,
        "六": 6,
        "七": 7,
        "八": 8,
        "九": 9,
    }
)
MIN_YEAR, MAX_YEAR = 1990, 2039


def cn_number(text: str) -> int | None:
    """``"十七"`` → 17, ``"二〇二三"`` → 2023, ``"07"`` → 7; ``None`` when not a number."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _DIGITS.get(head, -1) if head else 1
        ones = _DIGITS.get(tail, -1) if tail else 0
        return tens * 10 + ones if tens >= 0 and ones >= 0 else None
    if all(c in _DIGITS for c in text):
        return int("".join(str(_DIGITS[c]) for c in text))
    return None


def make_date(year: int | None, month: int | None, day: int | None) -> str | None:
    """``YYYY-MM-DD`` for a plausible date, else ``None``."""
    if year is None or month is None or day is None:
        return None
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    if (month == 2 and day > 29) or (month in (4, 6, 9, 11) and day > 30):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def find_dates(text: str, *, us: bool = True) -> list[tuple[int, str]]:
    """All dates in ``text`` as ``(offset, "YYYY-MM-DD")`` in order of appearance."""
    found: list[tuple[int, str]] = []
    for pattern in R.DATE_PATTERNS:
        for m in pattern.finditer(text):
            d = make_date(cn_number(m.group(1)), cn_number(m.group(2)), cn_number(m.group(3)))
            if d:
                found.append((m.start(), d))
    if us and not found:
        for m in R.US_DATE.finditer(text):
            d = make_date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
            if d:
                found.append((m.start(), d))
        for m in R.EN_DATE.finditer(text):
            month = R.EN_MONTHS.get(m.group(1)[:3].lower())
            d = make_date(int(m.group(3)), month, int(m.group(2)))
            if d:
                found.append((m.start(), d))
    found.sort()
    return found


def first_date(text: str | None, *, compact: bool = False) -> str | None:
    """The first date in ``text``; with ``compact`` also ``20230417``-style digits."""
    if not text:
        return None
    found = find_dates(text)
    if found:
        return found[0][1]
    if compact:
        for m in R.COMPACT_DATE.finditer(text):
            d = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if d:
                return d
    return None


def url_date(url: str | None) -> str | None:
    """A date embedded in a URL path (``/2023/04/17/``, ``/202304/t20230417_1.html``)."""
    if not url:
        return None
    for m in R.URL_DATE.finditer(url):
        d = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            return d
    return None


def labelled_date(text: str) -> str | None:
    """The date right after a 发布时间/日期 label (two-digit years allowed there)."""
    for m in R.DATE_LABEL.finditer(text):
        tail = text[m.end() : m.end() + 40]
        d = first_date(tail)
        if d:
            return d
        short = R.SHORT_YEAR_DATE.match(tail)
        if short:
            d = make_date(2000 + int(short.group(1)), int(short.group(2)), int(short.group(3)))
            if d:
                return d
    return None


def _script_date(html: str) -> str | None:
    """``datePublished``/``pubtime`` in scripts or data attributes, when unambiguous."""
    found: set[str] = set()
    for i, m in enumerate(R.SCRIPT_DATE.finditer(html)):
        d = first_date(m.group(1) or m.group(2), compact=True)
        if d:
            found.add(d)
        if len(found) > 1 or i > 20:
            return None
    return found.pop() if found else None


def _with_time(lines: list[Line], limit: float) -> str | None:
    for line in lines:
        if line.chars <= limit and line.link_density < 0.5 and R.TIME.search(line.text):
            d = first_date(line.text)
            if d:
                return d
    return None


def find_date(
    header: list[Line],
    body: list[Line],
    all_lines: list[Line],
    meta: dict[str, str],
    html: str,
    url: str | None,
) -> tuple[str | None, str]:
    """The publication date of a page and where it was found.

    Order: publication meta tags, a labelled date in the headline area, structured data in
    scripts, any date in the headline area, a dateline/signature at the start or end of the
    body, a date with a time anywhere, weaker meta tags, a labelled date anywhere, the URL.
    """
    for name in R.DATE_META_NAMES:
        d = first_date(meta.get(name), compact=True)
        if d:
            return d, "date: meta"
    for line in header:
        d = labelled_date(line.text)
        if d:
            return d, "date: labelled headline area"
    d = _script_date(html)
    if d:
        return d, "date: structured data"
    d = _with_time(header, 120)
    if d:
        return d, "date: headline area"
    for line in header:
        d = first_date(line.text)
        if d:
            return d, "date: headline area"
    for line in [*body[:2], *body[-3:]]:
        if line.chars <= 40:
            d = first_date(line.text)
            if d:
                return d, "date: body dateline"
    d = _with_time(all_lines, 80)
    if d:
        return d, "date: timestamp"
    for name in R.WEAK_DATE_META_NAMES:
        d = first_date(meta.get(name), compact=True)
        if d:
            return d, "date: meta (weak)"
    for line in all_lines:
        if line.chars <= 80:
            d = labelled_date(line.text)
            if d:
                return d, "date: labelled line"
    d = url_date(url)
    if d:
        return d, "date: url"
    for line in all_lines:
        if line.chars <= 25 and line.link_density < 0.5:
            d = first_date(line.text)
            if d:
                return d, "date: date line"
    return None, "date: none"
