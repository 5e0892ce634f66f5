"""Load a dossier file: YAML with line numbers, checked by the published JSON Schema.

``yaml.compose`` keeps each node's position, so every problem names its line and field.
Amounts are read from the scalar's text as written (never through a float), so
``1437500.10`` stays exact.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from fundtrail.claims.figures import parse_amount
from fundtrail.claims.verdict import Stated
from fundtrail.dossier.model import (
    AGGREGATES,
    Document,
    Dossier,
    FundingLine,
    FundingPlan,
    Organisation,
    Outcome,
    Programme,
    Quantity,
    Statement,
    Target,
)
from fundtrail.dossier.problems import DossierFormatError, Problem

Path_ = tuple[str | int, ...]
SCHEMA_FILE = "dossier.schema.json"


@cache
def schema() -> dict[str, Any]:
    """Return the published JSON Schema of the dossier format (shipped in this package)."""
    text = resources.files("fundtrail.dossier").joinpath(SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def field_name(path: Path_) -> str:
    """Return a path as a field name: ('funding_plans', 0, 'lines') -> 'funding_plans[0].lines'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class _Tree:
    """A YAML document as plain data, with the line and written text of every node."""

    def __init__(self) -> None:
        self.lines: dict[Path_, int] = {}
        self.raw: dict[Path_, str] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: Path_ = ()) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            data: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in data:
                    self.problems.append(
                        Problem(
                            "dossier-field-invalid",
                            key_node.start_mark.line + 1,
                            field_name((*path, key)),
                            "duplicate key",
                        )
                    )
                data[key] = self.build(value_node, (*path, key))
            return data
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        self.raw[path] = str(node.value)
        value = self._constructor.construct_object(node)
        if isinstance(value, datetime.date):
            return value.isoformat()  # an unquoted date is still a date written as text
        return value


