"""Corpus schema as sqlite-utils migrations; applied migrations are recorded in the database."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("junheng")


@migrations()
def m001_initial(db: Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["regions"].create(
        {"adcode": str, "province": str, "city": str, "county": str, "level": str, "name": str},
        pk="adcode",
    )
    db["documents"].create(
        {
            "id": int,
            "content_hash": str,
            "location": str,
            "url": str,
            "kind": str,
            "title": str,
            "published": str,
            "source": str,
            "author": str,
            "region_hint": str,
            "main_adcode": str,
            "text": str,
            "ingested_at": str,
            "analysed_with": str,
        },
        pk="id",
        not_null={"content_hash", "text"},
    )
    db["documents"].create_index(["content_hash"], unique=True)
    db["sentences"].create(
        {
            "id": int,
            "document_id": int,
            "idx": int,
            "char_start": int,
            "char_end": int,
            "text": str,
            "boilerplate": int,
            "boilerplate_reason": str,
            "adcode": str,
            "region_confidence": float,
            "region_method": str,
            "instrument": str,
            "index_text": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["sentences"].create_index(["document_id", "idx"], unique=True)
    db["sentences"].create_index(["adcode"])
    db["measures"].create(
        {
            "id": int,
            "document_id": int,
            "sentence_id": int,
            "term": str,
            "canonical": str,
            "category": str,
            "char_start": int,
            "char_end": int,
            "method": str,
        },
        pk="id",
        foreign_keys=[("document_id", "documents", "id"), ("sentence_id", "sentences", "id")],
    )
    db["measures"].create_index(["canonical"])
    db["measures"].create_index(["sentence_id"])
    db["sentence_strategies"].create(
        {"sentence_id": int, "document_id": int, "strategy": str, "score": float, "method": str},
        pk=("sentence_id", "strategy", "method"),
        foreign_keys=[("sentence_id", "sentences", "id"), ("document_id", "documents", "id")],
    )
    db["sentence_strategies"].create_index(["strategy"])
    db["document_strategies"].create(
        {"document_id": int, "strategy": str, "score": float, "method": str},
        pk=("document_id", "strategy", "method"),
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["document_regions"].create(
        {"document_id": int, "adcode": str, "rank": int},
        pk=("document_id", "adcode"),
        foreign_keys=[("document_id", "documents", "id")],
    )


@migrations()
def m002_fulltext(db: Database) -> None:
    # index_text holds jieba search-mode terms joined by spaces; FTS5's unicode61 tokenizer
    # then treats each term as one token, so 双减 and 办学 match whole words.
    db["sentences"].enable_fts(["index_text"], fts_version="FTS5", create_triggers=True)


@migrations()
def m003_figures_removals_lexicon(db: Database) -> None:
    # numbers with units tied to a measure mention, as JSON ([{"text", "value", "unit", ...}])
    db["measures"].add_column("figures", str)
    # injected spam deleted before analysis, as JSON ([{"start", "end", "text", "reason"}])
    db["documents"].add_column("removed", str)
    # terms a researcher added to the lexicon for this corpus (junheng lexicon add)
    db["user_lexicon"].create(
        {
            "term": str,
            "category": str,
            "gloss": str,
            "variants": str,
            "source": str,
            "added_at": str,
        },
        pk="term",
    )


@migrations()
def m004_relevance_duplicates(db: Database) -> None:
    docs = db["documents"]
    # 0 = not about compulsory education (stored, left out of analysis); null/1 = relevant
    docs.add_column("relevant", int)
    docs.add_column("relevance_reason", str)
    # near-duplicate of another document (a syndicated copy): counted once, through that one
    docs.add_column("duplicate_of", int)
    docs.add_column("url_canonical", str)
    docs.create_index(["url_canonical"])


@migrations()
def m005_vectors_models_labels(db: Database) -> None:
    # sentence vectors, little-endian float32, keyed by the text's hash and the model version:
    # unchanged text is never encoded twice, and vectors of different models never mix
    db["vectors"].create(
        {"content_hash": str, "model": str, "dim": int, "vector": bytes},
        pk=("content_hash", "model"),
    )
    db["vectors"].create_index(["model"])
    # trained classifiers: a versioned artefact with its training summary and scores
    db["models"].create(
        {
            "id": int,
            "kind": str,
            "name": str,
            "version": str,
            "path": str,
            "sha256": str,
            "created_at": str,
            "summary": str,
            "scores": str,
            "active": int,
        },
        pk="id",
    )
    # labels a researcher gave (junheng label), keyed by sentence text so they survive re-analysis
    db["labels"].create(
        {
            "content_hash": str,
            "text": str,
            "strategies": str,
            "instrument": str,
            "source": str,
            "created_at": str,
        },
        pk="content_hash",
    )


@migrations()
def m006_sentence_regions(db: Database) -> None:
    # the places a sentence speaks for (a roundup clause or a pilot list names several), first
    # one = sentences.adcode; analyses count a sentence once for each of its places
    db["sentence_regions"].create(
        {
            "sentence_id": int,
            "document_id": int,
            "adcode": str,
            "confidence": float,
            "method": str,
            "rank": int,
        },
        pk=("sentence_id", "adcode"),
        # (the rows are in sentence_rows since m010, when a later migration recreates this)
        foreign_keys=[
            ("sentence_id", "sentence_rows" if db["sentence_rows"].exists() else "sentences", "id"),
            ("document_id", "documents", "id"),
        ],
    )
    db["sentence_regions"].create_index(["adcode"])
    db["sentence_regions"].create_index(["document_id"])
    # corpora made before: each sentence's single place becomes its one place
    db.execute(
        "insert into sentence_regions (sentence_id, document_id, adcode, confidence, method, rank)"
        " select id, document_id, adcode, region_confidence, region_method, 0 from sentences"
        " where adcode is not null"
    )


# FTS5 over the index terms and the places of each sentence (``r43 r4311 r431128``: every
# prefix a region filter uses), so that a search within a region is one index query
PLACE_TOKEN = "r"


@migrations()
def m007_search_places(db: Database) -> None:
    for suffix in ("ai", "ad", "au"):
        db.execute(f"drop trigger if exists sentences_{suffix}")
    db.execute("drop table if exists sentences_fts")
    db["sentences"].add_column("places", str)
    db.execute(
        "update sentences set places = (select group_concat(tok, ' ') from ("
        f" select '{PLACE_TOKEN}' || substr(adcode, 1, 2) as tok from sentence_regions"
        "  where sentence_id = sentences.id"
        f" union select '{PLACE_TOKEN}' || substr(adcode, 1, 4) from sentence_regions"
        "  where sentence_id = sentences.id"
        f" union select '{PLACE_TOKEN}' || adcode from sentence_regions"
        "  where sentence_id = sentences.id))"
    )
    db.executescript(
        """
        CREATE VIRTUAL TABLE sentences_fts USING FTS5 (index_text, places, content=sentences);
        INSERT INTO sentences_fts (sentences_fts) VALUES ('rebuild');
        CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
          INSERT INTO sentences_fts (rowid, index_text, places)
          VALUES (new.rowid, new.index_text, new.places);
        END;
        CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
          INSERT INTO sentences_fts (sentences_fts, rowid, index_text, places)
          VALUES ('delete', old.rowid, old.index_text, old.places);
        END;
        CREATE TRIGGER sentences_au AFTER UPDATE OF index_text, places ON sentences BEGIN
          INSERT INTO sentences_fts (sentences_fts, rowid, index_text, places)
          VALUES ('delete', old.rowid, old.index_text, old.places);
          INSERT INTO sentences_fts (rowid, index_text, places)
          VALUES (new.rowid, new.index_text, new.places);
        END;
        """
    )


@migrations()
def m008_vector_index(db: Database) -> None:
    # sentence vectors now live in a usearch index beside the corpus (corpus.db.vectors/),
    # 8-bit and keyed by sentence id; the float32 table they replace is rebuilt there on the
    # first semantic search. Each re-analysis records the first sentence id it replaced, so
    # that the index drops and encodes those again.
    db.execute("drop table if exists vectors")
    db.execute(
        "create table sentence_replacements"
        " (id integer primary key autoincrement, first_sentence integer not null)"
    )


@migrations()
def m009_tallies(db: Database) -> None:
    # each sentence's text key (distinct counting without comparing texts) and the tallies
    # triggers keep for compare and measures (junheng/corpus/tallies.py)
    from junheng.corpus.tallies import fill_sql, schema_sql, text_key

    db["sentences"].add_column("text_key", int)
    db.conn.create_function("junheng_text_key", 1, text_key, deterministic=True)
    db.execute("update sentences set text_key = junheng_text_key(text)")
    for statement in [*schema_sql(), *fill_sql()]:
        db.execute(statement)


SENTENCE_COLUMNS = (
    "id, document_id, idx, char_start, char_end, boilerplate, boilerplate_reason, adcode,"
    " region_confidence, region_method, instrument, index_text, places, text_key"
)


@migrations()
def m010_sentence_text_once(db: Database) -> None:
    # A sentence's text is its document's text from char_start to char_end: it is stored once,
    # in documents. The rows are `sentence_rows`; `sentences` is a view that adds their text,
    # so every reader (and Datasette) sees the table it saw before.
    conn = db.conn
    for suffix in ("ai", "ad", "au"):
        conn.execute(f"drop trigger if exists sentences_{suffix}")
    conn.execute("drop table if exists sentences_fts")
    conn.execute("alter table sentences rename to sentence_rows")
    conn.execute("alter table sentence_rows drop column text")
    conn.execute(
        "create view sentences as select r.id as id, r.document_id as document_id,"
        " r.idx as idx, r.char_start as char_start, r.char_end as char_end,"
        " substr(d.text, r.char_start + 1, r.char_end - r.char_start) as text,"
        " r.boilerplate as boilerplate, r.boilerplate_reason as boilerplate_reason,"
        " r.adcode as adcode, r.region_confidence as region_confidence,"
        " r.region_method as region_method, r.instrument as instrument,"
        " r.index_text as index_text, r.places as places, r.text_key as text_key"
        " from sentence_rows r join documents d on d.id = r.document_id"
    )
    for statement in (
        "CREATE VIRTUAL TABLE sentences_fts USING FTS5 (index_text, places, content=sentence_rows)",
        "INSERT INTO sentences_fts (sentences_fts) VALUES ('rebuild')",
        "CREATE TRIGGER sentence_rows_ai AFTER INSERT ON sentence_rows BEGIN"
        " INSERT INTO sentences_fts (rowid, index_text, places)"
        " VALUES (new.rowid, new.index_text, new.places); END",
        "CREATE TRIGGER sentence_rows_ad AFTER DELETE ON sentence_rows BEGIN"
        " INSERT INTO sentences_fts (sentences_fts, rowid, index_text, places)"
        " VALUES ('delete', old.rowid, old.index_text, old.places); END",
        "CREATE TRIGGER sentence_rows_au AFTER UPDATE OF index_text, places ON sentence_rows"
        " BEGIN INSERT INTO sentences_fts (sentences_fts, rowid, index_text, places)"
        " VALUES ('delete', old.rowid, old.index_text, old.places);"
        " INSERT INTO sentences_fts (rowid, index_text, places)"
        " VALUES (new.rowid, new.index_text, new.places); END",
    ):
        conn.execute(statement)
