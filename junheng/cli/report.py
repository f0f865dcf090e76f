"""Picture commands: the self-contained HTML report and the browsable corpus (Datasette)."""

from __future__ import annotations

from typing import Any

import click

from junheng.cli import cli
from junheng.cli._common import db_option, filter_options, filters_of, settings_of

LEVEL = click.Choice(["county", "city", "province"])


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default="report.html",
    show_default=True,
    help="The HTML file to write.",
)
@click.option("--by", type=LEVEL, default="county", show_default=True, help="Row level.")
@click.option(
    "--evidence",
    "per_cell",
    type=int,
    default=3,
    show_default=True,
    help="Evidence sentences per region and strategy (0: none).",
)
@click.option(
    "--evidence-regions",
    type=int,
    default=30,
    show_default=True,
    help="List evidence for this many regions, those with most coded sentences first.",
)
@click.option("--title", metavar="TEXT", help="The report's title.")
@filter_options
@db_option
@click.pass_context
def report(
    ctx: click.Context,
    out: str,
    by: str,
    per_cell: int,
    evidence_regions: int,
    title: str | None,
    db: str | None,
    **kwargs: Any,
) -> None:
    """One self-contained HTML report: summary, heatmap, trends, measures, evidence.

    The file needs no network: styles and charts are inline. It shows the region × strategy
    heatmap, yearly trends, top measures, each region's coverage of the four dimensions of the
    2017 quality-balance evaluation method (资源配置, 政府保障程度, 教育质量, 社会认可度), and
    evidence sentences with their measures marked and links to their sources.

    \b
    Example:
        junheng report --out report.html
        junheng report --province 湖南省 --years 2016-2023 --out hunan.html
    """
    from junheng.api.report import report as build
    from junheng.cli._common import working

    with working("building the report"):
        result = build(
            out,
            db=db,
            by=by,  # type: ignore[arg-type]
            evidence_per_cell=per_cell,
            evidence_regions=evidence_regions,
            title=title,
            settings=settings_of(ctx),
            **filters_of(kwargs),
        )
    click.echo(
        f"{result.regions} regions, {result.evidence} evidence sentences,"
        f" {result.bytes / 1024:.0f} KiB → {result.path}",
        err=True,
    )


@cli.command()
@db_option
@click.option("--port", type=int, default=8001, show_default=True, help="Port (0: any free one).")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; keep 127.0.0.1 unless others should reach it.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the corpus in a web browser.")
@click.pass_context
def serve(ctx: click.Context, db: str | None, port: int, host: str, open_browser: bool) -> None:
    """Browse and search the corpus in a web browser (Datasette, read-only).

    Pages in Chinese: the comparison table (each count links to its evidence sentences),
    evidence for a region and strategy, the measures of a region, and full-text search that
    cuts queries into words as `junheng search` does. Stop with Ctrl-C.

    \b
    Example:
        junheng serve --db corpus.db --open
        junheng serve --port 8002
    """
    from junheng.api.serve import serve as run

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: serving on {host}: other machines may reach the corpus", err=True)

    def ready(url: str) -> None:
        click.echo(f"serving {url} (read-only; Ctrl-C to stop)", err=True)

    run(
        db,
        host=host,
        port=port,
        open_browser=open_browser,
        settings=settings_of(ctx),
        ready=ready,
    )
