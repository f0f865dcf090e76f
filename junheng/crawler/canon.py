"""URLs: canonical keys, what may be fetched (schemes, domains, private addresses), link kinds.

A canonical key identifies a page however it was linked: scheme-insensitive (http and https are
one page), lower-case host without the default port, no fragment, no tracking parameters
(``utm_*``, ``spm``, ``from`` …), query parameters sorted, index pages (``index.html``,
``default.htm`` …) folded into their folder and no trailing slash. Keys are for identity only;
requests go to the URL as linked.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

from w3lib.url import canonicalize_url

FETCHABLE_SCHEMES = frozenset({"http", "https"})

# Query parameters that only say where a click came from.
TRACKING_PARAMS = frozenset(
    {
        "spm",
        "from",
        "isappinstalled",
        "scene",
        "clicktime",
        "enterid",
        "share",
        "share_token",
        "sharer",
        "sharesource",
        "share_from",
        "shareid",
        "wxfrom",
        "wfr",
        "tt_from",
        "fbclid",
        "gclid",
        "yclid",
        "msclkid",
        "_hsenc",
        "_hsmi",
        "mc_cid",
        "mc_eid",
        "ref",
        "refer",
        "referer",
        "source_from",
        "timestamp",
        "_t",
        "t_from",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")

_INDEX_PAGE = re.compile(r"/(?:index|default|home)\.(?:s?html?|php|jsp|aspx?|do)$", re.I)
_MULTI_SLASH = re.compile(r"/{2,}")

# Links that are documents or media, not article pages: never fetched as articles.
BINARY_SUFFIXES = frozenset(
    {
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "wps",
        "et",
        "dps",
        "ofd",
        "ceb",
        "zip",
        "rar",
        "7z",
        "gz",
        "tgz",
        "bz2",
        "tar",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "bmp",
        "webp",
        "svg",
        "ico",
        "tif",
        "tiff",
        "mp3",
        "mp4",
        "m4a",
        "avi",
        "flv",
        "wmv",
        "mov",
        "mkv",
        "wav",
        "exe",
        "msi",
        "apk",
        "ipa",
        "dmg",
        "iso",
        "swf",
        "css",
        "js",
        "json",
        "xml",
        "txt",
        "csv",
        "rss",
    }
)


def canonical_url(url: str) -> str:
    """The identity key of a page URL (see the module docstring)."""
    parts = urlsplit(canonicalize_url(url.strip(), keep_fragments=False))
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = _MULTI_SLASH.sub("/", parts.path or "/")
    path = _INDEX_PAGE.sub("/", path)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    tail = f"?{urlencode(sorted(query))}" if query else ""
    return f"https://{netloc}{path}{tail}"


def host_of(url: str) -> str:
    """Lower-case host name of a URL ("" when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def scheme_of(url: str) -> str:
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def normalise_domain(domain: str) -> str:
    """``"http://www.Example.cn:8080/"`` → ``"www.example.cn"``; bare hosts pass through."""
    d = domain.strip().lower()
    if "//" in d:
        d = host_of(d)
    d = d.split("/", 1)[0]
    if d.startswith("[") and "]" in d:  # an IPv6 literal
        return d[1 : d.index("]")]
    if d.count(":") == 1:
        d = d.split(":", 1)[0]
    return d.strip(".")


def in_domains(host: str, domains: tuple[str, ...]) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def is_binary_link(url: str) -> bool:
    """True for links to PDFs, office files, images, media and archives (by file suffix)."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    last = path.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[-1].lower() in BINARY_SUFFIXES


_LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".lan", ".home.arpa")


def is_private_host(host: str) -> bool:
    """True when ``host`` is, or resolves to, a non-public address (loopback, private ranges,
    link-local, carrier-grade NAT, reserved) or is a local-only name such as ``localhost``."""
    h = host.strip("[]").lower().rstrip(".")
    if not h:
        return True
    if h == "localhost" or h.endswith(_LOCAL_NAMES):
        return True
    try:
        return not ipaddress.ip_address(h).is_global
    except ValueError:
        pass
    return any(not ipaddress.ip_address(a).is_global for a in _resolve(h))


@lru_cache(maxsize=4096)
def _resolve(host: str) -> tuple[str, ...]:
    """Addresses of a host name (empty when it does not resolve: the fetch then fails)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()
    return tuple(sorted({str(info[4][0]).split("%", 1)[0] for info in infos}))
