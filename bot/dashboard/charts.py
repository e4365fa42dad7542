"""Small server-side SVG charts: no script, no CDN, works offline and under a strict CSP."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 560, 140, 24


def line_chart(title: str, series: Sequence[tuple[date, float]], percent: bool = False) -> Markup:
    """A labelled line chart of one daily metric, oldest day on the left."""
    label = escape(title)
    if not series:
        return Markup(f'<figure class="chart"><figcaption>{label}</figcaption><p>—</p></figure>')
    values = [v for _, v in series]
    top = max(max(values), 1e-9)
    step = (WIDTH - 2 * PAD) / max(len(series) - 1, 1)
    xy = [
        (PAD + i * step, HEIGHT - PAD - (v / top) * (HEIGHT - 2 * PAD))
        for i, v in enumerate(values)
    ]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    shown = f"{values[-1]:.0%}" if percent else f"{values[-1]:,.0f}"
    peak = f"{top:.0%}" if percent else f"{top:,.0f}"
    first, last = series[0][0].isoformat(), series[-1][0].isoformat()
    return Markup(
        f'<figure class="chart"><figcaption>{label}: <strong>{shown}</strong></figcaption>'
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#bbb"/>'
        f'<polyline fill="none" stroke="#3b6ea5" stroke-width="2" points="{points}"/>'
        f'<circle cx="{xy[-1][0]:.1f}" cy="{xy[-1][1]:.1f}" r="3" fill="#3b6ea5"/>'
        f'<text x="{PAD}" y="{HEIGHT - 6}" font-size="10">{first}</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 6}" font-size="10" text-anchor="end">{last}</text>'
        f'<text x="{PAD}" y="12" font-size="10">max {peak}</text>'
        "</svg></figure>"
    )
