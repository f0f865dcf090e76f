"""The corpus database: documents, sentences, measures, strategies and regions in SQLite."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from junheng.corpus.crawl_schema import migrations as crawl_migrations
from junheng.corpus.schema import migrations
from junheng.errors import CorpusCorrupt, CorpusError, CorpusLocked
from junheng.nlp.lexicon import LexiconEntry
from junheng.records import AnalysedDocument, Region, SourceDocument

AddStatus = Literal["added", "unchanged"]

# The sentences analyses count (alias s, joined with documents as d): article text of documents
# about compulsory education, each report once (syndicated copies point to their original).
COUNTED = "s.boilerplate = 0 and coalesce(d.relevant, 1) = 1 and d.duplicate_of is null"


@dataclass(frozen=True, slots=True)
class AddResult:
    status: AddStatus
    document_id: int
    sentences: int = 0
    measures: int = 0


def _translate(exc: sqlite3.Error, path: str) -> CorpusError:
    msg = str(exc).lower()
    if "locked" in msg or "busy" in msg:
        return CorpusLocked(
            f"database {path} is locked by another process; try again when it finishes"
        )
    if "not a database" in msg or "malformed" in msg or "encrypted" in msg:
        return CorpusCorrupt(
            f"{path} is not a readable junheng database ({exc}); it was left untouched"
        )
    if "readonly" in msg or "read-only" in msg:
        return CorpusError(f"database {path} is read-only")
    if "unable to open" in msg:
        return CorpusError(
            f"cannot open database {path}: check that its folder exists and is writable"
        )
    return CorpusError(f"database {path}: {exc}")


class Corpus:
    """A junheng corpus database. Open with ``Corpus.open(path)``; close when done."""

    def __init__(self, db: Database, path: str) -> None:
        self.db = db
        self.path = path

    # ------------------------------------------------------------ lifecycle

    @classmethod
    def open(
        cls, path: str | os.PathLike[str], *, create: bool = True, timeout: float = 5.0
    ) -> Corpus:
        """Open (and migrate) a corpus; a missing file is created unless ``create`` is false.

        Raises ``CorpusCorrupt`` for files that are not junheng databases and ``CorpusLocked``
        when another process holds the write lock longer than ``timeout`` seconds.
        """
        where = str(path)
        p = Path(path)
        if where != ":memory:" and not p.exists() and not create:
            raise CorpusError(f"no corpus at {where}; run `junheng ingest` first")
        if where != ":memory:" and p.exists() and p.is_dir():
            raise CorpusError(f"{where} is a folder, not a database file")
        try:
            conn = sqlite3.connect(where, timeout=timeout)
            conn.execute("PRAGMA foreign_keys = ON")
            tables = {
                r[0] for r in conn.execute("select name from sqlite_master where type='table'")
            }
            if tables and "documents" not in tables:
                conn.close()
                raise CorpusCorrupt(
                    f"{where} is an SQLite database but not a junheng corpus; it was left untouched"
                )
            if where != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            db = Database(conn)
            for migration_set in (migrations, crawl_migrations):
                if migration_set.pending(db):
                    migration_set.apply(db)
        except sqlite3.Error as exc:
            raise _translate(exc, where) from None
        return cls(db, where)

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write: everything inside commits together or not at all."""
        try:
            with self.db.conn:
                yield
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def query(
        self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()
    ) -> list[dict[str, Any]]:
        """Rows of a read query as dicts, with SQLite errors translated."""
        try:
            return list(self.db.query(sql, params))
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def iterate(
        self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()
    ) -> Iterator[dict[str, Any]]:
        """Rows of a read query one at a time (for exports that must not hold everything)."""
        try:
            cursor = self.db.conn.execute(sql, params)
            names = [c[0] for c in cursor.description]
            for row in cursor:
                yield dict(zip(names, row, strict=True))
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    # ------------------------------------------------------------ meta

    def get_meta(self, key: str) -> str | None:
        rows = self.query("select value from meta where key = ?", (key,))
        return rows[0]["value"] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")

    # ------------------------------------------------------------ writing

    def has_content(self, content_hash: str) -> int | None:
        rows = self.query("select id from documents where content_hash = ?", (content_hash,))
        return rows[0]["id"] if rows else None

    def add(
        self,
        doc: AnalysedDocument,
        *,
        analysed_with: str,
        index_terms: Callable[[tuple[str, ...]], list[str]],
    ) -> AddResult:
        """Store an analysed document; the same content (by hash) is stored once."""
        existing = self.has_content(doc.content_hash)
        if existing is not None:
            return AddResult("unchanged", existing)
        src = doc.source
        with self.transaction():
            doc_id = (
                self.db["documents"]
                .insert(
                    {
                        "content_hash": doc.content_hash,
                        "location": src.location,
                        "url": src.url,
                        "kind": src.kind,
                        "title": src.title,
                        "published": src.published,
                        "source": src.source,
                        "author": src.author,
                        "region_hint": src.region_hint,
                        "text": src.text,
                        "ingested_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    }
                )
                .last_pk
            )
            n_measures = self._insert_analysis(int(doc_id), doc, analysed_with, index_terms)
        return AddResult("added", int(doc_id), len(doc.sentences), n_measures)

    def replace_analysis(
        self,
        doc_id: int,
        doc: AnalysedDocument,
        *,
        analysed_with: str,
        index_terms: Callable[[tuple[str, ...]], list[str]],
    ) -> int:
        """Swap a stored document's analysis for a new one (the document itself stays)."""
        with self.transaction():
            self._delete_analysis(doc_id)
            return self._insert_analysis(doc_id, doc, analysed_with, index_terms)

    def _delete_analysis(self, doc_id: int) -> None:
        for table in (
            "sentence_strategies",
            "measures",
            "document_strategies",
            "document_regions",
            "sentences",
        ):
            self.db.execute(f"delete from [{table}] where document_id = ?", (doc_id,))

    def _insert_analysis(
        self,
        doc_id: int,
        doc: AnalysedDocument,
        analysed_with: str,
        index_terms: Callable[[tuple[str, ...]], list[str]],
    ) -> int:
        """Insert sentences, measures and labels in bulk (ids assigned inside the transaction)."""
        for region in {r.adcode: r for r in _all_regions(doc)}.values():
            self._upsert_region(region)
        main = doc.regions[0] if doc.regions else None
        self.db.execute(
            "update documents set main_adcode = ?, analysed_with = ?, removed = ? where id = ?",
            (
                main.adcode if main else None,
                analysed_with,
                _json([r.as_dict() for r in doc.removed]),
                doc_id,
            ),
        )
        first = self.db.execute("select coalesce(max(id), 0) + 1 from sentences").fetchone()[0]
        sentence_rows = []
        measure_rows = []
        strategy_rows = []
        for idx, s in enumerate(doc.sentences):
            sid = first + idx
            sentence_rows.append(
                {
                    "id": sid,
                    "document_id": doc_id,
                    "idx": idx,
                    "char_start": s.start,
                    "char_end": s.end,
                    "text": s.text,
                    "boilerplate": int(s.boilerplate),
                    "boilerplate_reason": s.boilerplate_reason,
                    "adcode": s.region.adcode if s.region else None,
                    "region_confidence": round(s.region_confidence, 3),
                    "region_method": s.region_method,
                    "instrument": s.instrument,
                    # boilerplate is never searched: leaving it out keeps the index small
                    "index_text": "" if s.boilerplate else " ".join(index_terms(s.tokens)),
                }
            )
            measure_rows.extend(
                {
                    "document_id": doc_id,
                    "sentence_id": sid,
                    "term": m.term,
                    "canonical": m.canonical,
                    "category": m.category,
                    "char_start": m.start,
                    "char_end": m.end,
                    "method": m.method,
                    "figures": _json([f.as_dict() for f in m.figures]),
                }
                for m in s.measures
            )
            strategy_rows.extend(
                {
                    "sentence_id": sid,
                    "document_id": doc_id,
                    "strategy": st.id,
                    "score": st.score,
                    "method": st.method,
                }
                for st in s.strategies
            )
        for table, rows in (
            ("sentences", sentence_rows),
            ("measures", measure_rows),
            ("sentence_strategies", strategy_rows),
        ):
            self._insert_many(table, rows)
        if doc.strategies:
            self.db["document_strategies"].insert_all(
                {"document_id": doc_id, "strategy": s.id, "score": s.score, "method": s.method}
                for s in doc.strategies
            )
        if doc.regions:
            self.db["document_regions"].insert_all(
                {"document_id": doc_id, "adcode": r.adcode, "rank": k}
                for k, r in enumerate(doc.regions)
            )
        return len(measure_rows)

    def _insert_many(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Plain ``executemany`` for the bulk tables (sqlite-utils' insert builds SQL per chunk)."""
        if not rows:
            return
        cols = list(rows[0])
        sql = (
            f"insert into [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
            f"values ({', '.join('?' for _ in cols)})"
        )
        self.db.conn.executemany(sql, [tuple(r.values()) for r in rows])

    def _upsert_region(self, region: Region) -> None:
        self.db["regions"].insert(
            {
                "adcode": region.adcode,
                "province": region.province,
                "city": region.city,
                "county": region.county,
                "level": region.level,
                "name": region.name,
            },
            pk="adcode",
            ignore=True,
        )

    # ------------------------------------------------------------ reading

    def iter_documents(self) -> Iterator[tuple[int, SourceDocument]]:
        """Every stored document as it was ingested, for re-analysis."""
        rows = self.query(
            "select id, location, text, kind, title, published, source, author, url, region_hint"
            " from documents order by id"
        )
        for r in rows:
            yield (
                r["id"],
                SourceDocument(
                    location=r["location"],
                    text=r["text"],
                    kind=r["kind"] or "txt",
                    title=r["title"],
                    published=r["published"],
                    source=r["source"],
                    author=r["author"],
                    url=r["url"],
                    region_hint=r["region_hint"],
                ),
            )

    def user_lexicon(self) -> list[LexiconEntry]:
        """Terms added to this corpus's lexicon with ``junheng lexicon add``."""
        rows = self.query("select term, category, gloss, variants, source from user_lexicon")
        return [
            LexiconEntry(
                r["term"],
                r["category"] or None,
                r["gloss"] or "",
                tuple(v for v in (r["variants"] or "").split("|") if v),
                r["source"] or "user",
            )
            for r in rows
        ]

    def add_lexicon_entries(self, entries: list[LexiconEntry]) -> int:
        """Add or replace user terms; returns how many were stored."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.transaction():
            self.db["user_lexicon"].upsert_all(
                (
                    {
                        "term": e.term,
                        "category": e.category,
                        "gloss": e.gloss,
                        "variants": "|".join(e.variants),
                        "source": e.source,
                        "added_at": now,
                    }
                    for e in entries
                ),
                pk="term",
            )
        return len(entries)

    def counts(self) -> dict[str, int]:
        """Documents, sentences (content / boilerplate), measures and regions stored."""
        row = self.query(
            "select (select count(*) from documents) as documents,"
            " (select count(*) from sentences where boilerplate = 0) as sentences,"
            " (select count(*) from sentences where boilerplate = 1) as boilerplate,"
            " (select count(*) from measures) as measures,"
            " (select count(distinct adcode) from sentences where adcode is not null) as regions"
        )[0]
        return {k: int(v or 0) for k, v in row.items()}


def _json(items: list[dict[str, Any]]) -> str | None:
    return json.dumps(items, ensure_ascii=False) if items else None


def _json(items: list[dict[str, Any]]) -> str | None:
    return json.dumps(items, ensure_ascii=False) if items else None


def _all_regions(doc: AnalysedDocument) -> list[Region]:
    regions = list(doc.regions)
    for s in doc.sentences:
        if s.region is not None:
            regions.append(s.region)
    out = []
    for r in regions:
        out.append(r)
        for level in ("province", "city"):
            parent = r.at(level)  # type: ignore[arg-type]
            if parent is not None:
                out.append(parent)
    return out
