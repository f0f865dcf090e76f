"""Commands that bring documents in: ingest, extract, reanalyse, demo."""

from __future__ import annotations

import json
import sys

import click

from junheng import api
from junheng.cli import cli
from junheng.cli._common import (
    EXIT_INPUT_FAILED,
    db_option,
    jobs_option,
    print_table,
    progress_bar,
    report_failures,
    settings_of,
)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@jobs_option
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], db: str | None, jobs: int | None) -> None:
    """Analyse .txt, .html and .jsonl files (or folders of them) and store them in the corpus.

    Content already in the corpus is skipped. Use - to read one text from stdin.

    \b
    Example:
        junheng ingest reports/ extra.html --db corpus.db
    """
    settings = settings_of(ctx)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    callback, bar = progress_bar(True)
    try:
        report = api.ingest(
            paths, db=db, settings=settings, stdin=stdin, progress=callback, jobs=jobs
        )
    finally:
        if bar is not None:
            bar.stop()
    for item in report.items:
        for note in item.notes:
            click.echo(f"note: {item.location}: {note}", err=True)
    report_failures(report.failed)
    click.echo(
        f"{report.count('added')} added, {report.count('unchanged')} unchanged, "
        f"{report.count('failed')} failed; {report.sentences} sentences, "
        f"{report.measures} measures → {report.db}"
    )
    if report.failed:
        ctx.exit(EXIT_INPUT_FAILED)


@cli.command()
@db_option
@click.pass_context
def upgrade(ctx: click.Context, db: str | None) -> None:
    """Bring a corpus made by an older junheng to the current schema, keeping all its data.

    Reading commands (compare, search, export …) never change a corpus and ask for this.

    \b
    Example:
        junheng upgrade --db corpus.db
    """
    applied = api.upgrade(db=db, settings=settings_of(ctx))
    click.echo(f"upgraded: {', '.join(applied)}" if applied else "the corpus is up to date")


@cli.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    default=True,
    help="One JSON object per input, one per line (the default and only format).",
)
@click.pass_context
def extract(ctx: click.Context, paths: tuple[str, ...], as_json: bool) -> None:
    """Run the pipeline without a database and print one JSON object per input.

    With no PATHS, or with -, reads one text from stdin.

    \b
    Example:
        junheng extract report.txt --json
    """
    paths = paths or ("-",)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    failed = []
    for item in api.extract(paths, settings=settings_of(ctx), stdin=stdin):
        if isinstance(item, api.ExtractFailure):
            failed.append(item)
            report_failures([item])
        else:
            click.echo(json.dumps(item, ensure_ascii=False))
    if failed:
        ctx.exit(EXIT_INPUT_FAILED)


@cli.command()
@db_option
@click.pass_context
def demo(ctx: click.Context, db: str | None) -> None:
    """Build a fresh demo database from the bundled sample reports and show what it finds.

    \b
    Example:
        junheng demo
    """
    from junheng.models.taxonomy import load_taxonomy
    from junheng.render import comparison_rich, measures_rich

    callback, bar = progress_bar(True, total=len(api.sample_paths()))
    try:
        result = api.demo(db=db, settings=settings_of(ctx), progress=callback)
    finally:
        if bar is not None:
            bar.stop()
    rep = result.ingest
    click.echo(
        f"Analysed {rep.count('added')} sample reports: {rep.sentences} sentences, "
        f"{rep.measures} measures → {result.db}\n"
    )
    taxonomy = load_taxonomy()
    print_table(comparison_rich(result.comparison, taxonomy))
    click.echo("")
    print_table(measures_rich(result.measures, taxonomy))
    click.echo(f"\nExplore further: junheng search 县管校聘 --db {result.db}")
