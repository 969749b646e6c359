"""The Decision: closed sets a caller can rely on, each conclusion traced to a firing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from engine.input.model import Disposition
from engine.reasoning.trace import Firing

SCHEMA_VERSION = 2
ProngStatus = Literal["reviewable", "not_reviewable", "not_raised"]
Outcome = Literal["dismissed", "affirmed_denial", "reversed_granted", "undetermined", "not_applicable", "in_parts"]


@dataclass
class DisputeView:
    key: str
    about: str
    bears_on: list[str]
    claim: str = ""
    genuine: bool | None = None
    resolved_for: str | None = None
    material: dict[str, bool | None] = field(default_factory=dict)
    material_why: dict[str, str] = field(default_factory=dict)
    counterfactual: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class ArgumentView:
    key: str
    prong: str
    accepts_plaintiff_version: bool
    claim: str = ""
    appellant: str = ""
    separable: bool | None = None
    via: str | None = None
    path: str | None = None
    depends_on: list[str] = field(default_factory=list)
    cleared: list[dict[str, str]] = field(default_factory=list)


@dataclass
class PartView:
    """One appellant's appeal on one claim: its own disposition, prongs and outcome."""

    claim: str
    kind: str
    appellant: str
    role: str
    disposition: str | None = None
    reason: str | None = None
    outcome: str = "undetermined"
    outcome_prong: str | None = None
    prongs: dict[str, str] = field(default_factory=dict)
    merits: dict[str, Any] | None = None


@dataclass
class IssueView:
    """A question on neither prong, with the answer the rules give and why."""

    key: str
    kind: str
    raised_by: str
    answer: str | None = None
    why: str | None = None


@dataclass
class Decision:
    """What the court of appeals would do with its jurisdiction, and why."""

    profile: str
    name: str | None
    citation: str | None
    disposition: Disposition
    reason: str | None
    outcome: Outcome
    outcome_prong: str | None
    prongs: dict[str, ProngStatus]
    arguments: list[ArgumentView]
    disputes: list[DisputeView]
    merits: dict[str, Any] | None
    trace: list[Firing]
    merits_trace: list[Firing]
    circuit: str = ""
    practice: list[str] = field(default_factory=list)
    parts: list[PartView] = field(default_factory=list)
    issues: list[IssueView] = field(default_factory=list)
    # every fact the pipeline ended with, before the factor stage (read by why-not); not output
    facts: list[dict[str, Any]] = field(default_factory=list, repr=False, compare=False)
    # the closest decided cases (engine/analysis/precedents.py), when asked for
    precedents: dict[str, Any] | None = None
    # how to find the factors (features for comparing cases, rules/factors/): they decide nothing,
    # so they are found when first read, and sweeps that never compare cases do not pay for them
    find_factors: Callable[[], tuple[list[dict[str, Any]], list[Firing]]] | None = field(
        default=None, repr=False, compare=False
    )
    _found: tuple[list[dict[str, Any]], list[Firing]] | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (to or from a worker process) with its factors found: the finder is a closure
        over this process's engine and does not travel."""
        state = dict(self.__dict__)
        state["_found"] = self._factor_results()
        state["find_factors"] = None
        return state

    def _factor_results(self) -> tuple[list[dict[str, Any]], list[Firing]]:
        if self._found is None:
            self._found = self.find_factors() if self.find_factors is not None else ([], [])
        return self._found

    @property
    def factors(self) -> list[dict[str, Any]]:
        """Each factor once per (name, claim, subject), with the rule that found it and why."""
        return self._factor_results()[0]

    @property
    def factor_trace(self) -> list[Firing]:
        """The factor stage's firings."""
        return self._factor_results()[1]

    def fired(self) -> list[str]:
        """Rule ids that fired, in order, across every evaluation behind this decision."""
        return [f.rule_id for f in self.trace + self.merits_trace + self.factor_trace]

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "profile": self.profile,
            "circuit": self.circuit,
            "practice": self.practice,
            "case": {"name": self.name, "citation": self.citation},
            "disposition": self.disposition,
            "reason": self.reason,
            "outcome": self.outcome,
            "outcome_prong": self.outcome_prong,
            "prongs": self.prongs,
            "arguments": [vars(a) for a in self.arguments],
            "disputes": [vars(d) for d in self.disputes],
            "merits": self.merits,
            "parts": [vars(p) for p in self.parts],
            "issues": [vars(i) for i in self.issues],
            "trace": [f.as_dict() for f in self.trace],
            "merits_trace": [f.as_dict() for f in self.merits_trace],
            "factors": self.factors,
            **({"precedents": self.precedents} if self.precedents is not None else {}),
        }
