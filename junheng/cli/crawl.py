"""Crawl commands: crawl, runs, schedule, reextract."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from junheng.cli import cli
from junheng.cli._common import (
    console,
    db_option,
    jobs_option,
    print_table,
    progress_bar,
    settings_of,
)


@cli.command()
@click.argument("urls", nargs=-1)
@click.option(
    "--sources",
    type=click.Path(dir_okay=False),
    help="Sources file (TOML) listing the sites to crawl; see docs/crawling.md.",
)
@click.option("--max-pages", type=int, default=100, show_default=True, help="Quick mode: page cap.")
@click.option(
    "--region-hint",
    metavar="PLACE",
    help="Quick mode: the place reported on, e.g. 湖南省邵阳市武冈市.",
)
@click.option(
    "--allow-private", is_flag=True, help="Quick mode: allow loopback and private-network hosts."
)
@click.option("--delay", type=float, help="Seconds between requests to one host (overrides).")
@db_option
@jobs_option
@click.pass_context
def crawl(
    ctx: click.Context,
    urls: tuple[str, ...],
    sources: str | None,
    max_pages: int,
    region_hint: str | None,
    allow_private: bool,
    delay: float | None,
    db: str | None,
    jobs: int | None,
) -> None:
    """Crawl list pages and their articles into the corpus (incremental, polite, resumable).

    With --sources FILE every source of the file is crawled; quick mode takes list-page URLs
    and stays on their hosts. robots.txt is obeyed; a second run asks only for what changed; a
    crawl that was killed resumes where it stopped. Each run is recorded (`junheng runs`).

    \b
    Example:
        junheng crawl --sources sources.toml --db corpus.db
        junheng crawl https://jyj.example.gov.cn/tzgg/index.html --max-pages 50
    """
    from junheng.api.crawl import crawl as crawl_fn

    settings = settings_of(ctx)
    verbose = ctx.find_root().params.get("verbose", 0)
    tty = sys.stderr.isatty()
    started = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    if not tty:
        click.echo(f"{started} crawl started → {db or settings.db}")
    callback, bar = _crawl_progress(tty)
    try:
        report = crawl_fn(
            list(urls),
            sources=sources,
            db=db,
            settings=settings,
            max_pages=max_pages,
            region_hint=region_hint,
            allow_private=allow_private,
            options={"delay": delay} if delay is not None else None,
            progress=callback,
            log_level="INFO" if verbose else "WARNING",
            jobs=jobs,
        )
    finally:
        if bar is not None:
            bar.stop()
    run = report.run
    click.echo(f"run {run.id}{_resumed(run.resumed_from)}: {_summary(run)}")
    click.echo(f"{report.analysed} documents analysed → {report.db}")
    if run.message:
        click.echo(f"note: {run.message}", err=True)
    problem = _nothing_fetched(run)
    if problem:
        click.echo(f"error: {problem}", err=True)
        ctx.exit(1)


REASONS = {
    "private-address": "a private or local address (--allow-private allows a test server)",
    "robots": "disallowed by robots.txt",
    "off-site": "outside the source's domains",
}


def _nothing_fetched(run: Any) -> str | None:
    """Why a run fetched nothing (or no article), as one line; ``None`` when it did."""
    if run.fetched == 0:
        why = [f"{n} × {REASONS.get(k, k)}" for k, n in {**run.skipped, **run.failed}.items()]
        return "nothing could be fetched: " + ("; ".join(why) or "no URL to fetch")
    if run.lists and not (run.new + run.changed + run.unchanged + run.pending):
        return (
            f"{run.lists} list page(s) fetched but no article link recognised on them; name the "
            'article URLs in a sources file (allow = ["/regex/"], see docs/crawling.md)'
        )
    return None


@cli.command()
@click.option("-n", "--limit", default=20, show_default=True, help="How many runs, newest first.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@db_option
@click.pass_context
def runs(ctx: click.Context, limit: int, as_json: bool, db: str | None) -> None:
    """List crawl runs: start, end, status and pages fetched, new, changed, unchanged, failed.

    \b
    Example:
        junheng runs --db corpus.db
        junheng runs -n 5 --json
    """
    from rich import box
    from rich.table import Table

    from junheng.api.crawl import list_runs

    rows = list_runs(db=db, settings=settings_of(ctx), limit=limit)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r.as_dict(), ensure_ascii=False))
        return
    if not rows:
        click.echo("no crawl runs yet; start one with `junheng crawl`")
        return
    table = Table(title="Crawl runs", box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    for name in (
        "run",
        "started",
        "status",
        "minutes",
        "fetched",
        "new",
        "changed",
        "unchanged",
        "failed",
        "skipped",
        "bytes",
        "sources",
    ):
        table.add_column(
            name,
            justify="left"
            if name in ("started", "status", "failed", "skipped", "sources")
            else "right",
        )
    for r in rows:
        table.add_row(
            str(r.id) + (f"←{r.resumed_from}" if r.resumed_from else ""),
            r.started.replace("T", " ")[:16],
            r.status,
            _minutes(r.started, r.finished),
            str(r.fetched),
            str(r.new),
            str(r.changed),
            str(r.unchanged),
            _reasons(r.failed),
            _reasons(r.skipped),
            _bytes(r.bytes),
            ", ".join(r.sources),
        )
    print_table(table)


@cli.command()
@click.option("--weekly", "when", required=True, metavar='"DAY HH:MM"', help='e.g. "Mon 03:00".')
@click.option(
    "--sources", required=True, type=click.Path(exists=True, dir_okay=False), help="Sources file."
)
@click.option(
    "--log", "log", type=click.Path(dir_okay=False), help="Log file (default: beside the database)."
)
@click.option(
    "--install", is_flag=True, help="Install it (user crontab, else a systemd user timer)."
)
@db_option
@click.pass_context
def schedule(
    ctx: click.Context, when: str, sources: str, log: str | None, install: bool, db: str | None
) -> None:
    """Print (and with --install, install) a weekly crawl that logs to a file.

    The crontab line runs `junheng crawl --sources FILE --db DB` with this Python and absolute
    paths; under cron there is no progress bar, only start and summary lines in the log.

    \b
    Example:
        junheng schedule --weekly "Mon 03:00" --sources sources.toml --db corpus.db
        junheng schedule --weekly "Sun 22:30" --sources sources.toml --install
    """
    from junheng.api.crawl import install_schedule, schedule_line

    plan = schedule_line(when, sources=sources, db=db, log=log, settings=settings_of(ctx))
    click.echo(plan.cron_line)
    if install:
        done = install_schedule(plan)
        click.echo(f"installed ({done.kind}: {done.where}); output goes to {plan.log}", err=True)


@cli.command()
@db_option
@click.pass_context
def reextract(ctx: click.Context, db: str | None) -> None:
    """Extract every crawled page again from its stored HTML, without fetching.

    Documents whose text changed are updated and re-analysed; the others are left alone.

    \b
    Example:
        junheng reextract --db corpus.db
    """
    from junheng.api.crawl import reextract as reextract_fn

    callback, bar = progress_bar(True)
    try:
        report = reextract_fn(db=db, settings=settings_of(ctx), progress=callback)
    finally:
        if bar is not None:
            bar.stop()
    click.echo(
        f"{report.pages} pages extracted again: {report.changed} changed (re-analysed), "
        f"{report.unchanged} unchanged, {report.recovered} recovered, {report.failed} failed"
        f" → {report.db}"
    )


# ---------------------------------------------------------------- helpers


def _crawl_progress(enabled: bool) -> tuple[Callable[[Any], None] | None, Any]:
    if not enabled:
        return None, None
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        transient=True,
        console=console(stderr=True),
    )
    task = bar.add_task("crawling")
    bar.start()

    def update(p: Any) -> None:
        bar.update(
            task,
            description=f"run {p.run_id}: {p.handled} URLs, {p.analysed} analysed, "
            f"{p.pending} waiting",
        )

    return update, bar


def _resumed(previous: int | None) -> str:
    return f" (resumed run {previous})" if previous else ""


def _summary(run: Any) -> str:
    parts = [
        f"{run.fetched} pages fetched ({run.lists} list pages, {run.new} new, "
        f"{run.changed} changed, {run.unchanged} unchanged)"
    ]
    failed = sum(run.failed.values())
    if failed:
        parts.append(f"{failed} failed ({_reasons(run.failed)})")
    skipped = sum(run.skipped.values())
    if skipped:
        parts.append(f"{skipped} skipped ({_reasons(run.skipped)})")
    parts.append(_bytes(run.bytes))
    parts.append(f"{_minutes(run.started, run.finished)} min, {run.status}")
    return "; ".join(parts)


def _reasons(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "–"


def _bytes(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n} B"


def _minutes(started: str, finished: str | None) -> str:
    if not finished:
        return "–"
    try:
        span = dt.datetime.fromisoformat(finished) - dt.datetime.fromisoformat(started)
    except ValueError:
        return "–"
    return f"{span.total_seconds() / 60:.1f}"
