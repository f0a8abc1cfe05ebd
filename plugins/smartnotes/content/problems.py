"""Problems found in content: one shape, ``path:line: field: what — fix``.

Every loader collects problems instead of raising, so one run reports every
mistake in every file (STYLE.md #12).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    fix: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return f"{text} — {self.fix}" if self.fix else text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def format_problems(problems: Iterable[Problem]) -> str:
    problems = sorted(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    head = f"{errors} error(s), {warnings} warning(s) in content:"
    return "\n".join([head, *(f"  {p}" for p in problems)])


def did_you_mean(value: str, choices: Iterable[str], n: int = 3) -> str:
    """``"did you mean 'x'?"`` for the nearest choices, or "" (Click's style)."""
    choices = list(choices)
    by_fold = {c.casefold(): c for c in choices}
    matches = difflib.get_close_matches(value.casefold(), list(by_fold), n=n, cutoff=0.6)
    if not matches:
        return ""
    quoted = " or ".join(repr(by_fold[m]) for m in matches)
    return f"did you mean {quoted}?"
