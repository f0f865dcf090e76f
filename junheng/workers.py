"""Analysis in worker processes for one writer: ``ingest``, ``reanalyse`` and the crawl's
analysis use every core while one process stores the results in input order.

Workers are forked from the process that built (and warmed) the pipeline, so they share its
loaded dictionaries and models and analyse exactly as it would: the results are identical to
one job's. Documents go to the workers in small batches, round robin, at most ``DEPTH``
batches ahead of the writer (memory stays bounded whatever the input size), and come back in
the order they were sent. Workers ignore Ctrl-C (the writer stops them) and exit when the
writer dies, even by SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from junheng.pipeline import Pipeline
    from junheng.records import AnalysedDocument, SourceDocument

# a batch is this many documents; each worker holds at most DEPTH batches not yet read back
BATCH = 8
DEPTH = 3
Result = "AnalysedDocument | str | None"


def default_jobs() -> int:
    """All the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def analyse_each(
    pipeline: Pipeline, documents: list[SourceDocument | None]
) -> list[AnalysedDocument | str | None]:
    """Analyse a batch (``None`` stays ``None``); when it fails, each document alone, so that
    a document the pipeline cannot handle gives a reason and the others are still analysed."""
    docs = [d for d in documents if d is not None]
    try:
        results: list[Any] = list(pipeline.analyse_many(docs))
    except Exception:
        results = []
        for doc in docs:
            try:
                results.append(pipeline.analyse(doc))
            except Exception as exc:
                results.append(f"analysis failed ({type(exc).__name__}: {str(exc)[:200]})")
    it = iter(results)
    return [next(it) if d is not None else None for d in documents]


def _serve(pipeline: Pipeline, conn: Connection, parent: int) -> None:
    """Worker loop: analyse each batch received, send the results back, until told to stop.

    A reader thread takes batches off the pipe as they come, so the writer never blocks on
    sending while this worker blocks on sending results back (at most ``DEPTH`` wait here).
    """
    import queue
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inbox: queue.Queue[Any] = queue.Queue()

    def read() -> None:
        try:
            while True:
                while not conn.poll(0.5):
                    if os.getppid() != parent:  # the writer is gone (killed): stop too
                        os._exit(0)
                batch = conn.recv()
                inbox.put(batch)
                if batch is None:
                    return
        except (EOFError, OSError):
            os._exit(0)

    threading.Thread(target=read, daemon=True).start()
    while (batch := inbox.get()) is not None:
        conn.send(analyse_each(pipeline, batch))
    os._exit(0)


class Workers:
    """``jobs`` forked analysis processes (``jobs`` ≤ 1: analysis in this process). Use as a
    context manager; ``map`` gives the results in input order."""

    def __init__(self, pipeline: Pipeline, jobs: int | None = None) -> None:
        self.pipeline = pipeline
        self.jobs = default_jobs() if jobs is None else max(1, int(jobs))
        self._procs: list[Any] = []
        self._conns: list[Connection] = []
        self._frozen = False

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        import gc
        import multiprocessing

        from junheng.records import SourceDocument

        # load every dictionary and model before forking, so that workers share them
        self.pipeline.analyse(SourceDocument("warm-up", "新田县推进县管校聘改革。"))
        ctx = multiprocessing.get_context("fork")
        gc.collect()
        gc.freeze()  # keep the shared pages shared (no refcount writes from collection)
        parent = os.getpid()
        for _ in range(self.jobs):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(self.pipeline, theirs, parent), daemon=True)
            proc.start()
            theirs.close()
            self._procs.append(proc)
            self._conns.append(mine)
        self._frozen = True  # the writer keeps them frozen too, until close

    def _freeze(self) -> None:
        """Move everything loaded so far (dictionaries, models) out of the cyclic collector's
        reach: a full collection would otherwise walk them again and again (a tenth of a
        single-job ingest); ``close`` gives them back."""
        import gc

        gc.freeze()  # no collection first: garbage caught here waits until close
        self._frozen = True

    def close(self) -> None:
        """Stop the workers (at once when interrupted: their batches are dropped)."""
        if self._frozen:
            import gc

            gc.unfreeze()
            self._frozen = False
        for conn in self._conns:
            with contextlib.suppress(OSError, ValueError):
                conn.send(None)
        for proc in self._procs:
            proc.join(timeout=2)
            if proc.is_alive():
                proc.kill()
                proc.join()
        for conn in self._conns:
            conn.close()
        self._procs, self._conns = [], []

    def map(
        self, documents: Iterable[SourceDocument | None], *, batch: int = BATCH
    ) -> Iterator[AnalysedDocument | str | None]:
        """Per input, in order: its analysis, a failure reason, or ``None`` for ``None``."""
        if self.jobs <= 1:
            self._freeze()
            first = True
            chunk: list[SourceDocument | None] = []
            for doc in documents:
                chunk.append(doc)
                if len(chunk) >= self.pipeline.settings.batch_size:
                    yield from analyse_each(self.pipeline, chunk)
                    chunk = []
                    if first:  # the first batch has loaded every model
                        self._freeze()
                        first = False
            if chunk:
                yield from analyse_each(self.pipeline, chunk)
            return
        if not self._procs:
            self._start()
        sent: deque[int] = deque()  # worker of each batch in flight, oldest first
        turn = 0
        chunk = []

        def send(items: list[SourceDocument | None]) -> None:
            nonlocal turn
            if all(d is None for d in items):  # nothing to analyse: no round trip
                self._conns[turn].send([])
            else:
                self._conns[turn].send(items)
            sent.append(turn)
            turn = (turn + 1) % self.jobs

        pending: deque[list[SourceDocument | None]] = deque()
        for doc in documents:
            chunk.append(doc)
            if len(chunk) >= batch:
                pending.append(chunk)
                send(chunk)
                chunk = []
                while len(sent) >= self.jobs * DEPTH:
                    yield from self._receive(sent, pending)
        if chunk:
            pending.append(chunk)
            send(chunk)
        while sent:
            yield from self._receive(sent, pending)

    def _receive(
        self, sent: deque[int], pending: deque[list[SourceDocument | None]]
    ) -> Iterator[AnalysedDocument | str | None]:
        worker = sent.popleft()
        items = pending.popleft()
        try:
            results = self._conns[worker].recv()
        except EOFError:
            raise RuntimeError("an analysis worker died") from None
        if not results and items:
            results = [None] * len(items)
        yield from results
