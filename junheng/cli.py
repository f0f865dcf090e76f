"""Command-line interface: thin commands over ``junheng.api``; errors become one line."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from typing import Any

import click

from junheng import __version__, api
from junheng.errors import JunhengError
from junheng.settings import Settings, load_settings

EXIT_INPUT_FAILED = 1


class JunhengGroup(click.Group):
    """Turns library errors into one clear line and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except JunhengError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(
                f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)"
            ) from None


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def _console(**kwargs: Any) -> Any:
    from rich.console import Console

    return Console(**kwargs)


def _print_table(table: Any) -> None:
    """Print a rich table at its natural width when output is not a terminal."""
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        # no terminal to fit: print at the table's natural width instead of squeezing columns
        console = Console(width=400, no_color=True)
    console.print(table)


def _progress(enabled: bool, total: int | None = None) -> tuple[Callable[[str], None] | None, Any]:
    if not enabled or not sys.stderr.isatty():
        return None, None
    from rich.progress import Progress

    bar = Progress(transient=True, console=_console(stderr=True))
    task = bar.add_task("analysing", total=total)
    bar.start()
    return (lambda location: bar.update(task, advance=1, description=location[-40:])), bar


db_option = click.option(
    "--db", "db", metavar="FILE", help="Corpus database (default: $JUNHENG_DB, else ./junheng.db)."
)


@click.group(cls=JunhengGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="junheng")
@click.option("--config", type=click.Path(dir_okay=False), help="Settings file (TOML).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("--debug", is_flag=True, help="Show full tracebacks for internal errors.")
@click.pass_context
def cli(ctx: click.Context, config: str | None, verbose: int, debug: bool) -> None:
    """junheng (均衡): mine Chinese local reports on balanced compulsory education.

    \b
    Example:
        junheng demo
        junheng ingest reports/ --db corpus.db
        junheng compare --by county --db corpus.db
    """
    import jieba  # imported first: it sets its own logger to DEBUG on import

    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    jieba_logger = logging.getLogger(jieba.__name__)
    jieba_logger.setLevel(max(level, logging.INFO))
    jieba_logger.propagate = False
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    try:
        ctx.obj["settings"] = load_settings(config)
    except JunhengError as exc:
        raise click.ClickException(str(exc)) from None


def _report_failures(items: list[api.IngestItem] | list[api.ExtractFailure]) -> None:
    for item in items:
        click.echo(f"skipped {item.location}: {item.reason}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], db: str | None) -> None:
    """Analyse .txt, .html and .jsonl files (or folders of them) and store them in the corpus.

    Content already in the corpus is skipped. Use - to read one text from stdin.

    \b
    Example:
        junheng ingest reports/ extra.html --db corpus.db
    """
    settings = _settings(ctx)
    stdin = sys.stdin.buffer.read() if "-" in paths else None
    callback, bar = _progress(True)
    try:
        report = api.ingest(paths, db=db, settings=settings, stdin=stdin, progress=callback)
    finally:
        if bar is not None:
            bar.stop()
    for item in report.items:
        for note in item.notes:
            click.echo(f"note: {item.location}: {note}", err=True)
    _report_failures(report.failed)
    click.echo(
        f"{report.count('added')} added, {report.count('unchanged')} unchanged, "
        f"{report.count('failed')} failed; {report.sentences} sentences, "
        f"{report.measures} measures → {report.db}"
    )
    if report.failed:
        ctx.exit(EXIT_INPUT_FAILED)


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
    for item in api.extract(paths, settings=_settings(ctx), stdin=stdin):
        if isinstance(item, api.ExtractFailure):
            failed.append(item)
            _report_failures([item])
        else:
            click.echo(json.dumps(item, ensure_ascii=False))
    if failed:
        ctx.exit(EXIT_INPUT_FAILED)


@cli.command()
@click.argument("query")
@click.option(
    "--region", metavar="NAME", help="Only sentences attributed to this place (or inside it)."
)
@click.option("--strategy", metavar="ID", help="Only sentences labelled with this strategy id.")
@click.option("-n", "--limit", default=20, show_default=True, help="Maximum number of results.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of text.")
@db_option
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    region: str | None,
    strategy: str | None,
    limit: int,
    as_json: bool,
    db: str | None,
) -> None:
    """Full-text search of stored sentences; the query is segmented like the index.

    \b
    Example:
        junheng search 县管校聘 --region 湖南省
        junheng search 双减 --strategy double_reduction --json
    """
    result = api.search(
        query, db=db, region=region, strategy=strategy, limit=limit, settings=_settings(ctx)
    )
    if as_json:
        for h in result.hits:
            click.echo(
                json.dumps(
                    {
                        "text": h.text,
                        "highlight": h.highlighted(),
                        "matches": h.matches,
                        "title": h.title,
                        "published": h.published,
                        "location": h.location,
                        "url": h.url,
                        "region": h.region.as_dict() if h.region else None,
                        "strategies": list(h.strategies),
                        "measures": list(h.measures),
                        "sentence_id": h.sentence_id,
                        "document_id": h.document_id,
                    },
                    ensure_ascii=False,
                )
            )
        return
    if not result.hits:
        click.echo(f"no sentences match {query!r} (searched for: {' '.join(result.terms)})")
        return
    console = _console(highlight=False)
    from rich.markup import escape

    # on a terminal the match is shown in reverse video; in a pipe or a file, between 【】
    marks = ("\x00", "\x01") if console.is_terminal else ("【", "】")
    for h in result.hits:
        where = h.region.name if h.region else "未归属"
        console.print(
            f"[bold]{escape(where)}[/bold]  {escape(h.title or h.location or '')}"
            f"  [dim]{h.published or ''}[/dim]"
        )
        line = escape(h.highlighted(*marks))
        console.print("    " + line.replace("\x00", "[reverse]").replace("\x01", "[/reverse]"))
    click.echo(f"{len(result.hits)} sentences", err=True)


@cli.command()
@click.option(
    "--by",
    type=click.Choice(["county", "city", "province"]),
    default="county",
    show_default=True,
    help="Row level.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "md", "csv", "json"]),
    default="table",
    show_default=True,
)
@db_option
@click.pass_context
def compare(ctx: click.Context, by: str, fmt: str, db: str | None) -> None:
    """Regions × strategies: sentence counts and distinct measures per cell.

    \b
    Example:
        junheng compare --by city --format csv > table.csv
    """
    from junheng.models.taxonomy import load_taxonomy
    from junheng.render import render_comparison

    table = api.compare(by=by, db=db, settings=_settings(ctx))  # type: ignore[arg-type]
    out = render_comparison(table, load_taxonomy(), fmt)
    if isinstance(out, str):
        click.echo(out)
    else:
        _print_table(out)


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

    callback, bar = _progress(True, total=len(api.sample_paths()))
    try:
        result = api.demo(db=db, settings=_settings(ctx), progress=callback)
    finally:
        if bar is not None:
            bar.stop()
    rep = result.ingest
    click.echo(
        f"Analysed {rep.count('added')} sample reports: {rep.sentences} sentences, "
        f"{rep.measures} measures → {result.db}\n"
    )
    taxonomy = load_taxonomy()
    _print_table(comparison_rich(result.comparison, taxonomy))
    click.echo("")
    _print_table(measures_rich(result.measures, taxonomy))
    click.echo(f"\nExplore further: junheng search 县管校聘 --db {result.db}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="junheng")


if __name__ == "__main__":
    main()
