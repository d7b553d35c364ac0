"""Charts as inline SVG drawn on the server (no chart library, nothing from a CDN).

The markup uses classes (styled by performance.css) and presentation attributes, never ``style``:
the Content-Security-Policy forbids inline styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from peygir.core.text import to_persian_digits


def _num(value: float) -> str:
    return to_persian_digits(f"{value:,.0f}".replace(",", "٬"))


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 640,
    height: int = 220,
    highlight: int | None = None,
    label_every: int = 1,
) -> SafeString:
    """A vertical bar chart of (label, value) pairs, first item on the right (RTL reading order).

    ``highlight`` marks one bar (the current hour); every ``label_every``-th label is written.
    """
    count = max(len(items), 1)
    top, bottom, side = 24, 28, 8
    plot_h = height - top - bottom
    slot = (width - 2 * side) / count
    peak = max((value for _label, value in items), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line class="chart-axis" x1="{side}" y1="{top + plot_h}" x2="{width - side}" y2="{top + plot_h}"/>',
    ]
    for index, (label, value) in enumerate(items):
        x = width - side - (index + 1) * slot + slot * 0.15
        bar_h = plot_h * (value / peak)
        y = top + plot_h - bar_h
        css = "chart-bar chart-bar-now" if index == highlight else "chart-bar"
        parts.append(
            f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_h:.1f}">'
            f"<title>{escape(label)}: {_num(value)}</title></rect>"
        )
        if value and count <= 31:
            parts.append(
                f'<text class="chart-value" x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">{_num(value)}</text>'
            )
        if index % label_every == 0:
            parts.append(
                f'<text class="chart-label" x="{x + slot * 0.35:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def meter(value: float | None, *, title: str, width: int = 160, height: int = 14) -> SafeString:
    """A horizontal 0–100 % meter, filled from the right."""
    share = max(0.0, min(1.0, value or 0.0))
    fill = width * share
    return mark_safe(
        f'<svg class="meter" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><rect class="meter-track" x="0" y="0" width="{width}" height="{height}" rx="3"/>'
        f'<rect class="meter-fill" x="{width - fill:.1f}" y="0" width="{fill:.1f}" height="{height}" rx="3"/></svg>'
    )