def load_dossier(path: str | Path) -> Dossier:
    """Return the dossier in the file at ``path``; raise DossierFormatError naming lines."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DossierFormatError(
            name, [Problem("dossier-unreadable", None, "", str(exc))]
        ) from None
    return parse_dossier(text, name)


def parse_dossier(text: str, name: str | None = None) -> Dossier:
    """Return the dossier written in ``text``; raise DossierFormatError naming lines."""
    tree = _Tree()
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = tree.build(node) if node is not None else None
        problems = tree.problems + _schema_problems(data, tree)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc)
        raise DossierFormatError(name, [Problem("dossier-yaml-syntax", line, "", detail)]) from None
    except RecursionError:
        # A file nested thousands of levels deep is not a dossier; say so, do not crash.
        problem = Problem("dossier-yaml-syntax", None, "", "nesting too deep")
        raise DossierFormatError(name, [problem]) from None
    if problems:
        raise DossierFormatError(name, problems)
    builder = _Builder(tree, name)
    assert isinstance(data, dict)  # the schema requires a mapping at the top
    dossier = builder.dossier(data)
    dossier = dataclasses.replace(dossier, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    if builder.problems:
        raise DossierFormatError(name, builder.problems)
    return dossier


def _schema_problems(data: Any, tree: _Tree) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in validator.iter_errors(data):
        path: Path_ = tuple(error.absolute_path)
        line = tree.lines.get(path, 1)
        if error.validator == "required":
            missing = str(error.message).split("'")[1]
            problems.append(Problem("dossier-field-missing", line, field_name((*path, missing))))
        elif error.validator == "additionalProperties":
            allowed = set(error.schema.get("properties", {}))
            for key in sorted(set(error.instance) - allowed):
                where = (*path, key)
                problems.append(
                    Problem(
                        "dossier-field-unknown",
                        tree.lines.get(where, line),
                        field_name(where),
                        "; ".join(sorted(allowed)),
                    )
                )
        elif error.validator in ("anyOf", "allOf") and "from" in str(error.schema):
            problems.append(
                Problem("dossier-field-missing", line, field_name((*path, "to")), "from | to")
            )
        else:
            problems.append(
                Problem(
                    "dossier-field-invalid",
                    line,
                    field_name(path),
                    _expected(error),
                    tree.raw.get(path),
                )
            )
    return problems


def _expected(error: jsonschema.ValidationError) -> str:
    """Return what the schema expected, language-neutral (allowed values, type or pattern)."""
    rule, spec = error.validator, error.validator_value
    if rule == "enum" and isinstance(spec, list):
        return " | ".join(map(str, spec))
    if rule == "const":
        return str(spec)
    if rule == "type":
        return " | ".join(spec) if isinstance(spec, list) else str(spec)
    if rule == "pattern":
        return f"/{spec}/"
    if rule in ("minimum", "maximum", "minItems", "minLength"):
        return f"{rule} {spec}"
    return str(rule)


class _Builder:
    """Turns checked plain data into the dossier model, collecting semantic problems."""

    def __init__(self, tree: _Tree, name: str | None) -> None:
        self.tree = tree
        self.name = name
        self.problems: list[Problem] = []

    def _problem(self, code: str, path: Path_, detail: str | None = None) -> None:
        self.problems.append(
            Problem(
                code, self.tree.lines.get(path), field_name(path), detail, self.tree.raw.get(path)
            )
        )

    def _amount(self, path: Path_) -> Stated:
        text = self.tree.raw.get(path, "")
        stated = parse_amount(text)
        if stated is None:
            self._problem("dossier-amount-invalid", path, "3 017 000 | 3017000.50 | 8 % | +32,8 %")
            return Stated(Decimal(0), Decimal(1), text, "number")
        return stated

    def _unique(self, items: list[dict[str, Any]], path: Path_) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item["id"] in seen:
                self._problem("dossier-duplicate-id", (*path, i, "id"))
            seen.add(item["id"])
        return seen

    def dossier(self, data: dict[str, Any]) -> Dossier:
        org = data["organisation"]
        organisation = Organisation(
            name=org["name"],
            former_names=tuple(org.get("former_names", ())),
            other_names=tuple(org.get("other_names", ())),
            siren=org.get("siren"),
            siret=org.get("siret"),
            rna=org.get("rna"),
            purpose=org.get("purpose"),
            note=org.get("note"),
        )
        documents = data.get("documents", [])
        self.document_ids = self._unique(documents, ("documents",))
        plans = [
            self._plan(p, ("funding_plans", i)) for i, p in enumerate(data.get("funding_plans", []))
        ]
        self._unique(data.get("funding_plans", []), ("funding_plans",))
        self.refs = {f"{p.id}.{a}" for p in plans for a in AGGREGATES} | {
            f"{p.id}.{line.id}" for p in plans for line in p.lines
        }
        plan_ids = {p.id for p in plans}
        programmes = [
            self._programme(p, ("programmes", i)) for i, p in enumerate(data.get("programmes", []))
        ]
        self._unique(data.get("programmes", []), ("programmes",))
        outcomes = []
        for i, item in enumerate(data.get("outcomes", [])):
            path: Path_ = ("outcomes", i)
            self._document(item, path)
            if item.get("plan") and item["plan"] not in plan_ids:
                self._problem("dossier-reference-unknown", (*path, "plan"), " | ".join(plan_ids))
            outcomes.append(
                Outcome(
                    id=item["id"],
                    metric=item["metric"],
                    value=self._amount((*path, "value")).value,
                    unit=item.get("unit"),
                    year=item.get("year"),
                    document=item.get("document"),
                    description=item.get("description"),
                    plan=item.get("plan"),
                )
            )
        self._unique(data.get("outcomes", []), ("outcomes",))
        statements = [
            self._statement(s, ("statements", i)) for i, s in enumerate(data.get("statements", []))
        ]
        self._unique(data.get("statements", []), ("statements",))
        return Dossier(
            organisation=organisation,
            documents=tuple(
                Document(
                    id=d["id"],
                    title=d["title"],
                    kind=d["kind"],
                    date=None if d.get("date") is None else str(d["date"]),
                    reference=d.get("reference"),
                    url=d.get("url"),
                    note=d.get("note"),
                )
                for d in documents
            ),
            plans=tuple(plans),
            programmes=tuple(programmes),
            outcomes=tuple(outcomes),
            statements=tuple(statements),
            path=self.name,
            notes=tuple(data.get("notes", ())),
        )

    def _document(self, item: dict[str, Any], path: Path_) -> None:
        if item.get("document") and item["document"] not in self.document_ids:
            self._problem(
                "dossier-reference-unknown",
                (*path, "document"),
                " | ".join(sorted(self.document_ids)),
            )

    def _plan(self, item: dict[str, Any], path: Path_) -> FundingPlan:
        self._document(item, path)
        lines = []
        for j, entry in enumerate(item["lines"]):
            where = (*path, "lines", j)
            self._document(entry, where)
            lines.append(
                FundingLine(
                    id=entry["id"],
                    source=entry["source"],
                    amount=self._amount((*where, "amount")).value,
                    kind=entry["kind"],
                    public=entry["public"],
                    siren=entry.get("siren"),
                    identifier=entry.get("identifier"),
                    document=entry.get("document"),
                    note=entry.get("note"),
                    line=self.tree.lines.get(where, 0),
                )
            )
            if entry["id"] in AGGREGATES:
                self._problem(
                    "dossier-field-invalid", (*where, "id"), "≠ " + " | ".join(AGGREGATES)
                )
        self._unique(item["lines"], (*path, "lines"))
        return FundingPlan(
            id=item["id"],
            year=item["year"],
            lines=tuple(lines),
            year_note=item.get("year_note"),
            document=item.get("document"),
            note=item.get("note"),
            line=self.tree.lines.get(path, 0),
        )

    def _programme(self, item: dict[str, Any], path: Path_) -> Programme:
        self._document(item, path)
        targets = tuple(
            Target(
                metric=t["metric"],
                value=self._amount((*path, "targets", k, "value")).value,
                unit=t.get("unit"),
                period=t.get("period"),
                note=t.get("note"),
            )
            for k, t in enumerate(item.get("targets", []))
        )
        return Programme(
            id=item["id"],
            name=item["name"],
            targets=targets,
            document=item.get("document"),
            note=item.get("note"),
        )

    def _quantity(self, item: dict[str, Any], key: str, path: Path_) -> Quantity | None:
        if key not in item:
            return None
        where = (*path, key)
        text = self.tree.raw.get(where, str(item[key]))
        literal = parse_amount(text)
        if literal is not None:
            return Quantity(text, literal=literal)
        if text not in self.refs:
            self._problem(
                "dossier-reference-unknown",
                where,
                "<plan>.<total | public | own-revenue | in-kind | line id> | amount",
            )
        return Quantity(text, ref=text)

    def _statement(self, item: dict[str, Any], path: Path_) -> Statement:
        self._document(item, path)
        return Statement(
            id=item["id"],
            kind=item["kind"],
            value=self._amount((*path, "value")),
            of=self._quantity(item, "of", path),
            part=self._quantity(item, "part", path),
            whole=self._quantity(item, "whole", path),
            start=self._quantity(item, "from", path),
            end=self._quantity(item, "to", path),
            period=item.get("period"),
            document=item.get("document"),
            quote=item.get("quote"),
            line=self.tree.lines.get(path, 0),
        )
