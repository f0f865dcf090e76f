"""Local inputs → ``SourceDocument``: .txt and .html files, .jsonl lines, folders, stdin.

Failures are reported per item as data (``Loaded.error``); one bad file never stops a batch.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from junheng.crawler.decode import decode_bytes
from junheng.crawler.textmeta import normalise_date, parse_header
from junheng.errors import ExtractionError, InputError
from junheng.records import SourceDocument

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
MAX_BYTES = 50 * 1024 * 1024  # .jsonl and .html files (many documents, or mostly markup)
# One document is analysed whole, so its length is limited (spaCy's own default limit): a
# plain-text file larger than this in bytes cannot be shorter in characters and is refused
# before it is read, so memory stays bounded by the limit, not by the file.
MAX_CHARS = 1_000_000
MAX_TEXT_BYTES = 4 * MAX_CHARS


def too_long(text: str) -> str | None:
    """Why ``text`` is refused as one document (``None`` when it is short enough)."""
    if len(text) <= MAX_CHARS:
        return None
    return (
        f"too long ({len(text):,} characters; one document may have at most {MAX_CHARS:,}):"
        " split it into several files"
    )


@dataclass(frozen=True, slots=True)
class Loaded:
    """One input item: a document, or the reason it could not be read."""

    location: str
    document: SourceDocument | None = None
    error: str | None = None


def iter_paths(
    paths: Iterable[str | os.PathLike[str]],
) -> Iterator[tuple[str, Path | None, str | None]]:
    """Expand files and folders (recursively, sorted) into ``(location, path, error)``."""
    for raw in paths:
        path = Path(raw)
        if str(raw) == "-":
            yield "-", None, None
        elif path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not found:
                yield str(path), None, "folder holds no .txt, .html or .jsonl files"
            for p in found:
                yield str(p), p, None
        elif path.is_file():
            yield str(path), path, None
        elif path.exists():
            yield str(path), None, "not a regular file"
        else:
            yield str(path), None, "no such file or folder"


def load(
    paths: Iterable[str | os.PathLike[str]], *, stdin: bytes | None = None
) -> Iterator[Loaded]:
    """Read every input; ``-`` reads ``stdin`` (bytes) as one text document."""
    for location, path, error in iter_paths(paths):
        if error:
            yield Loaded(location, error=error)
            continue
        try:
            if path is None:
                yield from _from_bytes(location, stdin or b"", kind="txt")
                continue
            suffix = path.suffix.lower()
            if suffix not in SUFFIXES:
                yield Loaded(
                    location,
                    error=f"unsupported file type {suffix or '(none)'}; "
                    "expected .txt, .html or .jsonl",
                )
                continue
            size = path.stat().st_size
            limit = MAX_TEXT_BYTES if suffix in TEXT_SUFFIXES else MAX_BYTES
            if size > limit:
                yield Loaded(
                    location,
                    error=f"file too large ({size / 1048576:.1f} MB; the limit is "
                    f"{limit // 1048576} MB, and {MAX_CHARS:,} characters per document):"
                    " split it into several files",
                )
                continue
            data = path.read_bytes()
            kind = (
                "html"
                if suffix in HTML_SUFFIXES
                else "jsonl"
                if suffix in JSONL_SUFFIXES
                else "txt"
            )
            yield from _from_bytes(location, data, kind=kind)
        except OSError as exc:
            yield Loaded(location, error=f"cannot read: {exc.strerror or exc}")


def _from_bytes(location: str, data: bytes, *, kind: str) -> Iterator[Loaded]:
    if not data.strip():
        yield Loaded(location, error="empty file")
        return
    try:
        decoded = decode_bytes(data, html=kind == "html")
    except InputError as exc:
        yield Loaded(location, error=str(exc))
        return
    notes: tuple[str, ...] = ()
    if decoded.encoding != "utf-8":
        notes = (f"decoded as {decoded.encoding}",)
    if not decoded.text.strip():
        yield Loaded(location, error="empty file (only whitespace or control characters)")
        return
    if decoded.replacements > max(5, len(decoded.text) // 100):
        yield Loaded(
            location, error=f"not readable text ({decoded.replacements} undecodable bytes)"
        )
        return
    if kind == "jsonl":
        items: Iterable[Loaded] = _jsonl(location, decoded.text)
    elif kind == "html":
        items = [_html(location, decoded.text, notes=notes)]
    else:
        doc = text_document(location, decoded.text, encoding=decoded.encoding, notes=notes)
        items = [Loaded(location, doc)]
    for item in items:
        why = too_long(item.document.text) if item.document is not None else None
        yield Loaded(item.location, error=why) if why else item


def text_document(
    location: str,
    text: str,
    *,
    encoding: str | None = None,
    notes: tuple[str, ...] = (),
    **fields: str | None,
) -> SourceDocument:
    """A plain-text document; missing title/date/source come from its header lines."""
    header = parse_header(text)
    return SourceDocument(
        location=location,
        text=text,
        kind="txt",
        title=fields.get("title") or header.title,
        published=normalise_date(fields.get("published") or "") or header.published,
        source=fields.get("source") or header.source,
        author=fields.get("author") or header.author,
        url=fields.get("url"),
        region_hint=fields.get("region"),
        encoding=encoding,
        notes=notes,
    )


def _html(
    location: str,
    html: str,
    *,
    url: str | None = None,
    notes: tuple[str, ...] = (),
    **fields: str | None,
) -> Loaded:
    from junheng.crawler.extract import extract_article

    try:
        article = extract_article(html, url=url)
    except ExtractionError as exc:
        return Loaded(location, error=str(exc))
    if not article.body.strip():
        return Loaded(location, error="no article text found in the page")
    return Loaded(
        location,
        SourceDocument(
            location=location,
            text=article.body,
            kind="html",
            title=fields.get("title") or article.title,
            published=normalise_date(fields.get("published") or "") or article.published,
            source=fields.get("source") or article.source,
            author=fields.get("author") or article.author,
            url=url or article.url,
            region_hint=fields.get("region"),
            notes=notes,
        ),
    )


def _jsonl(location: str, text: str) -> Iterator[Loaded]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{location}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Loaded(where, error=f"invalid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            yield Loaded(where, error="each line must be a JSON object")
            continue
        fields = {
            k: (str(obj[k]) if obj.get(k) is not None else None)
            for k in ("title", "published", "source", "author", "url", "region")
        }
        if isinstance(obj.get("text"), str) and obj["text"].strip():
            yield Loaded(where, text_document(obj.get("url") or where, obj["text"], **fields))
        elif isinstance(obj.get("html"), str) and obj["html"].strip():
            url = fields.pop("url")
            yield _html(url or where, obj["html"], url=url, **fields)
        else:
            yield Loaded(where, error="object has no non-empty 'text' or 'html' field")
