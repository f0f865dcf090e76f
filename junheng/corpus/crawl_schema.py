"""Crawl bookkeeping tables (pages, versions, raw HTML, runs) as their own migration set.

* ``crawl_runs``: one row per ``junheng crawl`` (start, end, status, bytes); a run resumed from an
  interrupted one shares its ``job_id``.
* ``crawl_frontier``: the URLs a job has admitted (``queued`` until stored or failed, then
  ``done``); an interrupted job restarts from its queued URLs. Rows of finished jobs are deleted.
* ``crawl_pages``: one row per canonical URL with the validators of its last response (ETag,
  Last-Modified) for conditional requests, and the document it currently holds.
* ``crawl_versions``: every distinct download of an article page, its raw HTML zlib-compressed,
  and what became of it (``pending`` analysis, ``done`` with a document, ``failed``).
* ``crawl_fetches``: the run log, one row per URL a run dealt with: outcome (list, new, changed,
  unchanged, failed, skipped), reason, HTTP status and bytes. Run statistics are computed from it.
* ``crawl_signatures``/``crawl_bands``: MinHash signatures of documents and their LSH band buckets
  (near-duplicate search).
* ``crawl_doc_links``: why a document's ``duplicate_of`` is set: ``copy`` (syndicated or near
  duplicate of the target) or ``earlier-version`` (an older version of the target's page).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("junheng-crawl")


@migrations()
def m001_crawl_tables(db: Database) -> None:
    db["crawl_runs"].create(
        {
            "id": int,
            "job_id": int,
            "resumed_from": int,
            "started": str,
            "finished": str,
            "status": str,  # running | finished | interrupted | failed
            "sources": str,  # JSON list of source names
            "fingerprint": str,
            "pid": int,
            "message": str,
        },
        pk="id",
    )
    db["crawl_frontier"].create(
        {
            "job_id": int,
            "url_canonical": str,
            "url": str,
            "source": str,
            "kind": str,  # list | article
            "state": str,  # queued | done
        },
        pk=("job_id", "url_canonical"),
    )
    db["crawl_frontier"].create_index(["job_id", "state"])
    db["crawl_frontier"].create_index(["job_id", "source"])
    db["crawl_pages"].create(
        {
            "id": int,
            "url_canonical": str,
            "url": str,
            "source": str,
            "region_hint": str,
            "kind": str,
            "etag": str,
            "last_modified": str,
            "first_seen": str,
            "last_fetched": str,
            "last_status": int,
            "raw_hash": str,
            "document_id": int,
        },
        pk="id",
    )
    db["crawl_pages"].create_index(["url_canonical"], unique=True)
    db["crawl_pages"].create_index(["document_id"])
    db["crawl_versions"].create(
        {
            "id": int,
            "page_id": int,
            "run_id": int,
            "fetched_at": str,
            "url": str,
            "http_status": int,
            "content_type": str,
            "raw": bytes,  # zlib-compressed response body
            "raw_size": int,
            "raw_hash": str,
            "status": str,  # pending | done | failed
            "document_id": int,
            "text_hash": str,
            "error": str,
        },
        pk="id",
        foreign_keys=[("page_id", "crawl_pages", "id")],
    )
    db["crawl_versions"].create_index(["status"])
    db["crawl_versions"].create_index(["page_id"])
    db["crawl_versions"].create_index(["document_id"])
    db["crawl_fetches"].create(
        {
            "id": int,
            "run_id": int,
            "url": str,
            "url_canonical": str,
            "source": str,
            "kind": str,
            "outcome": str,  # list | pending | new | changed | unchanged | failed | skipped
            "reason": str,
            "http_status": int,
            "bytes": int,
            "version_id": int,
            "at": str,
        },
        pk="id",
    )
    db["crawl_fetches"].create_index(["run_id", "outcome"])
    db["crawl_fetches"].create_index(["version_id"])
    db["crawl_signatures"].create({"document_id": int, "minhash": bytes}, pk="document_id")
    db["crawl_bands"].create({"bucket": int, "document_id": int})
    db["crawl_bands"].create_index(["bucket"])
    db["crawl_bands"].create_index(["document_id"])
    db["crawl_doc_links"].create(
        {
            "document_id": int,
            "kind": str,  # copy | earlier-version
            "target_id": int,
            "similarity": float,
            "at": str,
        },
        pk="document_id",
    )
    db["crawl_doc_links"].create_index(["target_id"])
