"""HTML page → ``Article``: headline, date, 来源/author and the main text of Chinese pages."""

from __future__ import annotations

import logging

from junheng.crawler.extract import body as B
from junheng.crawler.extract import credits as C
from junheng.crawler.extract import dates as D
from junheng.crawler.extract import dom
from junheng.crawler.extract import metadata as M
from junheng.crawler.extract import resources as R
from junheng.errors import ExtractionError
from junheng.records import Article

__all__ = ["extract_article"]

logger = logging.getLogger(__name__)

# how many lines between the headline and the body count as its metadata area
_HEADER_SPAN = 15


def extract_article(html: str, *, url: str | None = None) -> Article:
    """Extract the article of one decoded HTML page.

    Args:
        html: the page as text (decode bytes with ``junheng.crawler.decode.decode_bytes``).
        url: the page URL, used as a last resort for the date.

    Returns:
        The ``Article``; ``body`` holds one paragraph per line.

    Raises:
        ExtractionError: the page is empty, not HTML, or has no article text.
    """
    root = dom.parse(html)
    head = M.read_head(root)
    lines = dom.lines_of(dom.clean(root))
    if not lines:
        raise ExtractionError("no visible text on the page")
    dup = B.duplicates(lines)
    span, body_note = B.select_block(lines, dup), "body: text density"
    if span is None:  # verse, lists: no line reads like prose
        span, body_note = B.select_block(lines, dup, lenient=True), "body: short lines"
    if span is None:
        raise ExtractionError("no article text found on the page")
    title, t_first, t_last, title_note = M.find_title(lines, head, span[0])
    header, content = _split_header(lines, span, t_first, t_last)
    kept = B.clean_lines(content, title)
    if not kept:
        raise ExtractionError("no article text found on the page")
    site = head.first(R.SITE_META_NAMES)
    # credits often sit right below the text, where the body was cut
    below = lines[kept[-1].index + 1 : kept[-1].index + 5]
    tail = [*kept[-3:], *below]
    published, date_note = D.find_date(header, kept, lines, head.meta, html, url)
    source = C.find_source(header, tail, head.meta, title)
    author = C.find_author(header, [*kept[:2], *tail], head.meta, site or head.title)
    editor = C.find_editor([*header, *tail])
    notes = [title_note, date_note, body_note]
    if editor:
        notes.append(f"editor: {editor}")
    logger.debug("extracted %d of %d lines; %s", len(kept), len(lines), "; ".join(notes))
    return Article(
        title=title,
        published=published,
        body="\n".join(ln.text for ln in kept),
        source=source,
        author=author,
        url=url,
        site_name=site,
        notes=tuple(notes),
    )


def _split_header(
    lines: list[dom.Line], span: tuple[int, int], t_first: int | None, t_last: int | None
) -> tuple[list[dom.Line], list[dom.Line]]:
    """Split the lines around the headline into the metadata area and the body lines.

    The metadata area holds the lines between the headline and the text, the metadata lines
    opening the text block, and labelled lines above the headline (信息公开 tables).
    """
    start, end = span
    if t_last is not None and start <= t_last < min(end, start + 8):
        start = t_last + 1  # the block opened with the headline (and chrome above it)
    lo = t_last + 1 if t_last is not None and t_last < start else max(0, start - 6)
    header = lines[max(lo, start - _HEADER_SPAN) : start]
    content = lines[start : end + 1]
    lead = 0  # metadata lines (and short chrome above them) opening the block
    for i, line in enumerate(content[:4]):
        if M.is_meta_line(line):
            lead = i + 1
        elif line.chars > 40:
            break
    header += content[:lead]
    if t_first is not None:
        header += [
            ln
            for ln in lines[max(0, t_first - _HEADER_SPAN) : t_first]
            if M.is_meta_line(ln) and R.META_LABEL.search(ln.text)
        ]
    return header, content[lead:]
