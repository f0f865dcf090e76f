"""The sources file (TOML): what to crawl, and the politeness settings of a crawl.

Example (docs/crawling.md describes every key)::

    [crawl]
    delay = 2.0

    [[source]]
    name = "changxing-jyj"
    start_urls = ["https://www.changxing.gov.cn/col/col1229214370/index.html"]
    allowed_domains = ["changxing.gov.cn"]
    allow = ['/art/\\d{4}/']
    region = { province = "浙江省", city = "湖州市", county = "长兴县" }
    max_pages = 300
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from junheng.crawler.canon import (
    FETCHABLE_SCHEMES,
    host_of,
    in_domains,
    is_binary_link,
    normalise_domain,
    scheme_of,
)
from junheng.errors import ConfigError

DEFAULT_MAX_PAGES = 1000

# Article links when a source gives no ``allow`` patterns: the URL shapes of the CMSs that
# Chinese government and news sites run (TRS t20240312_123.html, Hanweb /art/2024/3/12/…,
# dated folders, numeric ids).
DEFAULT_ARTICLE_PATTERNS = (
    r"/t\d{8}_\d+\.s?html?$",
    r"/art/\d{4}/\d{1,2}/\d{1,2}/",
    r"/(?:19|20)\d{2}[-_/]?[01]\d(?:[-_/]?[0-3]\d)?/[^/]+\.(?:s?html?|php|jsp|aspx?)$",
    r"/(?:content|article|detail|show|view|info|news)[_-]?\w*?\d{2,}\.s?html?$",
    r"[?&](?:id|aid|articleid|newsid|contentid|infoid|docid|itemid)=\d+",
    r"/\d{4,}\.s?html?$",
)
# List-page continuations (index_1.html, ?page=2, list_3.html).
DEFAULT_PAGINATION_PATTERNS = (
    r"/(?:index|list|default|more)_\d+\.s?html?$",
    r"[?&](?:page|pageno|pagenum|pn|curpage|pageindex|page_no)=\d+",
    r"/list[-_]?\d+\.s?html?$",
)
PAGINATION_TEXT = re.compile(
    r"^(?:下一页|下页|后页|上一页|上页|前页|尾页|末页|第?\d{1,4}页?|>|>>|»|›|next|prev)$", re.I
)


@lru_cache(maxsize=256)
def _pattern(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def _sibling(url: str, base: str | None) -> bool:
    """True when ``url`` is a page (not a folder) in the same folder as ``base``."""
    if base is None:
        return False
    path, base_path = urlsplit(url).path, urlsplit(base).path
    folder, _, name = path.rpartition("/")
    return bool(name) and folder == base_path.rpartition("/")[0] and host_of(url) == host_of(base)


class SourcesError(ConfigError):
    """The sources file or a quick-mode URL is invalid."""


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    """Politeness and limits, the same for every source of one crawl (``[crawl]`` table)."""

    delay: float = 2.0  # seconds between requests to one host (randomised 0.5–1.5×)
    autothrottle: bool = True  # adapt the delay to the server's response times
    concurrency: int = 8  # requests in flight overall
    per_host: int = 2  # requests in flight per host
    timeout: float = 30.0  # seconds per request
    max_size_mb: float = 5.0  # responses larger than this are abandoned
    retries: int = 2  # extra attempts after a timeout, connection error or 5xx
    redirects: int = 5  # longest redirect chain followed
    user_agent: str = "junheng/0.1 (research crawler; compulsory-education reports)"

    def with_overrides(self, overrides: dict[str, Any] | None) -> CrawlOptions:
        if not overrides:
            return self
        return replace(self, **_typed(overrides, CrawlOptions, "crawl options"))


@dataclass(frozen=True, slots=True)
class Source:
    """One site section to crawl: list pages, the links to follow and the place it reports on."""

    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    follow_pagination: bool = True
    pagination: tuple[str, ...] = ()
    region_hint: str | None = None
    max_pages: int = DEFAULT_MAX_PAGES
    allow_private: bool = False

    @property
    def article_patterns(self) -> tuple[str, ...]:
        return self.allow or DEFAULT_ARTICLE_PATTERNS

    @property
    def pagination_patterns(self) -> tuple[str, ...]:
        return self.pagination or DEFAULT_PAGINATION_PATTERNS

    def admits(self, url: str) -> bool:
        """True when ``url`` is http(s) and inside this source's allowed domains."""
        return scheme_of(url) in FETCHABLE_SCHEMES and in_domains(
            host_of(url), self.allowed_domains
        )

    def link_kind(self, url: str, text: str = "", base: str | None = None) -> str | None:
        """What a link on the list page ``base`` is to this source: ``list`` (a pagination
        page: its URL matches a pagination pattern, or its text reads 下一页/2/尾页 … and it
        sits in the list page's folder), ``article``, or ``None`` (not followed: off-site,
        other schemes, PDFs and images, denied, or neither kind)."""
        if not self.admits(url) or is_binary_link(url):
            return None
        deny = _pattern(self.deny)
        if deny is not None and deny.search(url):
            return None
        article = _pattern(self.article_patterns).search(url)  # type: ignore[union-attr]
        if self.follow_pagination:
            paged = _pattern(self.pagination_patterns).search(url)  # type: ignore[union-attr]
            if paged or (
                not article and PAGINATION_TEXT.match(text.strip()) and _sibling(url, base)
            ):
                return "list"
        return "article" if article else None


