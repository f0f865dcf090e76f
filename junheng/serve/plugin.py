"""Datasette plugin for a junheng corpus (registered by ``junheng serve``).

* ``junheng_fts(q)`` and the table search box (``escape_fts``) cut queries with junheng's own
  segmenter and quote each term, as ``junheng search`` does: 县管校聘改革 → "县管校聘" "改革".
* In the comparison query each count links to its evidence and each code to the region's
  measures; in result tables the measures named in a row are marked in its sentence.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import to_css_class
from datasette.utils.asgi import Response
from markupsafe import Markup

from junheng.serve.search import mark_terms, segmented_fts, state

SHORT_COLUMNS = tuple("地区 省份 代码 文档 合计 日期 类别 提及 首见 末见 得分".split())
BASE_CSS = (
    "mark{background:#ffe08a;padding:0 1px}"
    ".rows-and-columns{font-size:15px}.rows-and-columns td,.rows-and-columns th{padding:4px 6px}"
)


def stylesheet() -> str:
    """Small additions to Datasette's style: short columns do not wrap, marks are yellow."""
    nowrap = ",".join(f"td.col-{to_css_class(c)}" for c in (*SHORT_COLUMNS, *state.strategies))
    return BASE_CSS + nowrap + "{white-space:nowrap}"


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so that ours is the one kept
def prepare_connection(conn: Any, database: str) -> None:
    if database != state.database:
        return
    conn.create_function("junheng_fts", 1, segmented_fts, deterministic=True)
    conn.create_function("escape_fts", 1, segmented_fts, deterministic=True)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/junheng\.css$", _css)]


async def _css() -> Response:
    return Response(stylesheet(), content_type="text/css; charset=utf-8")


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.path("/-/junheng.css")] if state.database else []


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Markup | None:
    if database != state.database or table is not None:
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    base = datasette.urls.database(database)
    if column in state.strategies and "代码" in keys and isinstance(value, int):
        if not value:
            return Markup("·")
        query = urlencode({"region": row["代码"], "strategy": state.strategies[column]})
        return Markup(
            f'<a href="{html.escape(base)}/evidence?{html.escape(query)}" title="查看证据句子">'
            f"{value}</a>"
        )
    if column == "代码" and "地区" in keys and isinstance(value, str) and value:
        href = f"{base}/region_measures?{urlencode({'region': value})}"
        return Markup(
            f'<a href="{html.escape(href)}" title="该地区的举措">{html.escape(value)}</a>'
        )
    if column == "句子" and "举措" in keys and isinstance(value, str) and row["举措"]:
        return Markup(mark_terms(value, str(row["举措"]).split("、")))
    return None
