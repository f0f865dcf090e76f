"""Charts: PNG files through matplotlib (labels in ASCII, so no CJK font is needed) and small
inline SVG charts for the HTML report (text left to the browser, which has the fonts)."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence

from junheng.corpus.analyses import Trend


def trend_png(trend: Trend, path: str | os.PathLike[str]) -> None:
    """Hits and share per period as a PNG (bars: hits; line: share of coded sentences)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    periods = [p.period for p in trend.points]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.45 * len(periods) + 2), 3.6), dpi=120)
    ax.bar(periods, [p.hits for p in trend.points], color="#4c78a8", label="sentences")
    ax.set_ylabel("sentences")
    ax.tick_params(axis="x", rotation=45 if len(periods) > 8 else 0)
    ax2 = ax.twinx()
    ax2.plot(periods, [p.share for p in trend.points], color="#e45756", marker="o", label="share")
    ax2.set_ylim(0, 1)
    ax2.set_ylabel("share of coded sentences")
    subject = trend.subject if trend.subject.isascii() else "measure"
    ax.set_title(f"{subject} by {trend.by}")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


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
