"""Typed errors: the library raises these, the CLI turns them into one clear line."""

from __future__ import annotations

from collections.abc import Iterable


class JunhengError(Exception):
    """Base class; the message is safe to show to users as is."""


class InputError(JunhengError):
    """An input cannot be read as a document (missing, binary, empty, undecodable)."""


class ExtractionError(JunhengError):
    """A page was read but no article could be extracted from it."""


class FetchError(JunhengError):
    """A URL could not be fetched."""


class CorpusError(JunhengError):
    """The corpus database cannot be used."""


class CorpusLocked(CorpusError):
    """Another process holds a write lock on the corpus database."""


class CorpusCorrupt(CorpusError):
    """The file is not a readable junheng/SQLite database."""


class QueryError(JunhengError):
    """A search query or filter cannot be run."""


class TaxonomyError(JunhengError):
    """The taxonomy file is invalid, or a strategy/instrument id is unknown."""


class ConfigError(JunhengError):
    """A settings file or value is invalid."""


class BackendNotInstalled(JunhengError):
    """An optional backend needs a package that is not installed."""


def invalid_value_msg(name: str, value: object, valid: Iterable[object]) -> str:
    """Uniform wording for 'value not allowed' errors, naming the allowed values."""
    allowed = ", ".join(sorted(str(v) for v in valid))
    return f"unknown {name} {value!r}; expected one of: {allowed}"
