"""The spider: list pages → pagination and article links → article pages.

It holds only configuration (the sources); what was admitted, fetched or failed lives in the
database through the components of ``components.py``, so the same spider can run under a
shared scheduler later (scrapy-redis).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import HtmlResponse, TextResponse

from junheng.crawler.canon import is_binary_link
from junheng.crawler.components import chain_keys, describe_failure, job_of, store_of
from junheng.crawler.items import FetchedPage, FetchFailure
from junheng.crawler.sources import PAGINATION_TEXT, Source

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

LIST_PRIORITY = 10  # list pages first: they lead to the articles


class PageSpider(scrapy.Spider):
    name = "junheng"

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PageSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.job = job_of(crawler)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        """URLs an interrupted run of this job had queued, then the sources' list pages."""
        for entry in store_of(self.crawler).queued(self.job.job_id):
            source = self.job.source(entry.source)
            if source is not None:
                yield self.request(entry.url, source, entry.kind, dont_filter=True)
        for source in self.job.sources.sources:
            for url in source.start_urls:
                yield self.request(url, source, "list")

    def request(
        self, url: str, source: Source, kind: str, *, dont_filter: bool = False
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_list if kind == "list" else self.parse_article,
            errback=self.on_error,
            meta={"source": source.name, "kind": kind},
            priority=LIST_PRIORITY if kind == "list" else 0,
            dont_filter=dont_filter,
        )

    def parse_list(self, response: Response) -> Iterator[Any]:
        """Follow the list page's links first, then store it (so a crash between the two
        re-fetches the list page instead of losing its links)."""
        source = self.job.source(response.meta["source"])
        assert source is not None
        if not _is_html(response):
            yield self._not_html(response, "list")
            return
        assert isinstance(response, TextResponse)
        for url, kind in links(response, source):
            yield self.request(url, source, kind)
        yield self._page(response, "list")

    def parse_article(self, response: Response) -> Iterator[Any]:
        if response.status != 304 and not _is_html(response):
            yield self._not_html(response, "article")
            return
        yield self._page(response, "article")

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        outcome, reason, status = describe_failure(failure)
        yield FetchFailure(
            source=request.meta.get("source", ""),
            kind=request.meta.get("kind", "article"),
            url=request.url,
            keys=tuple(chain_keys(request)),
            outcome=outcome,
            reason=reason,
            status=status,
        )

    def _page(self, response: Response, kind: str) -> FetchedPage:
        return FetchedPage(
            source=response.meta["source"],
            kind=kind,
            url=response.url,
            keys=tuple(chain_keys(response.request)),  # type: ignore[arg-type]
            status=response.status,
            body=response.body,
            content_type=_header(response, b"Content-Type"),
            etag=_header(response, b"ETag"),
            last_modified=_header(response, b"Last-Modified"),
        )

    def _not_html(self, response: Response, kind: str) -> FetchFailure:
        return FetchFailure(
            source=response.meta["source"],
            kind=kind,
            url=response.url,
            keys=tuple(chain_keys(response.request)),  # type: ignore[arg-type]
            outcome="failed",
            reason="not-html",
            status=response.status,
            size=len(response.body),
        )


def links(response: TextResponse, source: Source) -> list[tuple[str, str]]:
    """The pagination and article links of a list page, in page order, each once. When no
    link has an article URL shape and the source names none (``allow``), the articles are
    found by the page's structure instead (see ``listed_articles``)."""
    found: dict[str, str] = {}
    for anchor in response.xpath("//a[@href]"):
        href = (anchor.attrib.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        try:
            url = response.urljoin(href).split("#", 1)[0]
        except ValueError:
            continue
        text = " ".join("".join(anchor.xpath(".//text()").getall()).split())
        kind = source.link_kind(url, text, response.url)
        if kind is not None and url not in found:
            found[url] = kind
    if not source.allow and "article" not in found.values():
        for url in listed_articles(response, source):
            found.setdefault(url, "article")
    return list(found.items())


# a headline in a list: several characters of Chinese, not a menu word
_TITLE = re.compile(r"[\u4e00-\u9fff]")
_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2})?")
MIN_ITEMS = 3


def listed_articles(response: TextResponse, source: Source) -> list[str]:
    """Article links recognised by a list page's structure: a block of at least three
    repeated items (same element path: ul/li/a, table/tr/td/a, div.item/a …) each holding a
    headline-like link, most of them with a date beside it."""
    groups: dict[str, list[tuple[str, bool]]] = {}
    for anchor in response.xpath("//a[@href]"):
        href = (anchor.attrib.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        text = " ".join("".join(anchor.xpath(".//text()").getall()).split())
        if len(_TITLE.findall(text)) < 6 or PAGINATION_TEXT.match(text):
            continue
        try:
            url = response.urljoin(href).split("#", 1)[0]
        except ValueError:
            continue
        if not source.admits(url) or is_binary_link(url) or url == response.url:
            continue
        item = anchor.xpath("./ancestor::*[self::li or self::tr or self::dd or self::p][1]")
        holder = item[0] if item else anchor.xpath("..")[0]
        path = "/".join(
            f"{el.root.tag}.{el.attrib.get('class', '')}"
            for el in reversed(holder.xpath("ancestor-or-self::*")[-4:])
        )
        dated = bool(_DATE.search(" ".join(holder.xpath(".//text()").getall())))
        groups.setdefault(path, []).append((url, dated))
    out: list[str] = []
    for items in groups.values():
        dated = sum(d for _, d in items)
        if len(items) >= MIN_ITEMS and (dated * 2 >= len(items) or len(items) >= 8):
            out.extend(dict.fromkeys(u for u, _ in items))
    return out


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _is_html(response: Response) -> bool:
    if isinstance(response, HtmlResponse):
        return True
    ctype = (_header(response, b"Content-Type") or "").lower()
    return isinstance(response, TextResponse) and ("html" in ctype or not ctype)
