"""Crawl storage in the corpus database: runs, the frontier, pages and their versions, the run log,
near-duplicate signatures and duplicate links (tables in ``crawl_schema.py``).

One ``CrawlStore`` wraps an open ``Corpus``. The crawl process (Scrapy) writes frontier entries,
responses and failures; the analysing process reads pending versions and links them to documents.
Every write is one short transaction, so a crawl killed at any point leaves a consistent database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from junheng.corpus.store import Corpus

Admission = Literal["new", "seen", "capped"]


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class FrontierEntry:
    url: str
    source: str
    kind: str


@dataclass(frozen=True, slots=True)
class PendingVersion:
    id: int
    page_id: int
    url: str
    source: str | None
    content_type: str | None
    html: bytes  # decompressed response body
    previous_document: int | None  # the document the page held before this version
    region_hint: str | None = None


class CrawlStore:
    """Crawl tables of one corpus database."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.conn = corpus.db.conn

    # ------------------------------------------------------------ frontier (crawl process)

    def admit(
        self, job_id: int, run_id: int, url: str, key: str, source: str, kind: str, cap: int
    ) -> Admission:
        """Add a URL to the job's frontier unless it is there already or its source has used
        up its page cap (capped URLs are logged once as skipped)."""
        with self.corpus.transaction():
            seen = self.conn.execute(
                "select 1 from crawl_frontier where job_id = ? and url_canonical = ?", (job_id, key)
            ).fetchone()
            if seen:
                return "seen"
            used = self.conn.execute(
                "select count(*) from crawl_frontier where job_id = ? and source = ?"
                " and state != 'capped'",
                (job_id, source),
            ).fetchone()[0]
            state = "queued" if used < cap else "capped"
            self.conn.execute(
                "insert into crawl_frontier (job_id, url_canonical, url, source, kind, state)"
                " values (?, ?, ?, ?, ?, ?)",
                (job_id, key, url, source, kind, state),
            )
            if state == "capped":
                self._log(run_id, url, key, source, kind, "skipped", "page-cap")
                return "capped"
        return "new"

    def queued(self, job_id: int) -> list[FrontierEntry]:
        """URLs the job admitted but has not stored or failed yet (for resuming)."""
        rows = self.conn.execute(
            "select url, source, kind from crawl_frontier where job_id = ? and state = 'queued'"
            " order by kind = 'article', rowid",
            (job_id,),
        ).fetchall()
        return [FrontierEntry(*r) for r in rows]

    def validators(self, key: str) -> tuple[str | None, str | None] | None:
        """ETag and Last-Modified of a stored article page, for a conditional request."""
        row = self.conn.execute(
            "select etag, last_modified from crawl_pages where url_canonical = ?"
            " and raw_hash is not null and (etag is not null or last_modified is not null)",
            (key,),
        ).fetchone()
        return (row[0], row[1]) if row else None

    # ------------------------------------------------------------ responses (crawl process)

    def record_list(
        self,
        run_id: int,
        job_id: int,
        *,
        url: str,
        keys: Iterable[str],
        source: str,
        status: int,
        size: int,
    ) -> None:
        keys = list(keys)
        key = keys[-1]
        with self.corpus.transaction():
            self._page(key, url, source, "list", status, None, None)
            self._log(run_id, url, key, source, "list", "list", None, status, size)
            self._done(job_id, keys)

    def record_article(
        self,
        run_id: int,
        job_id: int,
        *,
        url: str,
        keys: Iterable[str],
        source: str,
        status: int,
        body: bytes,
        content_type: str | None,
        etag: str | None,
        last_modified: str | None,
        region_hint: str | None = None,
    ) -> str:
        """Store an article response; returns its outcome: ``unchanged`` (304, or the same bytes
        as the stored version) or ``pending`` (a new version waiting for analysis)."""
        keys = list(keys)
        key = keys[-1]  # the page is where the redirects ended
        with self.corpus.transaction():
            page_id, raw_hash = self._page(
                key, url, source, "article", status, etag, last_modified, region_hint
            )
            digest = hashlib.sha256(body).hexdigest() if status != 304 else raw_hash
            if status == 304 or digest == raw_hash:
                reason = "not modified (304)" if status == 304 else "same bytes"
                self._log(
                    run_id, url, key, source, "article", "unchanged", reason, status, len(body)
                )
            else:
                cur = self.conn.execute(
                    "insert into crawl_versions (page_id, run_id, fetched_at, url, http_status,"
                    " content_type, raw, raw_size, raw_hash, status)"
                    " values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')",
                    (
                        page_id,
                        run_id,
                        now(),
                        url,
                        status,
                        content_type,
                        zlib.compress(body, 6),
                        len(body),
                        digest,
                    ),
                )
                self.conn.execute(
                    "update crawl_pages set raw_hash = ? where id = ?", (digest, page_id)
                )
                self._log(
                    run_id,
                    url,
                    key,
                    source,
                    "article",
                    "pending",
                    None,
                    status,
                    len(body),
                    version_id=int(cur.lastrowid or 0),
                )
            self._done(job_id, keys)
        return "unchanged" if status == 304 or digest == raw_hash else "pending"

    def record_failure(
        self,
        run_id: int,
        job_id: int,
        *,
        url: str,
        keys: Iterable[str],
        source: str,
        kind: str,
        outcome: str,
        reason: str,
        status: int | None = None,
        size: int = 0,
    ) -> None:
        keys = list(keys)
        with self.corpus.transaction():
            self._log(
                run_id, url, keys[-1] if keys else url, source, kind, outcome, reason, status, size
            )
            self._done(job_id, keys)

    def _page(
        self,
        key: str,
        url: str,
        source: str,
        kind: str,
        status: int,
        etag: str | None,
        last_modified: str | None,
        region_hint: str | None = None,
    ) -> tuple[int, str | None]:
        row = self.conn.execute(
            "select id, raw_hash from crawl_pages where url_canonical = ?", (key,)
        ).fetchone()
        stamp = now()
        if row is None:
            cur = self.conn.execute(
                "insert into crawl_pages (url_canonical, url, source, region_hint, kind, etag,"
                " last_modified, first_seen, last_fetched, last_status)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, url, source, region_hint, kind, etag, last_modified, stamp, stamp, status),
            )
            return int(cur.lastrowid or 0), None
        if status == 304:  # keep validators unless the server sent new ones
            self.conn.execute(
                "update crawl_pages set last_fetched = ?, last_status = ?,"
                " etag = coalesce(?, etag), last_modified = coalesce(?, last_modified)"
                " where id = ?",
                (stamp, status, etag, last_modified, row[0]),
            )
        else:
            self.conn.execute(
                "update crawl_pages set url = ?, source = ?, region_hint = ?, kind = ?,"
                " last_fetched = ?, last_status = ?, etag = ?, last_modified = ? where id = ?",
                (url, source, region_hint, kind, stamp, status, etag, last_modified, row[0]),
            )
        return int(row[0]), row[1]

    def _log(
        self,
        run_id: int,
        url: str,
        key: str,
        source: str,
        kind: str,
        outcome: str,
        reason: str | None,
        status: int | None = None,
        size: int = 0,
        version_id: int | None = None,
    ) -> None:
        self.conn.execute(
            "insert into crawl_fetches (run_id, url, url_canonical, source, kind, outcome,"
            " reason, http_status, bytes, version_id, at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, url, key, source, kind, outcome, reason, status, size, version_id, now()),
        )

    def _done(self, job_id: int, keys: Iterable[str]) -> None:
        self.conn.executemany(
            "update crawl_frontier set state = 'done' where job_id = ? and url_canonical = ?",
            [(job_id, k) for k in dict.fromkeys(keys)],
        )

    # ------------------------------------------------------------ analysis (analysing process)

    def pending_versions(self, limit: int) -> list[PendingVersion]:
        rows = self.conn.execute(
            "select v.id, v.page_id, v.url, p.source, v.content_type, v.raw, p.document_id,"
            " p.region_hint from crawl_versions v join crawl_pages p on p.id = v.page_id"
            " where v.status = 'pending' order by v.id limit ?",
            (limit,),
        ).fetchall()
        return [
            PendingVersion(r[0], r[1], r[2], r[3], r[4], zlib.decompress(r[5]), r[6], r[7])
            for r in rows
        ]

    def complete_version(
        self,
        version: int,
        page: int,
        document: int,
        text_hash: str,
        outcome: str,
        reason: str | None = None,
    ) -> None:
        """Link a version to its document (the page's current one) and settle its log rows."""
        self.conn.execute(
            "update crawl_versions set status = 'done', document_id = ?, text_hash = ?,"
            " error = null where id = ?",
            (document, text_hash, version),
        )
        self.conn.execute("update crawl_pages set document_id = ? where id = ?", (document, page))
        self.conn.execute(
            "update crawl_fetches set outcome = ?, reason = ? where version_id = ?",
            (outcome, reason, version),
        )

    def fail_version(self, version: int, reason: str, detail: str) -> None:
        with self.corpus.transaction():
            self.conn.execute(
                "update crawl_versions set status = 'failed', error = ? where id = ?",
                (detail, version),
            )
            self.conn.execute(
                "update crawl_fetches set outcome = 'failed', reason = ? where version_id = ?",
                (reason, version),
            )

    def versions_for_reextract(self) -> list[tuple[int, int, int | None, str | None]]:
        """(version, page, document, text hash) of the newest version of every document and of
        every version whose extraction failed."""
        return [
            tuple(r)
            for r in self.conn.execute(
                "select v.id, v.page_id, v.document_id, v.text_hash from crawl_versions v"
                " where (v.status = 'done' and v.id = (select max(w.id) from crawl_versions w"
                " where w.document_id = v.document_id))"
                " or (v.status = 'failed' and v.id = (select max(w.id) from crawl_versions w"
                " where w.page_id = v.page_id))"
                " order by v.id"
            )
        ]

    def raw(self, version: int) -> tuple[str, str | None, bytes, str | None]:
        """(URL, content type, response body, region hint) of a stored version."""
        url, ctype, raw, hint = self.conn.execute(
            "select v.url, v.content_type, v.raw, p.region_hint from crawl_versions v"
            " join crawl_pages p on p.id = v.page_id where v.id = ?",
            (version,),
        ).fetchone()
        return url, ctype, zlib.decompress(raw), hint

    def failed_among(self, versions: Sequence[int]) -> int:
        if not versions:
            return 0
        marks = ",".join("?" * len(versions))
        return int(
            self.conn.execute(
                f"select count(*) from crawl_versions where status = 'failed' and id in ({marks})",
                list(versions),
            ).fetchone()[0]
        )

    def move_versions(self, document: int, target: int, text_hash: str) -> None:
        """Versions and pages that held ``document`` now hold ``target``."""
        self.conn.execute(
            "update crawl_versions set document_id = ?, text_hash = ? where document_id = ?",
            (target, text_hash, document),
        )
        self.conn.execute(
            "update crawl_pages set document_id = ? where document_id = ?", (target, document)
        )

    def set_text_hash(self, version: int, text_hash: str) -> None:
        self.conn.execute(
            "update crawl_versions set text_hash = ? where id = ?", (text_hash, version)
        )

    def requeue(self, version: int) -> None:
        self.conn.execute("update crawl_versions set status = 'pending' where id = ?", (version,))

    # ------------------------------------------------------------ near duplicates

    def store_signature(self, document: int, minhash: bytes | None, buckets: Sequence[int]) -> None:
        self.conn.execute("delete from crawl_bands where document_id = ?", (document,))
        self.conn.execute(
            "insert or replace into crawl_signatures (document_id, minhash) values (?, ?)",
            (document, minhash),
        )
        self.conn.executemany(
            "insert into crawl_bands (bucket, document_id) values (?, ?)",
            [(b, document) for b in buckets],
        )

    def unsigned_documents(self, limit: int = 500) -> list[tuple[int, str]]:
        return self.conn.execute(
            "select id, text from documents where id not in"
            " (select document_id from crawl_signatures) order by id limit ?",
            (limit,),
        ).fetchall()

    def candidates(self, buckets: Sequence[int], exclude: Iterable[int]) -> list[tuple[int, bytes]]:
        """Counted documents sharing an LSH bucket, with their signatures."""
        if not buckets:
            return []
        skip = set(exclude)
        marks = ",".join("?" * len(buckets))
        rows = self.conn.execute(
            "select distinct s.document_id, s.minhash from crawl_bands b"
            " join crawl_signatures s on s.document_id = b.document_id"
            " join documents d on d.id = b.document_id"
            f" where b.bucket in ({marks}) and d.duplicate_of is null",
            list(buckets),
        ).fetchall()
        return [(r[0], r[1]) for r in rows if r[0] not in skip and r[1]]

    def link_duplicate(self, document: int, target: int, kind: str, similarity: float) -> None:
        """Stop ``document`` counting: it is a copy or an earlier version of ``target``.
        Documents that pointed at ``document`` as copies now point at ``target``."""
        self.conn.execute("update documents set duplicate_of = ? where id = ?", (target, document))
        self.conn.execute(
            "insert or replace into crawl_doc_links (document_id, kind, target_id, similarity, at)"
            " values (?, ?, ?, ?, ?)",
            (document, kind, target, round(similarity, 4), now()),
        )
        moved = [
            r[0]
            for r in self.conn.execute(
                "select document_id from crawl_doc_links where target_id = ? and kind = 'copy'"
                " and document_id != ?",
                (document, target),
            )
        ]
        for doc in moved:
            self.conn.execute("update documents set duplicate_of = ? where id = ?", (target, doc))
            self.conn.execute(
                "update crawl_doc_links set target_id = ? where document_id = ?", (target, doc)
            )

    def revive(self, document: int) -> None:
        """A document superseded as an earlier version counts again (its text is current)."""
        found = self.conn.execute(
            "select 1 from crawl_doc_links where document_id = ? and kind = 'earlier-version'",
            (document,),
        ).fetchone()
        if found:
            self.conn.execute("delete from crawl_doc_links where document_id = ?", (document,))
            self.conn.execute("update documents set duplicate_of = null where id = ?", (document,))

    def document_meta(self, document: int) -> dict[str, Any] | None:
        rows = self.corpus.query(
            "select id, url, url_canonical, published, content_hash, duplicate_of"
            " from documents where id = ?",
            (document,),
        )
        return rows[0] if rows else None
