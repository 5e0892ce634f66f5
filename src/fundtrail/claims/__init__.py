"""Claim checking: find the figures of a French or English text and check its arithmetic.

>>> check = check_text("A : 100 €\\nB : 50 €\\nTotal : 150 €")
>>> [(v.relation, v.status) for v in check.verdicts]
[('sum', 'consistent')]
"""

from __future__ import annotations

from fundtrail.claims.figures import Figure, find_figures, parse_amount
from fundtrail.claims.render import render_html, render_text
from fundtrail.claims.text_check import TextCheck, check_text
from fundtrail.claims.verdict import Implied, Operand, Stated, Verdict

__all__ = [
    "Figure",
    "Implied",
    "Operand",
    "Stated",
    "TextCheck",
    "Verdict",
    "check_text",
    "find_figures",
    "parse_amount",
    "render_html",
    "render_text",
]
