"""The corpus database: documents, sentences, measures, strategies and regions in SQLite."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from junheng.corpus.crawl_schema import migrations as crawl_migrations
from junheng.corpus.schema import PLACE_TOKEN, migrations
from junheng.corpus.tallies import text_key
from junheng.errors import CorpusCorrupt, CorpusError, CorpusLocked
from junheng.nlp.lexicon import LexiconEntry
from junheng.records import AnalysedDocument, Region, SourceDocument

AddStatus = Literal["added", "unchanged"]


def place_tokens(adcodes: Iterable[str]) -> str:
    """A sentence's place tokens for the full-text index: every adcode prefix a region filter
    may ask for (``r43 r4311 r431128``)."""
    return " ".join(dict.fromkeys(PLACE_TOKEN + code[:k] for code in adcodes for k in (2, 4, 6)))


# Tables holding a document's analysis (replaced as a whole by re-analysis), children first.
# (Labels and measures go before places: the tally triggers then do the least work.)
ANALYSIS_TABLES = (
    "sentence_strategies",
    "measures",
    "sentence_regions",
    "document_strategies",
    "document_regions",
    "sentence_rows",
)
# The sentences analyses count (alias s, joined with documents as d): article text of documents
# about compulsory education, each report once (syndicated copies point to their original).
COUNTED = "s.boilerplate = 0 and coalesce(d.relevant, 1) = 1 and d.duplicate_of is null"


@dataclass(frozen=True, slots=True)
class AddResult:
    status: AddStatus
    document_id: int
    sentences: int = 0
    measures: int = 0


def _translate(exc: sqlite3.Error, path: str, *, opening: bool = False) -> CorpusError:
    msg = str(exc).lower()
    if "locked" in msg or "busy" in msg:
        return CorpusLocked(
            f"database {path} is locked by another process; try again when it finishes"
        )
    if "not a database" in msg or "malformed" in msg or "encrypted" in msg:
        if opening:
            return CorpusCorrupt(
                f"{path} is not a readable junheng database ({exc}); it was left untouched"
            )
        return CorpusCorrupt(f"{path} is damaged ({exc}); restore it from a copy")
    if "readonly" in msg or "read-only" in msg:
        return CorpusError(f"database {path} is read-only")
    if "unable to open" in msg:
        return CorpusError(
            f"cannot open database {path}: check that its folder exists and is writable"
        )
    return CorpusError(f"database {path}: {exc}")


def _connect(where: str, *, readonly: bool, timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit); read-only through a
    ``mode=ro`` URI, so that no statement can change the file."""
    if not readonly:
        return sqlite3.connect(where, timeout=timeout, isolation_level=None)
    uri = Path(where).resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc).lower():
            raise
    # a WAL database in a folder we cannot write to: nobody can be writing it either
    return sqlite3.connect(
        f"{uri}?mode=ro&immutable=1", uri=True, timeout=timeout, isolation_level=None
    )


def _is_junheng(conn: sqlite3.Connection) -> bool | None:
    """True for a junheng corpus, None for an empty file, False for anything else."""
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    if not tables:
        return None
    if "_sqlite_migrations" not in tables or "documents" not in tables:
        return False
    row = conn.execute(
        "select count(*) from _sqlite_migrations where migration_set = ? and name = ?",
        (migrations.name, "m001_initial"),
    ).fetchone()
    return bool(row and row[0])


