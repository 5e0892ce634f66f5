"""Names and free text: published text -> clean one-line text, every change named.

- Leading and trailing blanks are trimmed without a rule: they are padding of the cell
  (Montpellier's `` 1,500 € ``), not part of what the publisher wrote.
- Control characters (other than tab and line breaks), zero-width characters and stray
  byte-order marks are removed: ``text-control-chars-removed``.
- Inside the text, runs of blanks (no-break spaces, tabs, line breaks of multi-line cells
  as in Poitiers) become one space: ``text-blanks-collapsed``. Names and purposes are shown
  on one line in lists, exports and links; the raw value keeps the original layout.
- Decomposed accents are composed (Unicode NFC), so that equal names compare equal:
  ``text-unicode-composed``.
"""

from __future__ import annotations

import re
import unicodedata

from fundtrail.model import Outcome

_CONTROL = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]"
)
_BLANKS = re.compile(r"\s+")


def clean_text(text: str) -> Outcome:
    """Return ``text`` trimmed, without control characters and with single spaces."""
    repairs: list[str] = []
    cleaned = _CONTROL.sub("", text)
    if cleaned != text:
        repairs.append("text-control-chars-removed")
    cleaned = cleaned.strip()
    collapsed = _BLANKS.sub(" ", cleaned)
    if collapsed != cleaned:
        repairs.append("text-blanks-collapsed")
    composed = unicodedata.normalize("NFC", collapsed)
    if composed != collapsed:
        repairs.append("text-unicode-composed")
    if not composed:
        return Outcome(None)
    return Outcome(composed, repairs=tuple(repairs))
