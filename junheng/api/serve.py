"""``junheng serve``: the corpus in the browser through Datasette, read-only, on 127.0.0.1."""

from __future__ import annotations

import importlib
import socket
import sqlite3
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from junheng.errors import BackendNotInstalled, CorpusCorrupt, CorpusError, JunhengError
from junheng.settings import Settings, load_settings

REQUIRED = {
    "documents": {"id", "title", "published", "url", "location", "relevant", "duplicate_of"},
    "sentences": {"id", "document_id", "text", "boilerplate", "adcode", "index_text"},
    "measures": {"sentence_id", "term", "canonical", "category", "method"},
    "sentence_strategies": {"sentence_id", "strategy", "score"},
    "sentence_regions": {"sentence_id", "adcode"},
    "regions": {"adcode", "province", "city", "county"},
    "sentences_fts": set(),
    "user_lexicon": {"term", "category"},
}


def check_corpus(path: str | Path) -> None:
    """Check, without writing, that ``path`` is a current junheng corpus Datasette can serve."""
    p = Path(path)
    if not p.exists():
        raise CorpusError(f"no corpus at {p}; run `junheng ingest` first")
    if p.is_dir():
        raise CorpusError(f"{p} is a folder, not a database file")
    try:
        conn = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {
                r[0]
                for r in conn.execute(
                    "select name from sqlite_master where type in ('table', 'view')"
                )
            }
            missing_tables = [t for t in REQUIRED if t not in tables]
            if "documents" not in tables:
                raise CorpusCorrupt(f"{p} is an SQLite database but not a junheng corpus")
            missing = [
                f"{t}.{c}"
                for t, cols in REQUIRED.items()
                if t in tables
                for c in sorted(cols - {r[1] for r in conn.execute(f"pragma table_info([{t}])")})
            ]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise CorpusCorrupt(f"{p} is not a readable junheng database ({exc})") from None
    if missing_tables or missing:
        raise CorpusError(
            f"{p} was made by an older junheng (missing {', '.join(missing_tables + missing)});"
            f" run `junheng upgrade --db {p}` once, then serve it"
        )


def query_segmenter(db: str, settings: Settings) -> Callable[[str], list[str]]:
    """The corpus's query segmentation (its lexicon including user terms), loaded now."""
    from sqlite_utils import Database

    from junheng.api.documents import pipeline_for
    from junheng.corpus.store import Corpus

    conn = sqlite3.connect(f"{Path(db).resolve().as_uri()}?mode=ro", uri=True)
    try:
        pipeline = pipeline_for(Corpus(Database(conn), db), settings)
    finally:
        conn.close()
    segmenter, normalizer = pipeline.segmenter, pipeline.normalizer

    def terms(query: str) -> list[str]:
        return segmenter.query_terms(normalizer.text(query))

    terms("县管校聘")  # build the dictionary before the first request needs it
    return terms


def build_datasette(
    db: str, *, settings: Settings, immutable: bool = False, database: str | None = None
) -> Any:
    """A configured ``Datasette`` instance serving ``db`` read-only as ``/corpus``."""
    try:
        from datasette.app import Datasette
        from datasette.database import Database
        from datasette.plugins import pm
    except ImportError:
        raise BackendNotInstalled(
            "junheng serve needs Datasette: pip install 'datasette==0.65.5'"
        ) from None
    from junheng.models.taxonomy import load_taxonomy
    from junheng.serve import plugin
    from junheng.serve.metadata import DATABASE, metadata
    from junheng.serve.search import configure

    name = database or DATABASE
    check_corpus(db)
    taxonomy = load_taxonomy()
    configure(
        name,
        query_segmenter(db, settings),
        {taxonomy.short_name(s): s for s in taxonomy.strategy_ids},
    )
    # Datasette prints a traceback with all locals for every bad request when rich is installed
    # (it is, for junheng's tables); server errors (500) still get a plain traceback. Imported
    # after datasette.plugins: importing it first registers a half-initialised module.
    importlib.import_module("datasette.handle_exception").rich = None
    if not pm.is_registered(plugin):
        pm.register(plugin, name="junheng.serve.plugin")
    ds = Datasette(
        metadata=metadata(taxonomy, settings.strategy_threshold, name),
        settings={"sql_time_limit_ms": 5000, "default_page_size": 50, "facet_time_limit_ms": 500},
    )
    # read-only (mode=ro) but live: every request sees the committed state of the corpus, also
    # while other processes write it (an immutable database would serve stale, mixed pages)
    path = str(Path(db).resolve())
    ds.add_database(Database(ds, path=path, is_mutable=not immutable), name=name)
    return ds


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free one), or a clear error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise JunhengError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); pick another --port"
        ) from None
    return sock


def serve(
    db: str | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8001,
    open_browser: bool = False,
    immutable: bool = False,
    settings: Settings | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the corpus with Datasette until interrupted; ``ready`` gets the corpus URL once the
    server listens. Blocks: run it in its own process (tests do, and kill it)."""
    settings = settings or load_settings()
    path = db or settings.db
    check_corpus(path)
    sock = bind(host, port)
    try:
        ds = build_datasette(path, settings=settings, immutable=immutable)
    except BaseException:
        sock.close()
        raise
    import uvicorn  # installed with Datasette

    from junheng.serve.metadata import DATABASE

    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/{DATABASE}"
    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on", workers=1)
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.05)
        if server.started:
            if ready:
                ready(url)
            if open_browser:
                webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
