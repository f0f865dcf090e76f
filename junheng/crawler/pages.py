"""Stored pages → documents: decode, extract, analyse, judge relevance, link duplicates.

Runs in the analysing process (the one that called ``junheng.api.crawl``), beside the crawl
process, over the versions the crawl stored as ``pending``. A version whose text equals the
page's current document changes nothing; new text becomes a new document (one ``Pipeline``,
batched), the page's earlier document stops counting (``duplicate_of`` = the new one, link kind
``earlier-version``), and a near-duplicate of another counted document (a syndicated copy) is
linked to whichever of the two was published first (link kind ``copy``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from junheng.corpus.crawl import CrawlStore, PendingVersion
from junheng.corpus.store import Corpus
from junheng.crawler import dedup
from junheng.crawler.canon import canonical_url
from junheng.crawler.decode import decode_bytes
from junheng.crawler.relevance import judge
from junheng.crawler.textmeta import normalise_date
from junheng.errors import ExtractionError, InputError
from junheng.pipeline import Pipeline, content_hash
from junheng.records import AnalysedDocument, SourceDocument
from junheng.workers import Workers

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


@dataclass(frozen=True, slots=True)
class _Work:
    version: PendingVersion
    document: SourceDocument
    text_hash: str
    previous: dict[str, Any] | None


def page_document(
    url: str, body: bytes, content_type: str | None, region_hint: str | None
) -> SourceDocument:
    """Decode and extract one stored page. Raises ``InputError``/``ExtractionError``."""
    from junheng.crawler.extract import extract_article

    match = _CHARSET.search(content_type or "")
    decoded = decode_bytes(body, declared=match.group(1) if match else None, html=True)
    if decoded.replacements > max(5, len(decoded.text) // 100):
        raise InputError(f"not readable text ({decoded.replacements} undecodable bytes)")
    article = extract_article(decoded.text, url=url)
    if not article.body.strip():
        raise ExtractionError("no article text found on the page")
    return SourceDocument(
        location=url,
        text=article.body,
        kind="html",
        title=article.title,
        published=normalise_date(article.published or "") or article.published,
        source=article.source,
        author=article.author,
        url=url,
        region_hint=region_hint,
        encoding=decoded.encoding,
    )


class PageAnalyser:
    """Turns pending page versions into corpus documents, one batch at a time."""

    def __init__(
        self,
        corpus: Corpus,
        store: CrawlStore,
        pipeline: Callable[[], Pipeline],
        *,
        batch_size: int = 32,
        jobs: int | None = 1,
    ) -> None:
        self.corpus = corpus
        self.store = store
        self._pipeline = pipeline
        self.batch_size = batch_size
        self.jobs = jobs  # analysis worker processes (None: all cores), started on first use
        self._workers: Workers | None = None
        self.analysed = 0  # documents analysed (new text) by this analyser
        self._signed = False

    def run_pending(self) -> int:
        """Process one batch of pending versions; returns how many were settled."""
        rows = self.store.pending_versions(self.batch_size)
        if not rows:
            return 0
        work: list[_Work] = []
        hashes: set[str] = set()
        pages: set[int] = set()
        settled = 0
        for row in rows:
            if row.page_id in pages:
                continue  # a later version of a page in this batch: next round, after this one
            pages.add(row.page_id)
            try:
                doc = page_document(row.url, row.html, row.content_type, row.region_hint)
            except (InputError, ExtractionError) as exc:
                self.store.fail_version(row.id, "extract", str(exc))
                settled += 1
                continue
            digest = content_hash(doc.text)
            previous = (
                self.store.document_meta(row.previous_document) if row.previous_document else None
            )
            if digest in hashes:
                continue  # the same text earlier in this batch: settled in the next round
            if self._settle_known(row, digest, previous):
                settled += 1
                continue
            hashes.add(digest)
            work.append(_Work(row, doc, digest, previous))
        if work:
            pipeline = self._pipeline()
            self._ensure_signatures()
            if self._workers is None:
                self._workers = Workers(pipeline, self.jobs)
            analysed = self._workers.map([w.document for w in work])
            for item, result in zip(work, analysed, strict=True):
                if isinstance(result, AnalysedDocument):
                    self._store_new(item, result, pipeline)
                else:
                    self.store.fail_version(item.version.id, "analysis", str(result))
                settled += 1
        return settled

    def close(self) -> None:
        """Stop the analysis workers, if any were started."""
        if self._workers is not None:
            self._workers.close()
            self._workers = None

    def _settle_known(
        self, row: PendingVersion, digest: str, previous: dict[str, Any] | None
    ) -> bool:
        """Versions whose text is stored already: the page's own text, or another document's."""
        if previous is not None and previous["content_hash"] == digest:
            with self.corpus.transaction():
                self.store.complete_version(
                    row.id, row.page_id, previous["id"], digest, "unchanged", "same text"
                )
            return True
        existing = self.corpus.has_content(digest)
        if existing is None:
            return False
        meta = self.store.document_meta(existing)
        if meta and meta["url_canonical"] is None and meta["url"] == row.url:
            return False  # our own document, stored before a crash cut its bookkeeping short
        with self.corpus.transaction():
            self.store.revive(existing)  # the page went back to an earlier text
            if previous is not None and previous["id"] != existing:
                self.store.link_duplicate(previous["id"], existing, "earlier-version", 1.0)
            self.store.complete_version(
                row.id,
                row.page_id,
                existing,
                digest,
                "changed" if previous else "new",
                f"same text as document {existing}",
            )
        return True

    def _store_new(self, item: _Work, result: AnalysedDocument, pipeline: Pipeline) -> None:
        added = self.corpus.add(
            result, analysed_with=pipeline.fingerprint, index_terms=pipeline.segmenter.index_terms
        )
        self.analysed += 1
        with self.corpus.transaction():
            self._mark_crawled(added.document_id, item.version, result)
            self._finish(item.version, added.document_id, item.text_hash, item.previous, result)

    def _mark_crawled(self, doc_id: int, row: PendingVersion, result: AnalysedDocument) -> None:
        verdict = judge(result)
        self.corpus.db.execute(
            "update documents set url_canonical = ?, relevant = ?, relevance_reason = ?"
            " where id = ?",
            (canonical_url(row.url), verdict.flag, verdict.reason, doc_id),
        )

    def _finish(
        self,
        row: PendingVersion,
        doc_id: int,
        digest: str,
        previous: dict[str, Any] | None,
        result: AnalysedDocument,
    ) -> None:
        """Signature, earlier version, near duplicates and the version's outcome (inside the
        caller's transaction)."""
        signature = dedup.minhash(result.source.text)
        self.store.store_signature(doc_id, signature, dedup.buckets(signature))
        if previous is not None and previous["id"] != doc_id:
            self.store.link_duplicate(previous["id"], doc_id, "earlier-version", 1.0)
        reason = self._link_near_duplicate(doc_id, signature, previous)
        self.store.complete_version(
            row.id, row.page_id, doc_id, digest, "changed" if previous else "new", reason
        )

    def _link_near_duplicate(
        self, doc_id: int, signature: bytes | None, previous: dict[str, Any] | None
    ) -> str | None:
        if signature is None:
            return None
        exclude = {doc_id} | ({previous["id"]} if previous else set())
        best: tuple[float, int] | None = None
        for other, other_sig in self.store.candidates(dedup.buckets(signature), exclude):
            score = dedup.similarity(signature, other_sig)
            if score >= dedup.THRESHOLD and (best is None or score > best[0]):
                best = (score, other)
        if best is None:
            return None
        score, other = best
        mine, theirs = self.store.document_meta(doc_id), self.store.document_meta(other)
        assert mine is not None and theirs is not None
        if _published_first(mine, theirs):
            self.store.link_duplicate(other, doc_id, "copy", score)
            return f"original of near-duplicate document {other} ({score:.2f})"
        self.store.link_duplicate(doc_id, other, "copy", score)
        return f"near-duplicate of document {other} ({score:.2f})"

    def replace_document(
        self, version: int, doc_id: int, digest: str, result: AnalysedDocument, pipeline: Pipeline
    ) -> None:
        """Re-extraction gave a stored document new text: update it in place and re-analyse it
        (or, when the new text is another document's, make it a copy of that one)."""
        existing = self.corpus.has_content(digest)
        if existing is not None and existing != doc_id:
            with self.corpus.transaction():
                self.store.link_duplicate(doc_id, existing, "copy", 1.0)
                self.store.move_versions(doc_id, existing, digest)
            return
        src = result.source
        with self.corpus.transaction():
            self.corpus.db.execute(
                "update documents set text = ?, content_hash = ?, title = ?, published = ?,"
                " source = ?, author = ? where id = ?",
                (src.text, digest, src.title, src.published, src.source, src.author, doc_id),
            )
        self.corpus.replace_analysis(
            doc_id,
            result,
            analysed_with=pipeline.fingerprint,
            index_terms=pipeline.segmenter.index_terms,
        )
        self.analysed += 1
        verdict = judge(result)
        signature = dedup.minhash(src.text)
        with self.corpus.transaction():
            self.corpus.db.execute(
                "update documents set relevant = ?, relevance_reason = ? where id = ?",
                (verdict.flag, verdict.reason, doc_id),
            )
            self.store.store_signature(doc_id, signature, dedup.buckets(signature))
            self.store.set_text_hash(version, digest)
            meta = self.store.document_meta(doc_id)
            if meta is not None and meta["duplicate_of"] is None:
                self._link_near_duplicate(doc_id, signature, None)

    def _ensure_signatures(self) -> None:
        """Sign documents stored before (ingested files, older crawls) once, so copies of them
        are found too."""
        if self._signed:
            return
        while True:
            batch = self.store.unsigned_documents()
            if not batch:
                break
            with self.corpus.transaction():
                for doc_id, text in batch:
                    signature = dedup.minhash(text)
                    self.store.store_signature(doc_id, signature, dedup.buckets(signature))
        self._signed = True


def _published_first(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """True when document ``a`` is the original of the pair: published earlier, else stored
    first."""
    pa, pb = a.get("published") or "", b.get("published") or ""
    if pa and pb and pa != pb:
        return pa < pb
    return int(a["id"]) < int(b["id"])
