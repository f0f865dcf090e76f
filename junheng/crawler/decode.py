"""Bytes → text for pages and plain-text files: BOM, declared charsets, cleanest candidate."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from junheng.errors import InputError

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)|"""
    rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""",
    re.I,
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Subsets of GB18030 are decoded as GB18030 (pages labelled gb2312 often use GBK characters).
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "big5-hkscs": "big5hkscs",
    "utf8": "utf-8",
}
_FALLBACKS = ("utf-8", "gb18030", "big5")
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    replacements: int


def canonical_encoding(name: str | None) -> str | None:
    """Normalise an encoding label; unknown labels give ``None``."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any encoding we read (NUL bytes, many control bytes)."""
    head = data[:8192]
    if not head:
        return False
    if any(head.startswith(bom) for bom, enc in _BOMS if enc.startswith("utf-16")):
        return False
    if b"\x00" in head:
        return True
    return len(_CONTROL.findall(head)) > max(8, len(head) // 200)


def decode_bytes(
    data: bytes,
    *,
    declared: str | None = None,
    html: bool = False,
) -> Decoded:
    """Decode ``data``: BOM first, then the declared (HTTP) or ``<meta>`` charset, then fallbacks.

    The candidate with the fewest U+FFFD replacement characters wins; a declared charset wins
    ties. Raises ``InputError`` for binary data.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(enc, errors="replace"), enc, 0)
    if looks_binary(data):
        raise InputError("binary data, not text")
    candidates: list[str] = []
    for label in (declared, _meta_charset(data) if html else None):
        enc = canonical_encoding(label)
        if enc and enc not in candidates:
            candidates.append(enc)
    for enc in _FALLBACKS:
        if enc not in candidates:
            candidates.append(enc)
    best: Decoded | None = None
    for enc in candidates:
        text = data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        if best is None or bad < best.replacements:
            best = Decoded(text, enc, bad)
        if bad == 0:
            break
    assert best is not None
    return best


def _meta_charset(data: bytes) -> str | None:
    """The charset of a ``<meta>`` tag or XML declaration in the first 10 KB."""
    m = _META_CHARSET.search(data[:10240])
    if not m:
        return None
    return (m.group(1) or m.group(2)).decode("ascii", "ignore")
