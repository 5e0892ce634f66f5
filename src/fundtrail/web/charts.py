"""Bar charts drawn as SVG on the server: no script, no external resource.

Each chart is a picture of a table the page also shows beside it; the SVG carries a
``<title>`` and an ``aria-label`` so that a screen reader is pointed to that table.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from markupsafe import Markup

from fundtrail.web.locale import Lang, format_money

WIDTH = 560
BAR = 22
GAP = 8
LABEL = 220


def bar_chart(items: list[tuple[str, Decimal]], title: str, lang: Lang) -> Markup:
    """Return an SVG of horizontal bars, one per (label, amount), scaled to the largest."""
    items = items[:30]
    height = max(1, len(items)) * (BAR + GAP) + GAP
    largest = max((abs(v) for _, v in items), default=Decimal(0)) or Decimal(1)
    span = WIDTH - LABEL - 130
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR + GAP)
        length = int(span * abs(value) / largest) if value else 0
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{LABEL - 6}" y="{y + BAR - 6}" text-anchor="end" '
            f'class="chart-label">{escape(short)}</text>'
            f'<rect x="{LABEL}" y="{y}" width="{max(length, 1)}" height="{BAR}" '
            f'class="chart-bar"/>'
            f'<text x="{LABEL + length + 6}" y="{y + BAR - 6}" class="chart-value">'
            f"{escape(format_money(value, lang))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
