"""Charts: PNG files through matplotlib (axis labels in ASCII; a Chinese title with a CJK font
when one is installed) and small inline SVG charts for the HTML report (text left to the
browser, which has the fonts)."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from typing import Any

from junheng.corpus.analyses import Trend


def trend_png(trend: Trend, path: str | os.PathLike[str]) -> None:
    """Hits and share per period as a PNG (bars: hits; line: share of coded sentences)."""
    import matplotlib.pyplot as plt

    fig = trend_figure(trend)
    fig.savefig(path)
    plt.close(fig)


def trend_figure(trend: Trend) -> Any:
    """The trend chart: every period from the first to the last on the x-axis (periods with
    nothing are zero, not left out), titled with the strategy or measure it shows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    by_period = {p.period: p for p in trend.points}
    periods = all_periods([p.period for p in trend.points], trend.by)
    hits = [by_period[p].hits if p in by_period else 0 for p in periods]
    shares = [by_period[p].share if p in by_period else 0.0 for p in periods]
    family = _cjk_family()
    fig, ax = plt.subplots(figsize=(max(6.0, 0.45 * len(periods) + 2), 3.6), dpi=120)
    ax.bar(periods, hits, color="#4c78a8", label="sentences")
    ax.set_ylabel("sentences")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.25 of a sentence
    ax.tick_params(axis="x", rotation=45 if len(periods) > 8 else 0)
    ax2 = ax.twinx()
    ax2.plot(periods, shares, color="#e45756", marker="o", label="share")
    ax2.set_ylim(0, 1)
    ax2.set_ylabel("share of coded sentences")
    subject = trend.subject
    if not subject.isascii() and family is None:
        subject = "measure (no CJK font installed to show its name)"
    ax.set_title(f"{subject} by {trend.by}", fontfamily=family or "sans-serif")
    fig.tight_layout()
    return fig


def all_periods(periods: Sequence[str], by: str) -> list[str]:
    """Every year (``YYYY``) or month (``YYYY-MM``) from the first of ``periods`` to the last."""
    if not periods:
        return []
    first, last = min(periods), max(periods)
    if by == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    out = []
    y, m = int(first[:4]), int(first[5:7])
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _cjk_family() -> str | None:
    """A font family that has Chinese glyphs (Noto Sans CJK from Debian's fonts-noto-cjk)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", "SimHei"):
        if name in names:
            return name
    for path in font_manager.findSystemFonts():
        if "CJK" in path or "wqy" in path.lower():
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in ("Noto Sans CJK SC", "Noto Serif CJK SC") if n in names), None)


def svg_lines(
    series: dict[str, Sequence[float]],
    labels: Sequence[str],
    *,
    width: int = 640,
    height: int = 240,
    title: str = "",
    percent: bool = False,
) -> str:
    """A small multi-line chart as inline SVG."""
    pad_l, pad_b, pad_t, pad_r = 44, 28, 24, 120
    top = max([max(v) for v in series.values() if v] + [1e-9])
    n = max(1, len(labels) - 1)
    colours = [
        "#4c78a8",
        "#f58518",
        "#54a24b",
        "#e45756",
        "#72b7b2",
        "#eeca3b",
        "#b279a2",
        "#ff9da6",
        "#9d755d",
        "#bab0ac",
        "#1f77b4",
        "#2ca02c",
        "#d62728",
    ]

    def x(i: int) -> float:
        return pad_l + (width - pad_l - pad_r) * i / n

    def y(v: float) -> float:
        return pad_t + (height - pad_t - pad_b) * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{html.escape(title)}">',
        f'<text x="{pad_l}" y="16" font-size="13" font-weight="bold">{html.escape(title)}</text>',
        f'<line x1="{pad_l}" y1="{height - pad_b}" x2="{width - pad_r}" y2="{height - pad_b}" '
        'stroke="#999"/>',
    ]
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 8}" font-size="11" text-anchor="middle">'
            f"{html.escape(label)}</text>"
        )
    tick = f"{top:.0%}" if percent else f"{top:g}"
    parts.append(
        f'<text x="{pad_l - 6}" y="{pad_t + 4}" font-size="11" text-anchor="end">{tick}</text>'
    )
    for k, (name, values) in enumerate(series.items()):
        colour = colours[k % len(colours)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
        parts.append(
            f'<text x="{width - pad_r + 8}" y="{pad_t + 14 * k + 4}" font-size="11" '
            f'fill="{colour}">{html.escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
