"""The funding plan as a horizontal bar chart: data for a hand-made, self-contained SVG."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fundtrail.claims import formatting
from fundtrail.dossier.check import PlanCheck

# One colour per kind of line; public and non-public lines differ by pattern in the legend.
COLOURS = {
    "cash-grant": "#3b6fb6",
    "in-kind": "#7aa6de",
    "own-revenue": "#e0913a",
    "loan": "#8c8c8c",
    "other": "#b5b5b5",
}
WIDTH = 780
LABEL_WIDTH = 260
BAR_HEIGHT = 22
GAP = 8


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value as text, its geometry and colour."""

    label: str
    value: str
    x: int
    y: int
    width: int
    colour: str


def bars(plan: PlanCheck, lang: str = "fr") -> tuple[list[Bar], int]:
    """Return the bars of a plan's chart and the chart's height."""
    total = plan.figures["total"].result or Decimal(0)
    largest = max((ln.amount for ln in plan.plan.lines), default=Decimal(0))
    room = WIDTH - LABEL_WIDTH - 170  # space for the value written after the bar
    found = []
    for index, line in enumerate(plan.plan.lines):
        width = int(room * line.amount / largest) if largest else 0
        share = line.amount / total * 100 if total else Decimal(0)
        found.append(
            Bar(
                # Long names are cut to fit beside the bar; the table gives them whole.
                label=line.source if len(line.source) <= 42 else line.source[:41] + "…",
                value=f"{formatting.money(line.amount, lang)} "
                f"({formatting.percent(share, lang, 1)})",
                x=LABEL_WIDTH,
                y=GAP + index * (BAR_HEIGHT + GAP),
                width=max(width, 1),
                colour=COLOURS.get(line.kind, COLOURS["other"]),
            )
        )
    return found, GAP + len(found) * (BAR_HEIGHT + GAP) + 24
