"""The export command."""

from __future__ import annotations

from typing import Any

import click

from junheng.api.exports import KINDS, export
from junheng.cli import cli
from junheng.cli._common import db_option, filter_options, filters_of, settings_of, working


@cli.command("export")
@click.argument("kind", type=click.Choice(KINDS))
@click.option(
    "--out",
    required=True,
    type=click.Path(),
    help="File (.csv, .xlsx, .json or .jsonl), or folder for texts.",
)
@click.option(
    "--unit",
    type=click.Choice(["sentence", "document"]),
    default="sentence",
    show_default=True,
    help="Co-occurrence within a sentence or a document.",
)
@filter_options
@db_option
@click.pass_context
def export_cmd(
    ctx: click.Context, kind: str, out: str, unit: str, db: str | None, **kwargs: Any
) -> None:
    """Export the counted corpus for other tools.

    \b
    sentences     coded sentences with region, date, strategies, instrument, measures,
                  figures and source (CSV, XLSX or JSON; NVivo-style coding for checking and citing)
    words         word frequencies (word, count, documents)
    cooccurrence  measures named together: Source,Target,Weight edge list for Gephi / KH Coder
    texts         one plain-text file per document for ROST CM / KH Coder

    \b
    Example:
        junheng export sentences --province 湖南省 --years 2016-2023 --out coded.xlsx
        junheng export cooccurrence --unit document --out edges.csv
        junheng export texts --out texts/
    """
    with working(f"exporting {kind}"):
        result = export(
            kind, out, db=db, unit=unit, settings=settings_of(ctx), **filters_of(kwargs)
        )
    click.echo(f"{result.rows} {'documents' if kind == 'texts' else 'rows'} → {result.path}")
