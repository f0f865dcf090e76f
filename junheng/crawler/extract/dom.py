"""Parse HTML with lxml, drop page chrome, and cut the visible text into lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from junheng.crawler.extract import resources as R
from junheng.errors import ExtractionError

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


@dataclass(slots=True)
class Line:
    """A run of visible text between two block boundaries, with its owning block element."""

    text: str
    owner: etree._Element
    chars: float  # text weight: CJK characters count 1, other non-space characters 0.4
    link_chars: float  # weight of the part inside links
    index: int = 0

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0


def parse(html: str) -> etree._Element:
    """Parse ``html`` into an lxml tree; raise ``ExtractionError`` when it is not a page."""
    if not html or not html.strip():
        raise ExtractionError("empty page: nothing to extract")
    if "<" not in html or not re.search(r"<[A-Za-z!]", html[:65536]):
        raise ExtractionError("not an HTML page: no markup found")
    html = _XML_DECL.sub("", html, count=1).replace("\x00", "")
    try:
        # a parser per call: lxml parsers must not be shared between threads
        parser = lxml.html.HTMLParser(
            remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False
        )
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparsable HTML: {exc}") from None
    if root is None:
        raise ExtractionError("unparsable HTML: empty document")
    return root


def tag_of(el: etree._Element) -> str:
    """Lower-case tag name; ``""`` for comments and processing instructions."""
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def class_id(el: etree._Element) -> str:
    """Lower-cased ``class`` and ``id`` attributes of ``el``, space separated."""
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower().strip()


def drop(el: etree._Element) -> None:
    """Remove ``el`` and its subtree but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def weight(text: str) -> float:
    """Text weight: each CJK character counts 1, any other non-space character 0.4."""
    cjk = len(R.CJK.findall(text))
    other = len(text) - cjk - len(R.SPACES.findall(text))
    return cjk + 0.4 * other


def visible_len(el: etree._Element) -> int:
    """Number of non-whitespace characters under ``el``."""
    return len(R.WS.sub("", el.text_content() or ""))


def clean(root: etree._Element) -> etree._Element:
    """Drop non-content subtrees (scripts, forms widgets, hidden and chrome blocks) in place.

    Returns the ``<body>`` (or the root when there is none).
    """
    body = root.find("body")
    if body is None:
        body = root
    doomed = [el for el in body.iter() if tag_of(el) in R.DROP_TAGS or not tag_of(el)]
    for el in doomed:
        drop(el)
    total = max(visible_len(body), 1)
    chrome: list[etree._Element] = []
    for el in body.iter():
        style = el.get("style")
        if style and R.HIDDEN_STYLE.search(style):
            chrome.append(el)
            continue
        if el.get("hidden") is not None or el.get("aria-hidden") == "true":
            chrome.append(el)
            continue
        if tag_of(el) in R.CHROME_TAGS:
            chrome.append(el)
            continue
        if tag_of(el) == "a" and _is_nav_link(el):
            chrome.append(el)
            continue
        ci = class_id(el)
        if ci and tag_of(el) not in ("body", "html") and chrome_hint(ci):
            chrome.append(el)
    removed: set[etree._Element] = set()
    for el in chrome:
        if any(a in removed for a in el.iterancestors()):
            continue
        if _keep(el, total):
            continue
        removed.add(el)
    for el in removed:
        drop(el)
    return body


def _is_nav_link(el: etree._Element) -> bool:
    text = (el.text_content() or "").strip()
    return len(text) <= 16 and R.NAV_LINK.match(text) is not None


def chrome_hint(ci: str) -> bool:
    """True when a class/id names page chrome (``post-footer``) rather than content."""
    verdict = False
    for token in ci.split():
        chrome = [m.end() for m in R.CHROME_CLASS.finditer(token)]
        content = [m.end() for m in R.CONTENT_CLASS.finditer(token)]
        if content and (not chrome or max(content) > max(chrome)):
            return False
        verdict = verdict or bool(chrome)
    return verdict


def _keep(el: etree._Element, total: int) -> bool:
    """Chrome-looking blocks kept: wrappers of most of the text, the headline, a date box."""
    size = visible_len(el)
    if size > 0.4 * total and _link_share(el) < 0.5:
        return True
    if el.tag == "h1" or next(el.iter("h1"), None) is not None:
        return size < 0.4 * total
    if size <= 120:
        text = el.text_content() or ""
        return R.DATETIME.search(text) is not None and R.TIME.search(text) is not None
    return False


def _link_share(el: etree._Element) -> float:
    total = visible_len(el)
    if not total:
        return 0.0
    linked = sum(visible_len(a) for a in el.iter("a"))
    return linked / total


def lines_of(body: etree._Element) -> list[Line]:
    """Cut the visible text under ``body`` into lines at block boundaries and ``<br>``."""
    lines: list[Line] = []
    blocks: list[etree._Element] = [body]
    parts: list[str] = []
    link_parts: list[str] = []
    link_depth = 0
    flat: set[etree._Element] = set()  # cells of data-table rows, rendered as one line

    def flush() -> None:
        if not parts:
            return
        text = R.WS.sub(" ", R.PRIVATE_USE.sub("", "".join(parts))).strip()
        if text:
            chars = weight(text)
            linked = weight("".join(link_parts)) if link_parts else 0.0
            lines.append(Line(text, blocks[-1], chars, min(linked, chars), len(lines)))
        parts.clear()
        link_parts.clear()

    def add(text: str | None) -> None:
        if text:
            parts.append(text)
            if link_depth:
                link_parts.append(text)

    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = tag_of(el)
        if event == "start":
            if tag == "tr" and _flat_row(el):
                flat.update(el)
            if tag == "br":
                flush()
            elif tag == "a":
                link_depth += 1
            elif el in flat:
                parts.append(" ")
            elif tag not in R.INLINE_TAGS and el is not body:
                flush()
                blocks.append(el)
            add(el.text)
        else:
            if tag == "a":
                link_depth -= 1
            elif el in flat:
                pass
            elif tag not in R.INLINE_TAGS and tag != "br" and el is not body:
                flush()
                blocks.pop()
            if el is not body:
                add(el.tail)
    flush()
    return lines


def _flat_row(tr: etree._Element) -> bool:
    """A table row of short plain cells (a data table), to be read as one line."""
    cells = list(tr)
    if len(cells) < 2:
        return False
    for cell in cells:
        if tag_of(cell) not in ("td", "th"):
            return False
        for sub in cell.iterdescendants():
            if tag_of(sub) not in R.INLINE_TAGS:
                return False
        if len(cell.text_content() or "") > 100:
            return False
    return True
