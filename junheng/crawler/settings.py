"""Every Scrapy setting junheng uses, in one place.

``scrapy_settings`` turns the crawl options of a sources file (``[crawl]``) into Scrapy settings.
Scaling out later means swapping the scheduler and duplicate filter here for scrapy-redis ones
(``SCHEDULER``, ``DUPEFILTER_CLASS``) and pointing the page store at a shared database; the
spider keeps no state of its own (the frontier, validators and pages live in the database).
"""

from __future__ import annotations

from typing import Any

from junheng.crawler.sources import CrawlOptions

_PKG = "junheng.crawler.components"

# Error codes worth another attempt (capped by ``retries``).
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]


def scrapy_settings(
    options: CrawlOptions, job: dict[str, Any], *, log_level: str = "WARNING"
) -> dict[str, Any]:
    """Scrapy settings for one crawl process; ``job`` (database, run, sources) rides along as
    ``JUNHENG_JOB`` for junheng's components."""
    polite = options.delay > 0 or options.autothrottle
    return {
        "BOT_NAME": "junheng",
        "USER_AGENT": options.user_agent,
        # politeness: robots.txt, per-host delay and concurrency, AutoThrottle
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_DELAY": options.delay,
        "DOWNLOAD_DELAY_JITTER": 0.5 if options.delay > 0 else 0.0,
        "AUTOTHROTTLE_ENABLED": options.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(options.delay, 0.01),
        "AUTOTHROTTLE_MAX_DELAY": max(60.0, options.delay * 10) if polite else 1.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "CONCURRENT_REQUESTS": options.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": options.per_host,
        # limits: timeouts, sizes, retries, redirects
        "DOWNLOAD_TIMEOUT": options.timeout,
        "DNS_TIMEOUT": min(60.0, options.timeout),
        "DOWNLOAD_MAXSIZE": int(options.max_size_mb * 1024 * 1024),
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": options.retries > 0,
        "RETRY_TIMES": options.retries,
        "RETRY_HTTP_CODES": RETRY_HTTP_CODES,
        "RETRY_GIVE_UP_LOG_LEVEL": "INFO",
        "REDIRECT_ENABLED": options.redirects > 0,
        "REDIRECT_MAX_TIMES": options.redirects,
        "METAREFRESH_MAXDELAY": 10,
        "DEPTH_LIMIT": 0,
        "URLLENGTH_LIMIT": 2083,
        # only http(s); no cookies (government sites do not need them, and the cookie jar
        # would look public suffixes up over the network)
        "DOWNLOAD_HANDLERS": {"file": None, "ftp": None, "s3": None, "data": None},
        "COOKIES_ENABLED": False,
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Language": "zh-CN,zh;q=0.9",
        },
        # junheng's components: the frontier (duplicate filter with the page cap), safety
        # checks, conditional requests, loop-safe redirects and the page store
        "DUPEFILTER_CLASS": f"{_PKG}.FrontierDupeFilter",
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            f"{_PKG}.SafetyMiddleware": 50,
            f"{_PKG}.ConditionalRequestMiddleware": 560,
            "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
            f"{_PKG}.LoopSafeRedirectMiddleware": 600,
        },
        "ITEM_PIPELINES": {f"{_PKG}.PageStorePipeline": 300},
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        # no consoles or remote control ports
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "MEMUSAGE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "LOG_INSTALL_ROOT_HANDLER": True,
        "LOGSTATS_INTERVAL": 60.0,
        "STATS_DUMP": log_level in ("DEBUG", "INFO"),
        "JUNHENG_JOB": job,
    }
