"""junheng's Scrapy components (enabled in ``settings.py``): the database-backed frontier, the
safety and conditional-request middlewares, loop-safe redirects and the page store.

They keep no crawl state in memory: the frontier, page validators and pages are rows of the
corpus database (``CrawlStore``), which is what lets a killed crawl resume where it stopped.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.dupefilters import BaseDupeFilter
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_error

from junheng.corpus.crawl import CrawlStore
from junheng.corpus.store import Corpus
from junheng.crawler.canon import canonical_url, host_of, is_private_host, scheme_of
from junheng.crawler.items import FetchedPage, FetchFailure
from junheng.crawler.sources import Source, SourceSet

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


class Refused(IgnoreRequest):
    """A request junheng will not send (off-site, private address, bad scheme, loop)."""

    def __init__(self, reason: str, outcome: str = "skipped") -> None:
        super().__init__(reason)
        self.reason = reason
        self.outcome = outcome


@dataclass(frozen=True, slots=True)
class Job:
    """What one crawl process works on (the ``JUNHENG_JOB`` setting)."""

    db: str
    run_id: int
    job_id: int
    sources: SourceSet

    def source(self, name: str | None) -> Source | None:
        return next((s for s in self.sources.sources if s.name == name), None)


_stores: weakref.WeakKeyDictionary[Any, CrawlStore] = weakref.WeakKeyDictionary()
_jobs: weakref.WeakKeyDictionary[Any, Job] = weakref.WeakKeyDictionary()


def job_of(crawler: Crawler) -> Job:
    if crawler not in _jobs:
        data = crawler.settings.getdict("JUNHENG_JOB")
        _jobs[crawler] = Job(
            data["db"],
            int(data["run_id"]),
            int(data["job_id"]),
            SourceSet.from_json(data["sources"]),
        )
    return _jobs[crawler]


def store_of(crawler: Crawler) -> CrawlStore:
    """The crawl process's one connection to the corpus database."""
    if crawler not in _stores:
        _stores[crawler] = CrawlStore(Corpus.open(job_of(crawler).db, timeout=60.0))
    return _stores[crawler]


def chain_keys(request: Request) -> list[str]:
    """Canonical keys of the URLs a request went through (redirects, then its own)."""
    urls = [*request.meta.get("redirect_urls", []), request.url]
    return list(dict.fromkeys(canonical_url(u) for u in urls))


class _FromCrawler:
    """Scrapy builds components with ``from_crawler``; ours keep the crawler for its settings."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)


class FrontierDupeFilter(_FromCrawler, BaseDupeFilter):
    """Admits each canonical URL once per job, up to its source's page cap, in the database."""

    def request_seen(self, request: Request) -> bool:
        job = job_of(self.crawler)
        source = job.source(request.meta.get("source"))
        if source is None:
            return False
        verdict = store_of(self.crawler).admit(
            job.job_id,
            job.run_id,
            request.url,
            canonical_url(request.url),
            source.name,
            request.meta.get("kind", "article"),
            source.max_pages,
        )
        return verdict != "new"

    def log(self, request: Request, spider: Any) -> None:
        logger.debug("not fetched again in this job: %s", request.url)


class SafetyMiddleware(_FromCrawler):
    """Only http(s), only the source's allowed domains, no private addresses unless allowed.

    Runs before robots.txt, so nothing outside the rules is contacted at all, redirects
    included."""

    def process_request(self, request: Request, spider: Any = None) -> None:
        name = request.meta.get("source")
        if name is None:  # robots.txt of a host already admitted
            return
        source = job_of(self.crawler).source(name)
        if source is None:
            raise Refused("unknown source")
        if scheme_of(request.url) not in ("http", "https"):
            raise Refused("scheme")
        if not source.admits(request.url):
            raise Refused("off-site redirect" if request.meta.get("redirect_urls") else "off-site")
        if not source.allow_private and is_private_host(host_of(request.url)):
            raise Refused("private-address")


class ConditionalRequestMiddleware(_FromCrawler):
    """Adds If-None-Match / If-Modified-Since to article requests for pages already stored."""

    def process_request(self, request: Request, spider: Any = None) -> None:
        if request.meta.get("kind") != "article" or b"If-None-Match" in request.headers:
            return
        if b"If-Modified-Since" in request.headers:
            return
        found = store_of(self.crawler).validators(canonical_url(request.url))
        if found is None:
            return
        etag, modified = found
        if etag:
            request.headers[b"If-None-Match"] = etag
        if modified:
            request.headers[b"If-Modified-Since"] = modified
        request.meta["handle_httpstatus_list"] = [304]


class LoopSafeRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, stopping as soon as a chain comes back to a URL it went through."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            before = {canonical_url(u) for u in result.meta.get("redirect_urls", [])}
            if canonical_url(result.url) in before:
                raise Refused("redirect-loop", outcome="failed")
        return result


class PageStorePipeline(_FromCrawler):
    """Writes fetched pages and failures to the database, marking their frontier entries done."""

    def process_item(self, item: Any, spider: Any = None) -> Any:
        job = job_of(self.crawler)
        store = store_of(self.crawler)
        if isinstance(item, FetchedPage):
            source = job.source(item.source)
            if item.kind == "list":
                store.record_list(
                    job.run_id,
                    job.job_id,
                    url=item.url,
                    keys=item.keys,
                    source=item.source,
                    status=item.status,
                    size=len(item.body),
                )
            else:
                store.record_article(
                    job.run_id,
                    job.job_id,
                    url=item.url,
                    keys=item.keys,
                    source=item.source,
                    status=item.status,
                    body=item.body,
                    content_type=item.content_type,
                    etag=item.etag,
                    last_modified=item.last_modified,
                    region_hint=source.region_hint if source else None,
                )
        elif isinstance(item, FetchFailure):
            store.record_failure(
                job.run_id,
                job.job_id,
                url=item.url,
                keys=item.keys,
                source=item.source,
                kind=item.kind,
                outcome=item.outcome,
                reason=item.reason,
                status=item.status,
                size=item.size,
            )
        return item


def describe_failure(failure: Failure) -> tuple[str, str, int | None]:
    """(outcome, reason, HTTP status) of a failed request."""
    exc = failure.value
    if isinstance(exc, Refused):
        return exc.outcome, exc.reason, None
    if isinstance(exc, HttpError):
        return "failed", f"http-{exc.response.status}", exc.response.status
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "skipped", "robots.txt", None
        if "redirections" in text:
            return "failed", "too-many-redirects", None
        return "skipped", text or "ignored", None
    if isinstance(exc, DownloadTimeoutError | twisted_error.TimeoutError):
        return "failed", "timeout", None
    if isinstance(exc, DownloadCancelledError):
        return "failed", "too-large" if "size" in str(exc) else "cancelled", None
    if isinstance(exc, CannotResolveHostError | twisted_error.DNSLookupError):
        return "failed", "dns", None
    if isinstance(exc, DownloadConnectionRefusedError | twisted_error.ConnectionRefusedError):
        return "failed", "connection-refused", None
    if isinstance(exc, ResponseDataLossError):
        return "failed", "data-loss", None
    if isinstance(exc, twisted_error.ConnectError | twisted_error.ConnectionLost):
        return "failed", "connection", None
    return "failed", type(exc).__name__, None
