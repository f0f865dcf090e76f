"""Shared pieces of the command line: error handling, settings, tables, progress bars."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from junheng.errors import JunhengError
from junheng.reports.tabular import BOM
from junheng.settings import Settings

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


def jobs_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--jobs N``: analysis worker processes (default: all cores)."""
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Worker processes that analyse documents [default: all cores].",
    )(func)


def settings_of(ctx: click.Context) -> Settings:
    return ctx.obj["settings"]


def console(**kwargs: Any) -> Any:
    from rich.console import Console

    return Console(**kwargs)


def plain_text(table: Any) -> str:
    """A rich table as plain text (for a file): at its natural width, no colour codes."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    print_table(table, Console(file=buffer, width=400, no_color=True, color_system=None))
    return buffer.getvalue()


def print_table(table: Any, console: Any = None) -> None:
    """Print a rich table: at its natural width when output is not a terminal; on a terminal
    too narrow for it, as one block per row (``header: value`` lines), so that no row loses
    its name, no number is cut and long sentences wrap instead of being truncated."""
    from rich.console import Console

    if console is None:
        console = Console()
        if not console.is_terminal:
            # no terminal to fit: print at the table's natural width, never squeezed
            console = Console(width=400, no_color=True)
    if _needed_width(console, table) <= console.width:
        console.print(table)
        return
    _print_records(console, table)


def _needed_width(console: Any, table: Any) -> int:
    """Width the table needs without cutting a number or a short (no-wrap) cell."""
    from rich.measure import Measurement

    widths = []
    for column in table.columns:
        cells = [column.header, *column.cells]
        sizes = [Measurement.get(console, console.options, c) for c in cells]
        widths.append(max(m.maximum if column.no_wrap else m.minimum for m in sizes))
    padding = 2 * len(widths) + 4
    return sum(widths) + padding


def _print_records(console: Any, table: Any) -> None:
    from rich.markup import escape

    def text(value: Any) -> str:
        return " ".join(str(getattr(value, "plain", value)).split())

    if table.title:
        console.print(f"[bold]{escape(text(table.title))}[/bold]")
    headers = [str(getattr(c.header, "plain", c.header)).replace("\n", "") for c in table.columns]
    columns = [list(c.cells) for c in table.columns]
    for k in range(table.row_count):
        first, *rest = (text(col[k]) for col in columns)
        console.print(f"[bold]{escape(first)}[/bold]")
        for head, value in zip(headers[1:], rest, strict=True):
            if value and value not in ("·", "–"):
                console.print(f"  {escape(head)}: {escape(value)}")
    if table.caption:
        console.print(escape(text(table.caption)))


def progress_bar(
    enabled: bool, total: int | None = None
) -> tuple[Callable[[str], None] | None, Any]:
    if not enabled or not sys.stderr.isatty():
        return None, None
    from rich.progress import Progress

    bar = Progress(transient=True, console=console(stderr=True))
    task = bar.add_task("analysing", total=total)
    bar.start()
    return (lambda location: bar.update(task, advance=1, description=location[-40:])), bar


class working:
    """A spinner on stderr while a long step runs (only on a terminal; silent under cron)."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.status: Any = None

    def __enter__(self) -> working:
        if sys.stderr.isatty():
            self.status = console(stderr=True).status(self.message)
            self.status.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.__exit__(*exc)


db_option = click.option(
    "--db", "db", metavar="FILE", help="Corpus database (default: $JUNHENG_DB, else ./junheng.db)."
)


def report_failures(items: list[Any]) -> None:
    """One line per input that could not be used."""
    for item in items:
        click.echo(f"skipped {item.location}: {item.reason}", err=True)


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The filters shared by tables, evidence, matrices, trends and exports."""
    options = [
        click.option("--province", metavar="NAME", help="Only this province (湖南省, 湖南)."),
        click.option("--region", metavar="NAME", help="Only this place and what lies inside it."),
        click.option(
            "--years", metavar="RANGE", help="Publication years: 2016-2023, 2020 or 2020-."
        ),
        click.option("--strategies", metavar="IDS", help="Comma-separated strategy ids."),
        click.option(
            "--min-docs", type=int, default=0, help="Drop rows backed by fewer documents."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


TABLE_FORMATS = ("table", "md", "csv", "json", "html")


def format_option(*extra: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--format`` for commands that render a table (``extra``: formats beyond the common)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice([*TABLE_FORMATS, *extra]),
        default=None,
        help="Output format [default: from --out's suffix (.csv, .json, .md, .html"
        + "".join(f", .{e}" for e in extra)
        + "), else table].",
    )


SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".md": "md", ".html": "html", ".htm": "html"}


def output_format(fmt: str | None, out: str | None, *extra: str) -> str:
    """``--format`` as given, else the one ``--out``'s suffix names (``table`` otherwise):
    ``--out table.csv`` writes CSV, never a terminal rendering."""
    if fmt:
        return fmt
    suffix = os.path.splitext(out or "")[1].lower()
    return {**SUFFIX_FORMATS, **{f".{e}": e for e in extra}}.get(suffix, "table")


def filters_of(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Pop the filter options out of a command's keyword arguments."""
    return {k: kwargs.pop(k) for k in ("province", "region", "years", "strategies", "min_docs")}


def emit(out: Any, path: str | None = None, *, fmt: str | None = None) -> None:
    """Print a rendered table, or write it to ``path`` when given; CSV starts with a BOM so
    that Excel reads it as UTF-8."""
    if fmt == "csv" and isinstance(out, str):
        out = BOM + out
    if path:
        text = out if isinstance(out, str) else plain_text(out)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
        click.echo(f"→ {path}", err=True)
    elif isinstance(out, str):
        click.echo(out, nl=not out.endswith("\n"))
    else:
        print_table(out)
