"""Full-text search of the corpus."""

from __future__ import annotations

import json

import click

from junheng import api
from junheng.cli import cli
from junheng.cli._common import console, db_option, progress_bar, settings_of


@cli.command()
@click.argument("query")
@click.option(
    "--region", metavar="NAME", help="Only sentences attributed to this place (or inside it)."
)
@click.option("--strategy", metavar="ID", help="Only sentences labelled with this strategy id.")
@click.option("-n", "--limit", default=20, show_default=True, help="Maximum number of results.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of text.")
@click.option(
    "--semantic",
    "mode",
    flag_value="semantic",
    help="Rank by meaning (sentence embeddings) instead of words.",
)
@click.option("--hybrid", "mode", flag_value="hybrid", help="Fuse word and meaning rankings.")
@db_option
@click.pass_context
def search(
    ctx: click.Context,
    query: str,
    region: str | None,
    strategy: str | None,
    limit: int,
    as_json: bool,
    mode: str | None,
    db: str | None,
) -> None:
    """Search stored sentences: by words (the query is segmented like the index), by meaning
    (--semantic) or both (--hybrid).

    Semantic search encodes sentences not yet embedded on first use (the embedder is the
    `embedder` setting; `junheng models build` makes the default one).

    \b
    Example:
        junheng search 县管校聘 --region 湖南省
        junheng search 双减 --strategy double_reduction --json
        junheng search --semantic 城乡教师流动
    """
    callback, bar = progress_bar(mode in ("semantic", "hybrid"))
    try:
        result = api.search(
            query,
            db=db,
            region=region,
            strategy=strategy,
            limit=limit,
            mode=mode or "text",
            settings=settings_of(ctx),
            progress=callback,
        )
    finally:
        if bar is not None:
            bar.stop()
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
    out = console(highlight=False)
    from rich.markup import escape

    # on a terminal the match is shown in reverse video; in a pipe or a file, between 【】
    marks = ("\x00", "\x01") if out.is_terminal else ("【", "】")
    for h in result.hits:
        where = h.region.name if h.region else "未归属"
        out.print(
            f"[bold]{escape(where)}[/bold]  {escape(h.title or h.location or '')}"
            f"  [dim]{h.published or ''}[/dim]"
        )
        line = escape(h.highlighted(*marks))
        out.print("    " + line.replace("\x00", "[reverse]").replace("\x01", "[/reverse]"))
    click.echo(f"{len(result.hits)} sentences", err=True)
