"""One crawl per database: an exclusive lock on ``<db>.crawl.lock`` beside the database.

The lock is an ``flock`` on an open file, so the operating system releases it when the holder
dies, however it dies (SIGKILL included); the crawl process inherits the descriptor, so the lock
is held while either process lives.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from junheng.errors import JunhengError


class CrawlLocked(JunhengError):
    """Another crawl (or re-extraction) is writing this database."""


def lock_path(db: str | os.PathLike[str]) -> Path:
    p = Path(db)
    return p.with_name(p.name + ".crawl.lock")


@contextmanager
def crawl_lock(db: str | os.PathLike[str]) -> Iterator[int]:
    """Hold the database's crawl lock; yields the locked descriptor (to pass to a child).

    Raises ``CrawlLocked`` at once when another process holds it.
    """
    path = lock_path(db)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            raise CrawlLocked(
                f"another crawl is writing {db}"
                + (f" ({holder})" if holder else "")
                + "; wait for it to finish or use another --db"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        yield fd
    finally:
        os.close(fd)
