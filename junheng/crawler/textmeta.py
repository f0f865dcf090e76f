"""Title, date, source and author from the header lines of a plain-text report."""

from __future__ import annotations

import re
from dataclasses import dataclass

CJK = re.compile(r"[\u3400-\u9fff]")
DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?!\d)")
LABELLED_DATE = re.compile(r"(?:时间|日期|发布|发表|更新)\s*[:：]?\s*")
TITLE_FIELD = re.compile(r"^\s*标题\s*[:：]\s*(.+?)\s*(?:\[打印本页\]|【打印】)?\s*$")
SOURCE_FIELD = re.compile(
    r"(?:信息|文章|新闻|稿件)?来源\s*[:：]\s*([^\s:：|]{2,30}?)(?=\s|$|责任|编辑|作者|时间|浏览|我要)"
)
AUTHOR_FIELD = re.compile(
    r"(?:作者|记者|通讯员)\s*[:：]\s*([^\s:：|]{1,30}?)(?=\s|$|时间|来源|发布|浏览)"
)
SENT_END = re.compile(r"[。；;!?！？]$")
HEADER_LINES = 8


@dataclass(frozen=True, slots=True)
class TextHeader:
    title: str | None
    published: str | None
    source: str | None
    author: str | None


def normalise_date(text: str) -> str | None:
    """The first plausible ``YYYY-MM-DD`` date in ``text``."""
    for m in DATE.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def parse_header(text: str) -> TextHeader:
    """Read the first lines: a ``标题:`` field or the first headline-like line, the first
    labelled or standalone date, and ``来源:`` / ``作者:`` fields."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()][:HEADER_LINES]
    title = None
    for line in lines:
        m = TITLE_FIELD.match(line)
        if m:
            title = m.group(1)
            break
    if title is None:
        for line in lines:
            if len(CJK.findall(line)) >= 8 and len(line) <= 80 and not SENT_END.search(line):
                title = line
                break
    published = source = author = None
    for line in lines:
        if published is None and (LABELLED_DATE.search(line) or len(line) <= 60):
            published = normalise_date(line)
        if source is None and (m := SOURCE_FIELD.search(line)):
            source = m.group(1)
        if author is None and (m := AUTHOR_FIELD.search(line)):
            author = m.group(1)
    from junheng.crawler.extract.credits import edge_spans, labelled_author, unlabelled_source

    if source is None:  # a name beside the date: 内蒙古自治区教育厅　2023-12-18
        for line in lines:
            if line != title and len(line) <= 60 and normalise_date(line):
                source = unlabelled_source(line, title)
                if source:
                    break
    if author is None:  # bylines: 记者 李明, 文/王五, (通讯员 邓小伟 杨涯珍)
        spans = [t for line in lines if line != title for t in edge_spans(line, len(line))]
        author = labelled_author(spans)
    return TextHeader(title, published, source, author)
