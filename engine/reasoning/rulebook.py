"""Rule files: the law as data. Each rule names its authority with pin cites.

A rule file is a YAML list of rules. A rule says *when* (conditions over flat facts, joined by
bound names), *then* (facts it asserts), and *because* (an explanation with named slots).
Rules run in stages (strata): a rule sees only the facts of earlier stages, so negation is safe.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from engine.input.errors import Problem, RuleError
from engine.input.loader import Marks, read_yaml, validate

# The pipelines and their stages, in the order they run.
PIPELINES: dict[str, tuple[str, ...]] = {
    "graham": ("force", "force_default"),
    "rights": ("right", "right_default"),
    "claims": ("claim_merits", "claim_merits_default"),
    "jurisdiction": (
        "practice",
        "practice_default",
        "threshold",
        "elements",
        "record",
        "genuineness",
        "genuineness_linked",
        "materiality",
        "reliance",
        "core",
        "separability",
        "prong",
        "disposition",
        "pendent",
        "issues",
        "aggregate",
        "outcome",
        "outcome_aggregate",
        "factor",  # rules/factors/: features for comparing cases; they decide nothing
    ),
}
STAGES: tuple[str, ...] = tuple(s for stages in PIPELINES.values() for s in stages)
PIPELINE_OF: dict[str, str] = {stage: pipeline for pipeline, stages in PIPELINES.items() for stage in stages}
Stage = Literal[STAGES]  # type: ignore[valid-type]
PROFILES: tuple[str, ...] = ("majority", "dissent")
Profile = Literal["majority", "dissent"]

BIND = re.compile(r"^[a-z][a-z0-9_]*$")
REF = re.compile(r"^\$([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)$")
SLOT = re.compile(r"\{([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\}")
OPS = ("not", "gte", "lte", "gt", "lt")


class RuleModel(BaseModel):
    # validators are built when rule files are first validated, not at import: a command that
    # takes the checked rulebook from the cache (rulecache.py) never validates a rule
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Authority(RuleModel):
    """One source for a rule: a citation, the pin cite, and the proposition it supports."""

    cite: str = Field(min_length=3)
    pin: str = Field(min_length=1)
    supports: str = Field(min_length=3)


class Condition(RuleModel):
    """One pattern over one fact type; `absent: true` means no such fact may exist."""

    bind: str = Field(pattern=BIND.pattern)
    fact: str = Field(pattern=BIND.pattern)
    where: dict[str, Any] = Field(default_factory=dict)
    absent: bool = False


class Assertion(RuleModel):
    """One fact a rule asserts; values are literals or `$bind.field` references."""

    fact: str = Field(pattern=BIND.pattern)
    set: dict[str, Any] = Field(default_factory=dict)


class Rule(RuleModel):
    """A rule of law, with its authority, conditions, conclusions and explanation."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    title: str = Field(min_length=10)
    stage: Stage  # type: ignore[valid-type]
    profiles: list[Profile] = Field(default_factory=lambda: list(PROFILES))
    authority: list[Authority] = Field(min_length=1)
    exception_to: str | None = None
    when: list[Condition] = Field(min_length=1)
    then: list[Assertion] = Field(min_length=1)
    because: str = Field(min_length=10)

    @field_validator("when")
    @classmethod
    def _one_positive(cls, when: list[Condition]) -> list[Condition]:
        if all(c.absent for c in when):
            raise ValueError("a rule needs at least one condition that is not `absent`")
        return when

    @property
    def pipeline(self) -> str:
        return PIPELINE_OF[self.stage]


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    rules: list[Rule]


class RuleBook:
    """All rules, with where each came from (file and line), indexed by id."""

    def __init__(self, rules: list[Rule], origins: dict[str, tuple[str, int | None]]):
        self.rules = rules
        self.origins = origins
        self.by_id = {r.id: r for r in rules}
        self.order = {r.id: i for i, r in enumerate(rules)}
        self.exceptions = frozenset(r.id for r in rules if r.exception_to)  # rules declared exceptions

    def for_stage(self, stage: str, profile: str) -> list[Rule]:
        return [r for r in self.rules if r.stage == stage and profile in r.profiles]


def default_rules_dir() -> Path:
    """The rules shipped inside an installed wheel (engine/rules), else the checkout's rules/."""
    packaged = Path(__file__).resolve().parents[1] / "rules"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "rules"


def rule_files(paths: list[str | Path] | None = None) -> list[Path]:
    """The rule files named, or every *.yaml under rules/ when none are named; sorted."""
    paths = paths or [default_rules_dir()]
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.rglob("*.yaml")) if p.is_dir() else [p])
    return out


def load_rulebook(paths: list[str | Path] | None = None) -> RuleBook:
    """Load and validate rule files; every problem in every file is reported at once."""
    rules: list[Rule] = []
    origins: dict[str, tuple[str, int | None]] = {}
    problems: list[Problem] = []
    for path in rule_files(paths):
        try:
            data, marks = read_yaml(path)
            if not isinstance(data, list):
                raise RuleError(
                    [Problem(str(path), 1, 1, "", f"top level is a {type(data).__name__}; expected a list of rules")]
                )
            parsed = validate(RuleFile, {"rules": data}, _shift(marks), str(path), top="list of rules")
        except RuleError as exc:
            problems.extend(exc.problems)
            continue
        except Exception as exc:  # InputError from the loader: re-label as a rule problem
            if hasattr(exc, "problems"):
                problems.extend(exc.problems)
                continue
            raise
        for i, rule in enumerate(parsed.rules):
            line = marks.get((i,), (None, None))[0]
            if rule.id in origins:
                f, ln = origins[rule.id]
                problems.append(
                    Problem(str(path), line, None, f"[{i}].id", f"duplicate rule id '{rule.id}' (first at {f}:{ln})")
                )
                continue
            origins[rule.id] = (str(path), line)
            rules.append(rule)
    if problems:
        raise RuleError(problems)
    return RuleBook(rules, origins)


def _shift(marks: Marks) -> Marks:
    """Marks of a top-level list, re-keyed under 'rules' to match the RuleFile wrapper."""
    return {("rules",) + k: v for k, v in marks.items()}
