"""Main text block: score lines by CJK text vs link/chrome weight and keep the best run."""

from __future__ import annotations

from lxml import etree

from junheng.crawler.extract import resources as R
from junheng.crawler.extract.dom import Line, tag_of

# lines worth at least this much (about one sentence) make a run "prose"
_PROSE = 100.0
_BENIGN_TAGS = frozenset({"li", "dt", "dd", "th", "option"})
_MAX_LEAD = 3
_MAX_UP = 6


def is_chrome(line: Line) -> bool:
    """True for a short line of page chrome (copyright, share, print/close, prev/next …)."""
    return line.chars <= 80 and R.CHROME_LINE.search(line.text) is not None


def line_value(line: Line, *, lenient: bool = False) -> float:
    """Positive for prose-like text, negative for links, labels, chrome and keyword spam.

    With ``lenient`` short unpunctuated lines (verse, lists) count as text too.
    """
    n = line.chars
    if not n:
        return 0.0
    if is_chrome(line):
        return -1.5 * n
    if line.link_chars * 2 > n:
        return -1.0 * n
    text = n - line.link_chars
    punct = len(R.CJK_SENTENCE_PUNCT.findall(line.text))
    row = tag_of(line.owner) == "tr"  # a data-table row
    if text >= 100 and not row and len(R.ANY_SENTENCE_PUNCT.findall(line.text)) * 150 < text:
        return -1.0 * n  # a long run of words without sentences: keyword spam
    if punct or (text >= 25 and not row and not R.MENU_WORDS.match(line.text)):
        return text * (1.0 + min(punct, 4) * 0.1) - line.link_chars
    if lenient:
        return 0.5 * text - line.link_chars
    return -0.5 * text - line.link_chars


def _benign(line: Line) -> bool:
    """A short plain line (dateline, subheading, signature) that may border the body."""
    if R.ATTACHMENT.search(line.text) and line.chars <= 80:
        return True
    tag = tag_of(line.owner)
    return (
        (line.chars <= 40 or tag == "tr")
        and line.link_chars <= 0.7 * line.chars
        and not is_chrome(line)
        and tag not in _BENIGN_TAGS
    )


def _depth(el: etree._Element | None) -> int:
    return sum(1 for _ in el.iterancestors()) if el is not None else 0


def duplicates(lines: list[Line]) -> set[int]:
    """Indices of lines repeating the text of an earlier line (mobile/print copies)."""
    seen: set[str] = set()
    dup: set[int] = set()
    for line in lines:
        if line.chars < 10:
            continue
        if line.text in seen:
            dup.add(line.index)
        else:
            seen.add(line.text)
    return dup


# per element: child (line index or child element) -> [value, first line, last line, benign]
_Items = dict[etree._Element, dict[object, list]]


def select_block(
    lines: list[Line], skip: set[int] | None = None, *, lenient: bool = False
) -> tuple[int, int] | None:
    """The best run of lines: a contiguous range of one element's children.

    Every line's value is added to each ancestor's child that holds it; for each element the
    maximum-sum run of its children (Kadane) is a candidate and the best candidate wins. The
    run is then widened by plain items around it (datelines, tables, signatures).
    Returns the first and last line index, or ``None`` when no run has a positive value.
    """
    items = _score_items(lines, skip or set(), lenient)
    best = _best_run(items)
    if best is None:
        return None
    return _widen(items, *best)


def _score_items(lines: list[Line], skip: set[int], lenient: bool) -> _Items:
    items: _Items = {}
    for line in lines:
        if line.index in skip:
            continue
        v = line_value(line, lenient=lenient)
        benign = _benign(line)
        child: object = line.index
        el: etree._Element | None = line.owner
        while el is not None:
            row = items.get(el)
            if row is None:
                row = items[el] = {}
            item = row.get(child)
            if item is None:
                row[child] = [v, line.index, line.index, benign]
            else:
                item[0] += v
                item[2] = line.index
                item[3] = item[3] and benign
            child = el
            el = el.getparent()
    return items


def _best_run(items: _Items) -> tuple[etree._Element, float, int, int] | None:
    """The element and the (sum, first item, last item) of the best run of its children."""
    best: tuple[etree._Element, float, int, int] | None = None
    for el, row in items.items():
        run_sum, run_start = 0.0, 0
        for i, item in enumerate(row.values()):
            if run_sum <= 0:
                run_sum, run_start = 0.0, i
            run_sum += item[0]
            if run_sum <= 0:
                continue
            # on a tie the outermost element wins: same lines, more room to widen the run
            if (
                best is None
                or run_sum > best[1] + 1e-9
                or (run_sum > best[1] - 1e-9 and _depth(el) < _depth(best[0]))
            ):
                best = (el, run_sum, run_start, i)
    return best


def _widen(items: _Items, el: etree._Element, run_sum: float, lo: int, hi: int) -> tuple[int, int]:
    """Line range of the run plus plain items before it and below it (up the tree too)."""
    values = list(items[el].values())
    for _ in range(_MAX_LEAD):
        if lo > 0 and values[lo - 1][3]:
            lo -= 1
    chosen = values[lo : hi + 1]
    first, last = min(item[1] for item in chosen), max(item[2] for item in chosen)
    budget = 0.5 * run_sum
    for _ in range(_MAX_UP):
        while hi + 1 < len(values) and values[hi + 1][3] and budget + values[hi + 1][0] >= 0:
            budget += min(values[hi + 1][0], 0.0)
            hi += 1
            last = max(last, values[hi][2])
        parent = el.getparent() if hi + 1 >= len(values) else None
        if parent is None or parent not in items:
            break
        hi = list(items[parent]).index(el)
        values, el = list(items[parent].values()), parent
    return first, last


def clean_lines(lines: list[Line], title: str | None = None) -> list[Line]:
    """Drop chrome, link lists, repeats and trailing chrome regions from the body lines.

    Comment sections, copyright notices, prev/next links, post footers and a repeated
    headline end the body; a related-news header ends it only when little prose follows.
    """
    values = [max(line_value(ln), 0.0) for ln in lines]
    after = [0.0] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        after[i] = after[i + 1] + values[i]
    out: list[Line] = []
    seen: set[str] = set()
    before = 0.0
    for i, line in enumerate(lines):
        if before >= _PROSE and _ends_body(line, title, before, after[i + 1]):
            break
        before += values[i]
        if is_chrome(line) or line.text in seen:
            continue
        if line.link_chars * 2 > line.chars and not R.ATTACHMENT.search(line.text):
            continue
        if line.chars >= 10:
            seen.add(line.text)
        out.append(line)
    while len(out) > 1 and out[-1].chars <= 60 and R.CREDIT_LINE.match(out[-1].text):
        out.pop()
    return out


def _ends_body(line: Line, title: str | None, before: float, after: float) -> bool:
    if line.chars > 80:
        return False
    text = line.text
    if R.TAIL_STRONG.search(text):
        return True
    if title and line.chars >= 6 and text == title:
        return True
    if after >= 0.5 * before:
        return False
    return R.TAIL_RELATED.match(text) is not None or R.END_CREDIT.match(text) is not None
