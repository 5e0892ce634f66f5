"""What is wrong with a dossier file: problems placed by line and field, and the exception."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fundtrail.catalogue import render
from fundtrail.errors import DossierError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a dossier file, placed by line (1-based) and field path."""

    code: str  # a dossier-* code of fundtrail.catalogue
    line: int | None
    field: str  # 'funding_plans[0].lines[2].amount'; '' for the whole file
    detail: str | None = None
    value: str | None = None

    def render(self, lang: str = "fr", path: str | None = None) -> str:
        """Return one line that places the problem and says what it is, in ``lang``."""
        where = [path] if path else []
        if self.line is not None:
            where.append(("line " if lang == "en" else "ligne ") + str(self.line))
        if self.field:
            where.append(("field " if lang == "en" else "champ ") + self.field)
        message = render(self.code, lang, self.detail)
        if self.value is not None:
            message += f": {self.value!r}" if lang == "en" else f" : « {self.value} »"
        return f"{', '.join(where)}: {message}" if where else message

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as JSON-ready data."""
        return {
            "code": self.code,
            "line": self.line,
            "field": self.field,
            "detail": self.detail,
            "value": self.value,
        }


class DossierFormatError(DossierError):
    """A dossier file is malformed: ``problems`` says where (line, field) and why."""

    def __init__(self, path: str | None, problems: list[Problem]) -> None:
        self.path = path
        self.problems = tuple(sorted(problems, key=lambda p: (p.line or 0, p.field)))
        super().__init__(self.render("fr"))

    def render(self, lang: str = "fr") -> str:
        """Return every problem, one a line, in ``lang``."""
        return "\n".join(p.render(lang, self.path) for p in self.problems)
