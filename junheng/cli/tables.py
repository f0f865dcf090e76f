"""Table commands: compare, evidence, matrix, trend."""

from __future__ import annotations

from typing import Any

import click

from junheng import api
from junheng.cli import cli
from junheng.cli._common import (
    db_option,
    emit,
    filter_options,
    filters_of,
    format_option,
    output_format,
    settings_of,
)
from junheng.errors import QueryError

LEVEL = click.Choice(["county", "city", "province"])
AXES = click.Choice(["instrument", "strategy", "province", "city", "county", "year"])


def _taxonomy() -> Any:
    from junheng.models.taxonomy import load_taxonomy

    return load_taxonomy()


@cli.command()
@click.option("--by", type=LEVEL, default="county", show_default=True, help="Row level.")
@format_option("xlsx")
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Write to this file (needed for xlsx)."
)
@filter_options
@db_option
@click.pass_context
def compare(
    ctx: click.Context, by: str, fmt: str, out: str | None, db: str | None, **kwargs: Any
) -> None:
    """Regions × strategies: sentence counts and distinct measures per cell.

    csv and json also carry each cell's documents and its share of the row's sentences
    (those carrying any of the table's strategies); xlsx has one sheet per view and an
    evidence sheet linking to the sources.

    \b
    Example:
        junheng compare --by city --format csv > table.csv
        junheng compare --province 湖南省 --years 2016-2023 --format xlsx --out hunan.xlsx
    """
    from junheng.render import render_comparison

    fmt = output_format(fmt, out, "xlsx")
    settings = settings_of(ctx)
    filters = filters_of(kwargs)
    table = api.compare(by=by, db=db, settings=settings, **filters)  # type: ignore[arg-type]
    taxonomy = _taxonomy()
    if fmt == "xlsx":
        if not out:
            raise QueryError("--format xlsx needs --out FILE.xlsx")
        from junheng.reports.xlsx import comparison_workbook

        n = comparison_workbook(
            out, table, taxonomy, _evidence_rows(table, by, db, settings, filters)
        )
        click.echo(f"{len(table.rows)} rows, {n} evidence sentences → {out}", err=True)
        return
    if not table.rows:
        click.echo(table.notes[0] if table.notes else "no rows", err=True)
    emit(render_comparison(table, taxonomy, fmt), out, fmt=fmt)


def _evidence_rows(table: Any, by: str, db: str | None, settings: Any, filters: dict) -> Any:
    """Every cell's evidence, streamed row by row into the workbook."""
    from junheng.corpus import compare as compare_mod
    from junheng.corpus.store import Corpus
    from junheng.pipeline import Pipeline

    pipeline = Pipeline(settings)
    flt = api.make_filters(pipeline, **filters)
    with Corpus.open(db or settings.db, readonly=True, timeout=settings.lock_timeout) as corpus:
        for row in table.rows:
            region = pipeline.gazetteer.by_adcode.get(row.adcode)
            if region is None:
                continue
            for sid in table.strategies:
                if row.cells[sid].sentences:
                    yield from compare_mod.evidence(
                        corpus,
                        strategy=sid,
                        region=region,
                        by=by,
                        threshold=table.threshold,
                        filters=flt,
                    )


@cli.command()
@click.option("--region", "place", metavar="NAME", help="The row's place (omit for unattributed).")
@click.option("--strategy", required=True, metavar="ID", help="The column's strategy id.")
@click.option(
    "--by",
    type=LEVEL,
    default="county",
    show_default=True,
    help="Row level of the table the cell belongs to.",
)
@format_option()
@click.option("-n", "--limit", type=int, default=None, help="At most this many sentences.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file.")
@click.option("--years", metavar="RANGE", help="Publication years: 2016-2023, 2020 or 2020-.")
@db_option
@click.pass_context
def evidence(
    ctx: click.Context,
    place: str | None,
    strategy: str,
    by: str,
    fmt: str | None,
    limit: int | None,
    out: str | None,
    years: str | None,
    db: str | None,
) -> None:
    """The sentences behind one cell of `compare`, with title, date, URL and measures marked.

    The count equals the cell's sentence count for the same --by and filters.

    \b
    Example:
        junheng evidence --region 新田县 --strategy teacher_allocation
    """
    fmt = output_format(fmt, out)
    from junheng.render import evidence_table, render

    items = api.evidence(
        strategy=strategy,
        region=place,
        by=by,
        db=db,
        limit=limit,  # type: ignore[arg-type]
        settings=settings_of(ctx),
        years=years,
    )
    title = f"{place or '未归属'} × {strategy}"
    if not items:
        click.echo(f"no sentences for {title}", err=True)
    emit(render(evidence_table(items, title), fmt), out, fmt=fmt)


@cli.command()
@click.option(
    "--rows",
    default="instrument",
    show_default=True,
    type=AXES,
)
@click.option(
    "--cols",
    default="strategy",
    show_default=True,
    type=AXES,
)
@format_option()
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file.")
@filter_options
@db_option
@click.pass_context
def matrix(
    ctx: click.Context,
    rows: str,
    cols: str,
    fmt: str | None,
    out: str | None,
    db: str | None,
    **kwargs: Any,
) -> None:
    """A coding matrix with counts and shares, e.g. policy instrument × strategy.

    \b
    Example:
        junheng matrix --rows instrument --cols strategy --province 湖南省 --years 2016-2023
    """
    fmt = output_format(fmt, out)
    import json

    from junheng.render import matrix_json, matrix_table, render

    m = api.matrix(rows=rows, cols=cols, db=db, settings=settings_of(ctx), **filters_of(kwargs))
    if fmt == "json":
        emit(json.dumps(matrix_json(m), ensure_ascii=False, indent=2), out)
        return
    emit(
        render(matrix_table(m, _taxonomy()), fmt, two_line_headers=cols == "strategy"), out, fmt=fmt
    )


@cli.command()
@click.option("--by", type=click.Choice(["year", "month"]), default="year", show_default=True)
@click.option("--strategy", metavar="ID", help="Share of this strategy among coded sentences.")
@click.option("--measure", metavar="TERM", help="Sentences naming this measure.")
@format_option()
@click.option("--png", type=click.Path(dir_okay=False), help="Also draw the trend into this PNG.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the table to this file.")
@filter_options
@db_option
@click.pass_context
def trend(
    ctx: click.Context,
    by: str,
    strategy: str | None,
    measure: str | None,
    fmt: str | None,
    png: str | None,
    out: str | None,
    db: str | None,
    **kwargs: Any,
) -> None:
    """Counts and shares over time, as a table and optionally a PNG chart.

    \b
    Example:
        junheng trend --by year --strategy double_reduction --png dr.png
        junheng trend --by month --measure 课后服务 --years 2021-
    """
    fmt = output_format(fmt, out)
    from junheng.render import render, trend_table

    t = api.trend(
        by=by,
        strategy=strategy,
        measure=measure,
        db=db,
        settings=settings_of(ctx),
        **filters_of(kwargs),
    )
    if png:
        from junheng.reports.charts import trend_png

        trend_png(t, png)
        click.echo(f"chart → {png}", err=True)
    emit(render(trend_table(t), fmt), out, fmt=fmt)
