"""The project's own errors; nothing from a library reaches the user untranslated.

EngineError                 base: carries an exit status
├── InputError              a fact-pattern, case or rule file cannot be read or is invalid (exit 2)
│   └── RuleError           a rule file is invalid or fails lint (exit 2)
├── RuntimeFailure          the rules engine itself failed: a bug, never bad input (exit 3)
└── ContradictionError      one run derived two incompatible conclusions (exit 3)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, at one place."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""

    exit_code = 3


class InputError(EngineError):
    """Raised when an input file cannot be read or does not validate; lists every problem found."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RuleError(InputError):
    """Raised when a rule file is malformed or a rule fails lint."""


class RuntimeFailure(EngineError):
    """Raised when durable_rules fails for a reason that is not the input's fault."""

    def __init__(self, message: str, *, ruleset: str = "", fact: object = None):
        self.ruleset = ruleset
        self.fact = fact
        super().__init__(f"rules engine failure in {ruleset or 'engine'}: {message}")


class ContradictionError(EngineError):
    """Raised when one evaluation derives two incompatible conclusions about the same thing."""

    def __init__(self, subject: str, firings: list[object]):
        self.subject = subject
        self.firings = firings
        names = ", ".join(getattr(f, "rule_id", str(f)) for f in firings)
        super().__init__(f"contradictory conclusions about {subject}: rules {names}")