class Corpus:
    """A junheng corpus database. Open with ``Corpus.open(path)``; close when done.

    Writers take SQLite's write lock for one short transaction at a time (``BEGIN IMMEDIATE``,
    WAL mode, waiting up to the lock timeout), so any number of processes can write one corpus;
    readers (``readonly=True``) open the file read-only and see committed documents only.
    """

    def __init__(
        self, db: Database, path: str, *, readonly: bool = False, timeout: float = 5.0
    ) -> None:
        self.db = db
        self.path = path
        self.readonly = readonly
        self.timeout = timeout
        self.migrated: tuple[str, ...] = ()  # migrations applied when it was opened

    # ------------------------------------------------------------ lifecycle

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        timeout: float = 5.0,
        readonly: bool = False,
    ) -> Corpus:
        """Open a corpus; a missing file is created unless ``create`` is false or ``readonly``.

        Nothing is written before the file is known to be a sound junheng corpus (or a new,
        empty one): ``CorpusCorrupt`` for other files and for damaged ones, ``CorpusLocked``
        when another process holds the write lock longer than ``timeout`` seconds. A
        read-only corpus is never migrated: one made by an older junheng must be upgraded
        with ``junheng upgrade`` first.
        """
        where = str(path)
        p = Path(path)
        memory = where == ":memory:"
        readonly = readonly and not memory
        if not memory and not p.exists() and (readonly or not create):
            raise CorpusError(f"no corpus at {where}; run `junheng ingest` first")
        if not memory and p.exists() and p.is_dir():
            raise CorpusError(f"{where} is a folder, not a database file")
        try:
            conn = _connect(where, readonly=readonly, timeout=timeout)
        except sqlite3.Error as exc:
            raise _translate(exc, where, opening=True) from None
        try:
            corpus = cls._checked(conn, where, readonly=readonly, timeout=timeout)
        except BaseException:
            conn.close()
            raise
        return corpus

    @classmethod
    def _checked(
        cls, conn: sqlite3.Connection, where: str, *, readonly: bool, timeout: float
    ) -> Corpus:
        try:
            owned = _is_junheng(conn)
        except sqlite3.Error as exc:
            raise _translate(exc, where, opening=True) from None
        if owned is False:
            raise CorpusCorrupt(
                f"{where} is an SQLite database but not a junheng corpus; it was left untouched"
            )
        if owned is None and readonly:
            raise CorpusError(f"no corpus at {where} (the file is empty); run `junheng ingest`")
        db = Database(conn)
        corpus = cls(db, where, readonly=readonly, timeout=timeout)
        try:
            if owned and not readonly:
                problem = conn.execute("pragma quick_check(1)").fetchone()[0]
                if problem != "ok":
                    raise CorpusCorrupt(
                        f"{where} is damaged (integrity check: {problem}); it was left untouched"
                    )
            conn.execute("PRAGMA foreign_keys = ON")
            if readonly:
                if corpus.pending_migrations():
                    raise CorpusError(
                        f"{where} was made by an older junheng; run `junheng upgrade --db "
                        f"{where}` once (read-only commands never change a corpus)"
                    )
                return corpus
            if where != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            if corpus.pending_migrations():
                with corpus.transaction():  # under the write lock: one process migrates
                    corpus.migrated = tuple(corpus.pending_migrations())
                    for migration_set in (migrations, crawl_migrations):
                        if migration_set.pending(db):
                            migration_set.apply(db)
        except sqlite3.Error as exc:
            raise _translate(exc, where, opening=True) from None
        return corpus

    def vacuum(self) -> None:
        """Rewrite the file without the space deleted rows and dropped columns left (VACUUM)."""
        try:
            self.db.conn.execute("vacuum")
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def pending_migrations(self) -> list[str]:
        """Names of the schema migrations this corpus still lacks."""
        return [m.name for s in (migrations, crawl_migrations) for m in s.pending(self.db)]

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write under the database's write lock (``BEGIN IMMEDIATE``): everything
        inside commits together or not at all. Nested uses join the outer transaction."""
        if self.readonly:
            raise CorpusError(f"database {self.path} was opened read-only")
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        self._begin()
        try:
            yield
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("rollback")
            if isinstance(exc, sqlite3.Error):
                raise _translate(exc, self.path) from None
            raise
        try:
            conn.execute("commit")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("rollback")
            raise _translate(exc, self.path) from None

    def _begin(self) -> None:
        """Take the write lock, retrying while another writer holds it (up to the timeout)."""
        deadline = time.monotonic() + self.timeout
        pause = 0.01
        while True:
            try:
                self.db.conn.execute("begin immediate")
                return
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc).lower() or "busy" in str(exc).lower()
                if not busy or time.monotonic() >= deadline:
                    raise _translate(exc, self.path) from None
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 0.5)

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
            self.db.execute("insert or replace into meta (key, value) values (?, ?)", (key, value))

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
        """Store an analysed document, whole or not at all, in one transaction; the same
        content (by hash) is stored once, also when another process stores it meanwhile."""
        if (existing := self.has_content(doc.content_hash)) is not None:
            return AddResult("unchanged", existing)
        src = doc.source
        with self.transaction():
            if (existing := self.has_content(doc.content_hash)) is not None:
                return AddResult("unchanged", existing)
            cursor = self.db.conn.execute(
                "insert into documents (content_hash, location, url, kind, title, published,"
                " source, author, region_hint, text, ingested_at)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc.content_hash,
                    src.location,
                    src.url,
                    src.kind,
                    src.title,
                    src.published,
                    src.source,
                    src.author,
                    src.region_hint,
                    src.text,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                ),
            )
            doc_id = int(cursor.lastrowid or 0)
            n_measures = self._insert_analysis(doc_id, doc, analysed_with, index_terms)
        return AddResult("added", doc_id, len(doc.sentences), n_measures)

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
        first = self.db.conn.execute(
            "select min(id) from sentence_rows where document_id = ?", (doc_id,)
        ).fetchone()[0]
        if first is not None:  # vector indexes re-encode from here (see vector_index)
            self.db.conn.execute(
                "insert into sentence_replacements (first_sentence) values (?)", (first,)
            )
        for table in ANALYSIS_TABLES:
            self.db.execute(f"delete from [{table}] where document_id = ?", (doc_id,))

    def _insert_analysis(
        self,
        doc_id: int,
        doc: AnalysedDocument,
        analysed_with: str,
        index_terms: Callable[[tuple[str, ...]], list[str]],
    ) -> int:
        """Insert sentences, measures and labels in bulk; SQLite assigns the ids (inside the
        caller's transaction, so concurrent writers never collide)."""
        conn = self.db.conn
        for region in {r.adcode: r for r in _all_regions(doc)}.values():
            self._upsert_region(region)
        main = doc.regions[0] if doc.regions else None
        conn.execute(
            "update documents set main_adcode = ?, analysed_with = ?, removed = ? where id = ?",
            (
                main.adcode if main else None,
                analysed_with,
                _json([r.as_dict() for r in doc.removed]),
                doc_id,
            ),
        )
        conn.executemany(
            "insert into sentence_rows (document_id, idx, char_start, char_end, boilerplate,"
            " boilerplate_reason, adcode, region_confidence, region_method, instrument,"
            " index_text, places, text_key) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    doc_id,
                    idx,
                    s.start,
                    s.end,
                    int(s.boilerplate),
                    s.boilerplate_reason,
                    s.region.adcode if s.region else None,
                    round(s.region_confidence, 3),
                    s.region_method,
                    s.instrument,
                    # boilerplate is never searched: leaving it out keeps the index small
                    "" if s.boilerplate else " ".join(index_terms(s.tokens)),
                    place_tokens(a.region.adcode for a in s.regions) or None,
                    text_key(s.text),
                )
                for idx, s in enumerate(doc.sentences)
            ],
        )
        ids = dict(
            conn.execute("select idx, id from sentence_rows where document_id = ?", (doc_id,))
        )
        measure_rows = []
        strategy_rows = []
        region_rows = []
        for idx, s in enumerate(doc.sentences):
            sid = ids[idx]
            places = {a.region.adcode: a for a in s.regions}  # each place once, first kept
            region_rows.extend(
                (sid, doc_id, a.region.adcode, round(a.confidence, 3), a.method, rank)
                for rank, a in enumerate(places.values())
            )
            measure_rows.extend(
                (
                    doc_id,
                    sid,
                    m.term,
                    m.canonical,
                    m.category,
                    m.start,
                    m.end,
                    m.method,
                    _json([f.as_dict() for f in m.figures]),
                )
                for m in s.measures
                if m.named  # a fragment only told the labeller a measure is there
            )
            strategy_rows.extend((sid, doc_id, st.id, st.score, st.method) for st in s.strategies)
        # places first, then measures, then labels: each tally trigger pairs the new row
        # with the rows already there, so every combination is counted once
        conn.executemany(
            "insert into sentence_regions (sentence_id, document_id, adcode, confidence, method,"
            " rank) values (?, ?, ?, ?, ?, ?)",
            region_rows,
        )
        conn.executemany(
            "insert into measures (document_id, sentence_id, term, canonical, category,"
            " char_start, char_end, method, figures) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            measure_rows,
        )
        conn.executemany(
            "insert into sentence_strategies (sentence_id, document_id, strategy, score, method)"
            " values (?, ?, ?, ?, ?)",
            strategy_rows,
        )
        conn.executemany(
            "insert into document_strategies (document_id, strategy, score, method)"
            " values (?, ?, ?, ?)",
            [(doc_id, s.id, s.score, s.method) for s in doc.strategies],
        )
        conn.executemany(
            "insert into document_regions (document_id, adcode, rank) values (?, ?, ?)",
            [(doc_id, r.adcode, k) for k, r in enumerate(doc.regions)],
        )
        return len(measure_rows)

    def _upsert_region(self, region: Region) -> None:
        self.db.conn.execute(
            "insert or ignore into regions (adcode, province, city, county, level, name)"
            " values (?, ?, ?, ?, ?, ?)",
            (
                region.adcode,
                region.province,
                region.city,
                region.county,
                region.level,
                region.name,
            ),
        )

    # ------------------------------------------------------------ reading

    def document_ids(self) -> list[int]:
        """Ids of every stored document, in order."""
        return [r["id"] for r in self.query("select id from documents order by id")]

    def iter_documents(self, ids: list[int] | None = None) -> Iterator[tuple[int, SourceDocument]]:
        """Stored documents (``ids``, else all) as they were ingested, for re-analysis."""
        where, params = "", ()
        if ids is not None:
            where = f" where id in ({','.join('?' for _ in ids)})"
            params = tuple(ids)
        rows = self.query(
            "select id, location, text, kind, title, published, source, author, url, region_hint"
            f" from documents{where} order by id",
            params,
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
            " (select count(*) from sentence_rows where boilerplate = 0) as sentences,"
            " (select count(*) from sentence_rows where boilerplate = 1) as boilerplate,"
            " (select count(*) from measures) as measures,"
            " (select count(distinct adcode) from sentence_regions) as regions"
        )[0]
        return {k: int(v or 0) for k, v in row.items()}


def _json(items: list[dict[str, Any]]) -> str | None:
    return json.dumps(items, ensure_ascii=False) if items else None


def _all_regions(doc: AnalysedDocument) -> list[Region]:
    regions = list(doc.regions)
    for s in doc.sentences:
        regions.extend(a.region for a in s.regions)
    out = []
    for r in regions:
        out.append(r)
        for level in ("province", "city"):
            parent = r.at(level)  # type: ignore[arg-type]
            if parent is not None:
                out.append(parent)
    return out
