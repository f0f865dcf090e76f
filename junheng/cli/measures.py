"""Commands for measures and the lexicon: measures, lexicon export/add, reanalyse."""

from __future__ import annotations

import json

import click

from junheng import api
from junheng.cli import cli
from junheng.cli._common import (
    EXIT_INPUT_FAILED,
    db_option,
    jobs_option,
    print_table,
    progress_bar,
    settings_of,
)


@cli.command()
@click.option(
    "--region", metavar="NAME", help="Only measures reported for this place (or inside it)."
)
@click.option(
    "--since", type=int, metavar="YEAR", help="Only documents published in YEAR or later."
)
@click.option(
    "--new",
    "new_only",
    is_flag=True,
    help="Only measures the lexicon lacks, plus term candidates from corpus statistics.",
)
@click.option(
    "--timeline", metavar="TERM", help="Which places report TERM, and when they first did."
)
@click.option("-n", "--limit", default=40, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@db_option
@click.pass_context
def measures(
    ctx: click.Context,
    region: str | None,
    since: int | None,
    new_only: bool,
    timeline: str | None,
    limit: int,
    as_json: bool,
    db: str | None,
) -> None:
    """List measures with counts, regions, first and last seen, category and how each was found.

    Methods: lexicon (a term or variant of the lexicon), quoted (a quoted programme name the text
    acts on), verb-object (实施…工程 and the like). With --new, also candidate terms proposed
    by corpus statistics (PMI and branching entropy) for adding to the lexicon.

    \b
    Example:
        junheng measures --region 湖南省 --since 2020
        junheng measures --new --db corpus.db
        junheng measures --timeline 县管校聘
    """
    from junheng.models.taxonomy import load_taxonomy

    settings = settings_of(ctx)
    if timeline:
        from junheng.render import render, timeline_table

        rows_t = api.timeline(
            timeline, db=db, settings=settings, region=region, years=f"{since}-" if since else None
        )
        out = render(timeline_table(rows_t, timeline), "json" if as_json else "table")
        if isinstance(out, str):
            click.echo(out)
        else:
            print_table(out)
        return
    rows = api.list_measures(
        db=db, region=region, since=since, new_only=new_only, limit=limit, settings=settings
    )
    candidates = api.discover_terms(db=db, limit=limit, settings=settings) if new_only else []
    if as_json:
        for r in rows:
            click.echo(
                json.dumps(
                    {
                        "canonical": r.canonical,
                        "category": r.category,
                        "mentions": r.mentions,
                        "documents": r.documents,
                        "regions": [{"name": n, "mentions": c} for n, c in r.regions],
                        "first_seen": r.first_seen,
                        "last_seen": r.last_seen,
                        "methods": list(r.methods),
                        "examples": list(r.examples),
                    },
                    ensure_ascii=False,
                )
            )
        for c in candidates:
            click.echo(json.dumps({"candidate": c.term, **c.as_dict()}, ensure_ascii=False))
        return
    from rich import box
    from rich.table import Table

    taxonomy = load_taxonomy()
    table = Table(
        title="Measures" + (" not in the lexicon" if new_only else ""),
        box=box.SIMPLE_HEAD,
        header_style="bold",
        pad_edge=False,
    )
    for name, justify in (
        ("举措", "left"),
        ("类别", "left"),
        ("提及", "right"),
        ("文档", "right"),
        ("地区", "left"),
        ("首见", "left"),
        ("末见", "left"),
        ("方法", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        places = "、".join(n for n, _ in r.regions[:3]) + (" …" if len(r.regions) > 3 else "")
        cat = taxonomy.short_name(r.category) if r.category in taxonomy.strategies else "–"
        table.add_row(
            r.canonical,
            cat,
            str(r.mentions),
            str(r.documents),
            places or "–",
            r.first_seen or "–",
            r.last_seen or "–",
            ",".join(r.methods),
        )
    if not rows:
        click.echo("no measures match these filters")
    else:
        print_table(table)
    if candidates:
        cand = Table(
            title="Term candidates (not in the lexicon)",
            box=box.SIMPLE_HEAD,
            header_style="bold",
            pad_edge=False,
        )
        for name in ("候选词", "次数", "内聚PMI", "左熵", "右熵"):
            cand.add_column(name, justify="left" if name == "候选词" else "right")
        for c in candidates:
            cand.add_row(
                c.term,
                str(c.count),
                f"{c.pmi:.2f}",
                f"{c.left_entropy:.2f}",
                f"{c.right_entropy:.2f}",
            )
        print_table(cand)
        click.echo(
            "Add the real measures with `junheng lexicon add FILE`, then `junheng reanalyse`."
        )


@cli.group()
def lexicon() -> None:
    """Export the measure lexicon, or add local terms to a corpus's lexicon.

    \b
    Example:
        junheng lexicon export lexicon.tsv
        junheng lexicon add my_terms.tsv --db corpus.db && junheng reanalyse --db corpus.db
    """


@lexicon.command("export")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
@db_option
@click.pass_context
def lexicon_export(ctx: click.Context, out: str, db: str | None) -> None:
    """Write the lexicon (shipped terms and the corpus's additions) as TSV.

    Columns: term, category_id, gloss_zh, variants (separated by |).

    \b
    Example:
        junheng lexicon export lexicon.tsv --db corpus.db
    """
    n = api.export_lexicon(out, db=db, settings=settings_of(ctx))
    click.echo(f"{n} terms → {out}")


@lexicon.command("add")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.pass_context
def lexicon_add(ctx: click.Context, path: str, db: str | None) -> None:
    """Add the terms of a TSV file (as written by `lexicon export`) to the corpus's lexicon.

    Categories must be taxonomy strategy ids (or empty). Run `junheng reanalyse` afterwards to
    apply them to the stored documents; new ingests use them at once.

    \b
    Example:
        junheng lexicon add my_terms.tsv --db corpus.db
    """
    n = api.add_lexicon(path, db=db, settings=settings_of(ctx))
    click.echo(f"{n} terms added; run `junheng reanalyse` to apply them to stored documents")


@cli.command()
@db_option
@jobs_option
@click.pass_context
def reanalyse(ctx: click.Context, db: str | None, jobs: int | None) -> None:
    """Analyse every stored document again with the current lexicon and pipeline.

    \b
    Example:
        junheng reanalyse --db corpus.db
    """
    callback, bar = progress_bar(True)
    try:
        report = api.reanalyse(db=db, settings=settings_of(ctx), progress=callback, jobs=jobs)
    finally:
        if bar is not None:
            bar.stop()
    click.echo(
        f"re-analysed {report.documents} documents: {report.sentences} sentences, "
        f"{report.measures} measures → {report.db}"
    )
    for failure in report.failed:
        click.echo(f"kept the earlier analysis of {failure}", err=True)
    if report.failed:
        ctx.exit(EXIT_INPUT_FAILED)
