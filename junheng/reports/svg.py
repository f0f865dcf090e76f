"""Small inline SVG charts for the HTML report: no scripts, no external resources, text left to
the browser (which has the CJK fonts)."""

from __future__ import annotations

import html
from collections.abc import Sequence

PALETTE = (
    "#4c78a8",
    "#f58518",
    "#54a24b",
    "#e45756",
    "#72b7b2",
    "#b279a2",
    "#eeca3b",
    "#9d755d",
    "#ff9da6",
    "#1f77b4",
    "#2ca02c",
    "#d62728",
    "#8c6d31",
)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def nice_top(value: float, *, percent: bool = False) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 × 10^k; shares at most 100 %)."""
    if value <= 0:
        return 1.0
    if percent:
        for step in (0.05, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.8, 1.0):
            if value <= step + 1e-12:
                return step
        return 1.0
    scale = 1.0
    while scale * 10 <= value:
        scale *= 10
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * scale:
            return m * scale
    return 10 * scale


def _tick(value: float, percent: bool) -> str:
    if percent:
        return f"{value:.0%}"
    return f"{value:g}"


def grid_lines(top: float, *, percent: bool, most: int = 5) -> int:
    """How many gridline steps divide ``top`` into round values (whole counts or percents)."""
    for n in (n for n in (4, 5, 3, 2) if n <= most):
        step = top / n * (100 if percent else 1)
        if abs(step - round(step)) < 1e-9 and step >= 1:
            return n
    return 1


def _label_step(n: int, room: float, chars: int) -> int:
    """Show every k-th x label so that labels of ``chars`` characters do not overlap."""
    need = 7.5 * chars + 6
    step = 1
    while n and room / max(1, n) * step < need:
        step += 1
    return step


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str = "",
    width: int = 560,
    height: int = 220,
    colour: str = PALETTE[0],
    unit: str = "",
) -> str:
    """Vertical bars with value labels, a y axis with three gridlines, and x labels."""
    pad_l, pad_r, pad_t, pad_b = 46, 12, 30 if title else 12, 26
    top = nice_top(max(values, default=0))
    plot_w = width - pad_l - pad_r
    plot_h = height - pad_t - pad_b
    n = max(1, len(values))
    slot = plot_w / n
    bar_w = max(2.0, min(48.0, slot * 0.7))
    parts = [_open(width, height, title)]
    if title:
        parts.append(_title(title))
    parts += _grid(pad_l, pad_t, plot_w, plot_h, top, percent=False)
    step = _label_step(n, plot_w, max((len(x) for x in labels), default=4))
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        cx = pad_l + slot * (i + 0.5)
        h = plot_h * (v / top) if top else 0
        y = pad_t + plot_h - h
        parts.append(
            f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="{colour}"><title>{_esc(label)}：{_esc(_tick(v, False))}{_esc(unit)}</title>'
            "</rect>"
        )
        if v:
            parts.append(
                f'<text x="{cx:.1f}" y="{y - 3:.1f}" font-size="11" text-anchor="middle" '
                f'fill="#333">{_esc(_tick(v, False))}</text>'
            )
        if i % step == 0:
            parts.append(
                f'<text x="{cx:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
                f'fill="#444">{_esc(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str = "",
    width: int = 270,
    height: int = 130,
    top: float | None = None,
    percent: bool = True,
    colour: str = PALETTE[0],
) -> str:
    """One series as a line with dots; ``None`` values leave a gap. A shared ``top`` keeps small
    multiples comparable."""
    pad_l, pad_r, pad_t, pad_b = 40, 14, 32 if title else 10, 22
    real = [v for v in values if v is not None]
    top = top if top is not None else nice_top(max(real, default=0), percent=percent)
    plot_w = width - pad_l - pad_r
    plot_h = height - pad_t - pad_b
    n = len(labels)

    def x(i: int) -> float:
        return pad_l + (plot_w * (i + 0.5) / n if n else 0)

    def y(v: float) -> float:
        return pad_t + plot_h * (1 - (v / top if top else 0))

    parts = [_open(width, height, title)]
    if title:
        parts.append(_title(title, size=12))
    parts += _grid(pad_l, pad_t, plot_w, plot_h, top, percent=percent, most=2)
    segment: list[str] = []
    segments: list[list[str]] = []
    for i, v in enumerate(values):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(v):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                f'points="{" ".join(seg)}"/>'
            )
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        if v is None:
            continue
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
            f"<title>{_esc(label)}：{_esc(f'{v:.1%}' if percent else _tick(v, False))}"
            "</title></circle>"
        )
    step = _label_step(n, plot_w, max((len(s) for s in labels), default=4))
    for i, label in enumerate(labels):
        if i % step == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - 6}" font-size="10" text-anchor="middle" '
                f'fill="#444">{_esc(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(title)}">'
    )


def _title(title: str, *, size: int = 13) -> str:
    return (
        f'<text x="4" y="{size + 4}" font-size="{size}" font-weight="bold" fill="#222">'
        f"{_esc(title)}</text>"
    )


def _grid(
    left: float,
    top_y: float,
    plot_w: float,
    plot_h: float,
    top: float,
    *,
    percent: bool,
    most: int = 5,
) -> list[str]:
    """Horizontal gridlines at round values, labelled on the left, and the x axis."""
    lines = grid_lines(top, percent=percent, most=most)
    out = []
    for k in range(lines + 1):
        v = top * k / lines
        gy = top_y + plot_h * (1 - k / lines)
        stroke = "#999" if k == 0 else "#e3e3e3"
        out.append(
            f'<line x1="{left}" y1="{gy:.1f}" x2="{left + plot_w:.1f}" y2="{gy:.1f}" '
            f'stroke="{stroke}"/>'
        )
        out.append(
            f'<text x="{left - 5}" y="{gy + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#666">{_esc(_tick(v, percent))}</text>'
        )
    return out
