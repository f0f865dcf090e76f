"""Small read-only SQLite lookup files in the cache: written once, atomically, by the process
that loaded the full data; read by short-lived query processes for only the keys they need
(the segmenter's word table, the embedder's piece table)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any


def save(path: Path, fill: Callable[[sqlite3.Connection], None]) -> bool:
    """Create ``path`` by running ``fill`` on a new database under a temporary name, then
    renaming it into place (readers never see half a file). False when it cannot be written
    (a read-only cache): the caller goes on without it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        conn = sqlite3.connect(tmp)
        try:
            with conn:
                fill(conn)
        finally:
            conn.close()
        os.replace(tmp, path)
        return True
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False


def connect(path: Path) -> sqlite3.Connection:
    """A read-only connection."""
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def select_in(
    conn: sqlite3.Connection, sql: str, keys: Sequence[Any], *, chunk: int = 500
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql`` (with one ``{marks}`` placeholder for the ``in (…)`` list) for every
    key, a chunk of keys per statement."""
    for k in range(0, len(keys), chunk):
        part = list(keys[k : k + chunk])
        yield from conn.execute(sql.format(marks=",".join("?" for _ in part)), part)
