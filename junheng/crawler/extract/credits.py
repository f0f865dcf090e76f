"""来源 (source), author and 责任编辑 (editor) from the headline area, bylines and meta tags."""

from __future__ import annotations

import re

from junheng.crawler.extract import resources as R
from junheng.crawler.extract.dom import Line

_SPLIT = re.compile(r"[\s、，,;；]+")


def clean_name(value: str | None, *, max_len: int = 30) -> str | None:
    """A trimmed name, or ``None`` for labels, numbers, URLs and placeholders."""
    if not value:
        return None
    value = R.NAME_TRIM.sub("", R.WS.sub(" ", value).strip())
    if len(value) < 2 or len(value) > max_len or R.NOT_A_NAME.search(value):
        return None
    return value


def _names(text: str) -> str | None:
    """Space-joined person names from a byline fragment (role words dropped)."""
    out = []
    for token in _SPLIT.split(text.strip()):
        if R.ROLE_SUFFIX.search(token):
            continue
        token = R.BYLINE_TAIL.sub("", token)
        size_ok = 2 <= len(token) <= (5 if R.CJK.search(token) else 30)
        if (
            size_ok
            and token not in R.NOT_PERSON
            and not R.NOT_A_NAME.search(token)
            and not R.ORGANISATION.search(token)
        ):
            out.append(token)
    return " ".join(out) or None


def find_source(
    header: list[Line], tail: list[Line], meta: dict[str, str], title: str | None = None
) -> str | None:
    """The 来源 a page credits: labelled, next to the date line, or in a meta tag."""
    for line in [*header, *(ln for ln in tail if ln.chars <= 50)]:
        m = R.SOURCE_LINE.search(line.text)
        if m:
            name = clean_name(m.group(1))
            if name:
                return name
    for line in header:
        m = R.SOURCE_BARE.search(line.text)
        name = clean_name(m.group(1) or m.group(2)) if m else _unlabelled_source(line, title)
        if name:
            return name
    name = _source_beside_date(header)
    if name:
        return name
    for key in R.SOURCE_META_NAMES:
        name = clean_name(meta.get(key))
        if name:
            return name
    return None


def _source_beside_date(header: list[Line]) -> str | None:
    """A lone name on the line just above or below a date-only line (``新华社`` / date)."""
    for i, line in enumerate(header):
        if R.DATETIME.sub("", line.text).strip() or not R.DATETIME.search(line.text):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(header):
                token = header[j].text.strip()
                if (
                    2 <= len(token) <= 12
                    and not R.SOURCE_SPLIT.search(token)
                    and not R.NOT_SOURCE.match(token)
                    and not R.META_LABEL.search(token)
                ):
                    return clean_name(token, max_len=12)
    return None


def _unlabelled_source(line: Line, title: str | None) -> str | None:
    return None if line.chars > 60 else unlabelled_source(line.text, title)


def unlabelled_source(text: str, title: str | None = None) -> str | None:
    """``2019-09-26 10:56 证券时报网`` → ``证券时报网`` (a name beside the date)."""
    if R.SOURCE_LINE.search(text):
        return None
    if title and len(title) >= 4:
        text = text.replace(title, " ")
    m = R.DATETIME.search(text)
    if not m:
        return None
    before, after = text[: m.start()], text[m.end() :]
    before = R.LABELLED_FIELD.sub(" ", before)
    after = R.LABELLED_FIELD.sub(" ", after)
    for chunk, pick, most in ((after, 0, 3), (before, -1, 1)):
        tokens = [t for t in R.SOURCE_SPLIT.split(chunk) if t]
        tokens = [R.SOURCE_NOISE.sub("", t) for t in tokens]
        tokens = [t for t in tokens if t and not R.NOT_SOURCE.match(t)]
        if 0 < len(tokens) <= most:
            token = tokens[pick]
            if "/" in token:
                token = token.rsplit("/", 1)[-1]
            name = clean_name(token, max_len=20)
            if name and len(R.CJK.findall(name)) + sum(c.isalpha() for c in name) >= 2:
                return name
    return None


def find_author(
    header: list[Line], body: list[Line], meta: dict[str, str], site: str | None
) -> str | None:
    """The author(s): 作者/记者 labels, bylines in ``body`` (the edges of the text), meta author."""
    spans = [line.text for line in header if line.chars <= 120]
    spans += [t for line in body for t in edge_spans(line.text, line.chars)]
    name = labelled_author(spans)
    if name:
        return name
    for line in header:
        m = R.NAME_SLASH_SOURCE.search(line.text)
        if m and (line.chars <= 20 or R.DATETIME.search(line.text)):
            name = _names(m.group(1))
            if name:
                return name
    for line in body[2:]:
        m = R.PAREN_BYLINE.search(R.BYLINE_CLEAN.sub(" ", line.text))
        if m:
            name = _names(m.group(1))
            if name:
                return name
    for key in R.AUTHOR_META_NAMES:
        name = clean_name(meta.get(key), max_len=20)
        if name and not R.NOT_META_AUTHOR.search(name) and not (site and name in site):
            return name
    return None


def labelled_author(spans: list[str]) -> str | None:
    """The first 作者:/记者 label, else the first byline (记者 王五, 文/李四), in ``spans``."""
    for text in spans:
        m = R.AUTHOR_LINE.search(text)
        if m:
            name = _names(m.group(1))
            if name:
                return name
    for text in spans:
        for m in R.BYLINE.finditer(R.BYLINE_CLEAN.sub(" ", text)):
            name = _names(m.group(1))
            if name:
                return name
    return None


def edge_spans(text: str, chars: float) -> list[str]:
    """Where a byline can sit in a body line: all of a short line, else a parenthesis at
    either end (``新华社北京4月17日电（记者 王五）……``)."""
    if chars <= 60:
        return [text]
    return [
        m.group(0)
        for m in R.PAREN_SPAN.finditer(text)
        if m.start() < 40 or m.end() > len(text) - 40
    ]


def find_editor(lines: list[Line]) -> str | None:
    """The 责任编辑/编辑 named in ``lines``."""
    for line in lines:
        m = R.EDITOR_LINE.search(line.text)
        if m:
            name = _names(m.group(1))
            if name:
                return name
    return None
