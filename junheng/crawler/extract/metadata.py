"""Head metadata (``<title>``, meta tags) and the headline: title candidates cross-checked."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from lxml import etree

from junheng.crawler.extract import dates
from junheng.crawler.extract import resources as R
from junheng.crawler.extract.dom import Line, tag_of

_HEADING_RANK = {"h1": 3, "h2": 2, "h3": 1, "h4": 1}
# a page-headline candidate this far above the body loses to the line above the metadata
_FAR = 15


@dataclass(slots=True)
class HeadInfo:
    """What the ``<head>`` says: the ``<title>`` text and the meta tags (lower-cased keys)."""

    title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    def first(self, names: tuple[str, ...]) -> str | None:
        """The first non-empty meta value among ``names``."""
        for name in names:
            value = self.meta.get(name)
            if value and value.strip():
                return value.strip()
        return None


def read_head(root: etree._Element) -> HeadInfo:
    """Collect ``<title>`` and ``<meta name|property|itemprop|http-equiv=… content=…>``."""
    info = HeadInfo()
    for el in root.iter("title", "meta"):
        if el.tag == "title":
            if info.title is None:
                text = clean_text(el.text_content() or "")
                info.title = text or None
            continue
        content = el.get("content")
        if not content:
            continue
        for attr in ("name", "property", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                info.meta.setdefault(key.strip().lower(), clean_text(content))
    return info


def clean_text(text: str) -> str:
    """Whitespace collapsed, private-use characters removed."""
    return R.WS.sub(" ", R.PRIVATE_USE.sub("", text)).strip()


def compact(text: str | None) -> str:
    """NFKC form without whitespace, for comparing strings."""
    if not text:
        return ""
    return R.WS.sub("", unicodedata.normalize("NFKC", text))


def common_len(a: str, b: str) -> int:
    """Length of the longest common substring of ``a`` and ``b``."""
    if not a or not b:
        return 0
    if a in b:
        return len(a)
    if b in a:
        return len(b)
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size


def strip_title(text: str | None) -> str | None:
    """Drop a ``标题：`` label, an injected ``[advert]`` prefix and trailing separators."""
    if not text:
        return None
    text = clean_text(text)
    text = R.TITLE_LABEL.sub("", text)
    stripped = R.AD_PREFIX.sub("", text)
    if len(stripped) >= 6:
        text = stripped
    text = R.TITLE_TRAIL.sub("", text)
    return text or None


def strip_site(title: str | None) -> str | None:
    """The headline part of a ``<title>``: text before the site/column suffix."""
    if not title:
        return None
    parts = [p.strip() for p in R.TITLE_SEPARATORS.split(title) if p.strip()]
    if not parts:
        return None
    head = parts[0]
    if len(head) < 2 and len(parts) > 1:
        head = max(parts, key=len)
    return head


def find_title(
    lines: list[Line], head: HeadInfo, body_start: int
) -> tuple[str | None, int | None, int | None, str]:
    """The headline, the indexes of its first and last line (if on the page) and a note."""
    refs = [compact(r) for r in (head.title, head.first(R.TITLE_META_NAMES)) if r]
    near = _line_before_meta(lines, body_start)
    limit = min(len(lines), body_start + 6)
    best: tuple[float, ...] | None = None
    best_line: Line | None = None
    for line in lines[:limit] if refs else ():
        if not 2 <= line.chars <= 120:
            continue
        c = compact(R.TITLE_LABEL.sub("", line.text))
        common = max((common_len(c, r) for r in refs), default=0)
        if common < 2 or common < 0.6 * len(c) or (common < 4 and common < len(c)):
            continue
        if line.link_density > 0.5 and common < 0.9 * len(c):
            continue
        rank = _HEADING_RANK.get(tag_of(line.owner), 0)
        key = (
            common >= 0.95 * len(c),
            common,
            rank,
            line.index <= body_start,
            -abs(body_start - line.index),
        )
        if best is None or key > best:
            best, best_line = key, line
    if best_line is not None:
        last = _extend(lines, best_line, refs)
        text = " ".join(ln.text for ln in lines[best_line.index : last + 1])
        # a <title> that is just the site name matches the logo, far above the headline
        site_only = compact(text) in refs and near is not None and near.index - last > 3
        if not (near and (best_line.index < near.index - _FAR or site_only)):
            return strip_title(text), best_line.index, last, "title: page headline"
    if near is not None:
        return strip_title(near.text), near.index, near.index, "title: line above metadata"
    for ref in (head.first(R.TITLE_META_NAMES), head.title):
        title = strip_title(strip_site(ref))
        if title:
            return title, None, None, "title: <title>"
    heads = [
        ln
        for ln in lines[:limit]
        if tag_of(ln.owner) in _HEADING_RANK and 2 <= ln.chars <= 80 and ln.index <= body_start
    ]
    if heads:
        line = max(heads, key=lambda ln: (ln.index >= body_start - 5, ln.index))
        return strip_title(line.text), line.index, line.index, "title: heading"
    return None, None, None, "title: none"


def _extend(lines: list[Line], first: Line, refs: list[str]) -> int:
    """Index of the last line of a headline split over lines (title + subtitle)."""
    text = compact(first.text)
    last = first.index
    for line in lines[first.index + 1 : first.index + 3]:
        joined = text + compact(line.text)
        if line.chars < 2 or not any(joined in r for r in refs):
            break
        text, last = joined, line.index
    return last


def _line_before_meta(lines: list[Line], body_start: int) -> Line | None:
    """The short line just above the 发布时间/来源 line nearest to the body start."""
    lo = max(0, body_start - 8)
    for i in range(min(len(lines), body_start + 3) - 1, lo - 1, -1):
        if R.META_LABEL.search(lines[i].text) and dates.first_date(lines[i].text):
            for j in range(i - 1, max(lo, i - 3) - 1, -1):
                prev = lines[j]
                if (
                    5 <= prev.chars <= 60
                    and prev.link_density < 0.5
                    and not R.META_LABEL.search(prev.text)
                ):
                    return prev
            return None
    return None


def is_meta_line(line: Line) -> bool:
    """A short line of publication metadata (时间/来源/作者/编辑 …)."""
    if line.chars > 120:
        return False
    labels = len(R.META_LABEL.findall(line.text))
    if labels >= 2 or (labels and line.chars <= 50):
        return True
    return (
        line.chars <= 40
        and dates.first_date(line.text) is not None
        and len(R.CJK.findall(line.text)) <= 12
    )