@dataclass(frozen=True, slots=True)
class SourceSet:
    sources: tuple[Source, ...]
    options: CrawlOptions

    @property
    def fingerprint(self) -> str:
        """Identifies the configuration, so an interrupted crawl resumes only the same one."""
        blob = json.dumps([asdict(s) for s in self.sources], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        return {"sources": [asdict(s) for s in self.sources], "options": asdict(self.options)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceSet:
        return cls(
            tuple(
                Source(**{k: tuple(v) if isinstance(v, list) else v for k, v in s.items()})
                for s in data["sources"]
            ),
            CrawlOptions(**data["options"]),
        )


_SOURCE_KEYS = {
    "name",
    "start_urls",
    "allowed_domains",
    "allow",
    "deny",
    "follow_pagination",
    "pagination",
    "region",
    "max_pages",
    "allow_private",
}


def load_sources(path: str | Path, *, overrides: dict[str, Any] | None = None) -> SourceSet:
    """Read and validate a sources file; ``overrides`` replace ``[crawl]`` options."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"no sources file at {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"cannot read sources file {p}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{p}: invalid TOML ({exc})") from None
    unknown = sorted(set(data) - {"crawl", "source", "sources"})
    if unknown:
        raise SourcesError(
            f"{p}: unknown table(s) {', '.join(unknown)}; expected [crawl] and [[source]]"
        )
    raw = [*data.get("source", []), *data.get("sources", [])]
    if not raw or not all(isinstance(s, dict) for s in raw):
        raise SourcesError(f"{p}: no [[source]] entries")
    crawl = data.get("crawl", {})
    if not isinstance(crawl, dict):
        raise SourcesError(f"{p}: [crawl] must be a table")
    options = CrawlOptions(**_typed(crawl, CrawlOptions, f"{p} [crawl]")).with_overrides(overrides)
    sources = tuple(_source(s, f"{p} source {k + 1}") for k, s in enumerate(raw))
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SourcesError(f"{p}: duplicate source name(s) {', '.join(dupes)}")
    return SourceSet(sources, _checked_options(options, str(p)))


def quick_sources(
    urls: list[str] | tuple[str, ...],
    *,
    max_pages: int = 100,
    region_hint: str | None = None,
    allow_private: bool = False,
    overrides: dict[str, Any] | None = None,
) -> SourceSet:
    """Quick mode: the URLs are list pages; their hosts are the allowed domains."""
    if not urls:
        raise SourcesError("give list-page URLs or --sources FILE")
    entry: dict[str, Any] = {
        "name": "quick",
        "start_urls": list(urls),
        "max_pages": max_pages,
        "allow_private": allow_private,
    }
    if region_hint:
        entry["region"] = region_hint
    source = _source(entry, "quick mode")
    return SourceSet(
        (source,), _checked_options(CrawlOptions().with_overrides(overrides), "options")
    )


def _source(entry: dict[str, Any], where: str) -> Source:
    unknown = sorted(set(entry) - _SOURCE_KEYS)
    if unknown:
        known = ", ".join(sorted(_SOURCE_KEYS))
        raise SourcesError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {known}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourcesError(f"{where}: every source needs a name")
    where = f"source {name!r}"
    starts = _strings(entry.get("start_urls"), where, "start_urls")
    if not starts:
        raise SourcesError(f"{where}: start_urls must list at least one list-page URL")
    for url in starts:
        if scheme_of(url) not in FETCHABLE_SCHEMES or not host_of(url):
            raise SourcesError(f"{where}: {url!r} is not an http(s) URL")
    domains = tuple(
        normalise_domain(d)
        for d in _strings(entry.get("allowed_domains"), where, "allowed_domains")
    ) or tuple(dict.fromkeys(host_of(u) for u in starts))
    for url in starts:
        if not in_domains(host_of(url), domains):
            raise SourcesError(f"{where}: start URL {url} is outside allowed_domains")
    patterns = {}
    for key in ("allow", "deny", "pagination"):
        values = _strings(entry.get(key), where, key)
        for rx in values:
            try:
                re.compile(rx)
            except re.error as exc:
                raise SourcesError(f"{where}: {key} pattern {rx!r} is invalid ({exc})") from None
        patterns[key] = values
    max_pages = entry.get("max_pages", DEFAULT_MAX_PAGES)
    if not isinstance(max_pages, int) or isinstance(max_pages, bool) or max_pages < 1:
        raise SourcesError(f"{where}: max_pages must be a positive whole number")
    for key in ("follow_pagination", "allow_private"):
        if key in entry and not isinstance(entry[key], bool):
            raise SourcesError(f"{where}: {key} must be true or false")
    return Source(
        name=name.strip(),
        start_urls=starts,
        allowed_domains=domains,
        allow=patterns["allow"],
        deny=patterns["deny"],
        follow_pagination=entry.get("follow_pagination", True),
        pagination=patterns["pagination"],
        region_hint=_region(entry.get("region"), where),
        max_pages=max_pages,
        allow_private=entry.get("allow_private", False),
    )


def _region(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        unknown = sorted(set(value) - {"province", "city", "county"})
        if unknown:
            raise SourcesError(f"{where}: region keys are province, city, county (not {unknown})")
        parts = [str(value.get(k) or "").strip() for k in ("province", "city", "county")]
        return "".join(parts) or None
    raise SourcesError(f"{where}: region must be a table or a string such as 湖南省邵阳市武冈市")


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourcesError(f"{where}: {key} must be a list of strings")
    return tuple(v.strip() for v in value)


def _typed(values: dict[str, Any], cls: type, where: str) -> dict[str, Any]:
    kinds = {f.name: f.type for f in fields(cls)}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in kinds:
            raise SourcesError(
                f"{where}: unknown option {key!r}; known: {', '.join(sorted(kinds))}"
            )
        kind = {"float": float, "int": int, "bool": bool, "str": str}[str(kinds[key])]
        if kind is bool and not isinstance(value, bool):
            raise SourcesError(f"{where}: {key} must be true or false")
        if kind in (int, float) and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise SourcesError(f"{where}: {key} must be a number")
        if kind is int and not float(value).is_integer():
            raise SourcesError(f"{where}: {key} must be a whole number")
        if kind is str and not isinstance(value, str):
            raise SourcesError(f"{where}: {key} must be a string")
        out[key] = kind(value)
    return out


def _checked_options(options: CrawlOptions, where: str) -> CrawlOptions:
    checks = (
        ("delay", options.delay >= 0),
        ("concurrency", options.concurrency >= 1),
        ("per_host", options.per_host >= 1),
        ("timeout", options.timeout > 0),
        ("max_size_mb", options.max_size_mb > 0),
        ("retries", options.retries >= 0),
        ("redirects", options.redirects >= 0),
    )
    for name, ok in checks:
        if not ok:
            raise SourcesError(f"{where}: {name} is out of range")
    return options
