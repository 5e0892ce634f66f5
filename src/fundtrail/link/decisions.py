"""The linking decisions file: manual "link" and "do not link" choices that always win.

The file is YAML, kept under version control by the user (see docs/linking.md):

    version: 1
    decisions:
      - grant: "3-3-120"            # one grant (its grant_id) ...
        role: beneficiary           # beneficiary (default) or funder
        org: FR-RCS-775681000
        decision: link
        note: "checked on the deliberation of 12 May 2023"
      - name: "Amis du Louvre"      # ... or every grant whose name has this normalised key
        org: FR-RCS-784354482
        decision: do-not-link
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fundtrail.errors import UsageError
from fundtrail.link.names import name_key

DECISIONS = ("link", "do-not-link")
ROLES = ("beneficiary", "funder")


@dataclass(frozen=True)
class Decision:
    """One manual decision: a grant or a name, a role, an organisation, link or not."""

    decision: str
    org_id: str
    role: str = "beneficiary"
    grant_id: str | None = None
    name_key: str | None = None
    note: str | None = None
    line: int = 0  # position in the file (1-based), to name it in explanations


def _decision(index: int, item: Any) -> Decision:
    where = f"decision #{index}"
    if not isinstance(item, dict):
        raise UsageError(f"decisions-invalid: {where} is not a mapping")
    decision = item.get("decision")
    if decision not in DECISIONS:
        raise UsageError(f"decisions-invalid: {where}: decision must be one of {DECISIONS}")
    role = item.get("role", "beneficiary")
    if role not in ROLES:
        raise UsageError(f"decisions-invalid: {where}: role must be one of {ROLES}")
    org = item.get("org")
    if not isinstance(org, str) or not org:
        raise UsageError(f"decisions-invalid: {where}: 'org' is required")
    grant, name = item.get("grant"), item.get("name")
    if (grant is None) == (name is None):
        raise UsageError(f"decisions-invalid: {where}: give exactly one of 'grant' or 'name'")
    return Decision(
        decision=decision,
        org_id=org,
        role=role,
        grant_id=str(grant) if grant is not None else None,
        name_key=name_key(str(name)) if name is not None else None,
        note=item.get("note"),
        line=index,
    )


def read_decisions(path: Path) -> list[Decision]:
    """Return the decisions of the file at ``path``; raise UsageError when it is malformed."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"decisions-invalid: {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != 1:
        raise UsageError(f"decisions-invalid: {path}: expected a mapping with 'version: 1'")
    items = data.get("decisions") or []
    if not isinstance(items, list):
        raise UsageError(f"decisions-invalid: {path}: 'decisions' must be a list")
    return [_decision(i, item) for i, item in enumerate(items, start=1)]
