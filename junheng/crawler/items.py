"""Records the spider hands to the page store (frozen, like every record between stages)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A response: a list page, or an article page (200 with its body, or 304)."""

    source: str
    kind: str  # list | article
    url: str  # where the response came from (after redirects)
    keys: tuple[str, ...]  # canonical keys of every URL the request went through
    status: int
    body: bytes = field(repr=False)
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """A URL that gave no usable page, and why."""

    source: str
    kind: str
    url: str
    keys: tuple[str, ...]
    outcome: str  # failed | skipped
    reason: str
    status: int | None = None
    size: int = 0
