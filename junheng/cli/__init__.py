"""Command-line interface: thin commands over ``junheng.api``; errors become one line."""

from __future__ import annotations

import logging

import click

from junheng import __version__
from junheng.cli._common import JunhengGroup
from junheng.errors import JunhengError
from junheng.settings import load_settings


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


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="junheng")


# the commands register themselves on ``cli``
from junheng.cli import (  # noqa: E402, F401
    crawl,
    documents,
    exports,
    measures,
    models,
    query,
    report,
    tables,
)
