"""The fact pattern: what a lawyer writes down about a qualified-immunity appeal.

Closed sets are Literal types, unknown fields are errors (``extra='forbid'``), so a typo can
never be silently read as "not stated". Scene fields are ``None`` when unknown or disputed;
a dispute's ``plaintiff_scene`` / ``defendant_scene`` say how each side's version sets them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

Court = Literal[
    "scotus",
    "1st-cir",
    "2nd-cir",
    "3rd-cir",
    "4th-cir",
    "5th-cir",
    "6th-cir",
    "7th-cir",
    "8th-cir",
    "9th-cir",
    "10th-cir",
    "11th-cir",
    "dc-cir",
    "district",
]
Posture = Literal["summary_judgment", "motion_to_dismiss", "trial_verdict"]
AppealFrom = Literal["interlocutory", "final_judgment"]
ClaimKind = Literal["excessive_force", "false_arrest", "fabricated_evidence", "political_firing", "other"]
Force = Literal["deadly", "non_deadly", "none"]
Ruling = Literal["denied", "granted", "deferred"]
Defense = Literal["qualified_immunity", "absolute_immunity", "other_defense"]
Basis = Literal["factual_disputes", "ruling_of_law"]
Factor = Literal[
    "crime_severity",
    "immediate_threat",
    "resistance",
    "flight",
    "suspected_crime",
    "armed",
    "interference",
    "element",
    "nothing",
]
Video = Literal["none", "blatantly_contradicts_plaintiff", "blatantly_contradicts_defendant", "ambiguous"]
Prong = Literal["violation", "clearly_established"]
Reliance = Literal["essential", "passing"]
Severity = Literal["serious", "moderate", "minor", "none"]
Resistance = Literal["none", "passive", "active", "combative"]

Disposition = Literal["appealable", "appealable_in_part", "not_appealable", "outside_doctrine"]
DISPOSITIONS: tuple[str, ...] = Disposition.__args__  # type: ignore[attr-defined]

PRONGS: tuple[Prong, ...] = ("violation", "clearly_established")
FACTORS: tuple[str, ...] = Factor.__args__  # type: ignore[attr-defined]


class ReferenceProblem(ValueError):
    """A broken cross-reference inside a fact pattern, with where it sits (for file:line errors)."""

    def __init__(self, loc: tuple, message: str):
        self.loc = loc
        super().__init__(message)


class Strict(BaseModel):
    """Base for every input model: unknown fields are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Case(Strict):
    """Where and when: the court of appeals, the events, the posture below."""

    name: str | None = None
    citation: str | None = None
    court: Court = "7th-cir"
    events_date: dt.date | None = None
    posture: Posture = "summary_judgment"
    appeal_from: AppealFrom = "interlocutory"


class Claim(Strict):
    """The plaintiff's claim; only excessive-force claims reach the Graham rules."""

    kind: ClaimKind = "excessive_force"
    force: Force = "deadly"


class Order(Strict):
    """The district court's order under appeal."""

    ruling: Ruling = "denied"
    defense: Defense = "qualified_immunity"
    basis: Basis = "factual_disputes"
    disputes_named: list[str] = Field(default_factory=list)
    jury_could_find: bool = False


class Scene(Strict):
    """What a reasonable officer on the scene knew (Graham, 490 U.S. at 396). None = unknown/disputed."""

    suspected_crime: str | None = None
    crime_severity: Severity | None = None
    believed_armed: bool | None = None
    weapon_in_hand: bool | None = None
    shots_fired: bool | None = None
    endangering_others: bool | None = None
    fleeing: bool | None = None
    resistance: Resistance | None = None
    surrendering: bool | None = None
    threatening_movement: bool | None = None
    threat_ceased: bool | None = None
    seconds_since_threat: float | None = Field(default=None, ge=0)
    restrained: bool | None = None

    def overlay(self, other: Scene) -> Scene:
        """This scene with every field the other one states laid over it."""
        return self.model_copy(update=other.model_dump(exclude_none=True))


class Dispute(Strict):
    """One factual dispute, with each side's version and what the video shows."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    about: str
    plaintiff_version: str | None = None
    defendant_version: str | None = None
    bears_on: list[Factor] = Field(default_factory=list)
    subjective_only: bool = False
    video: Video = "none"
    follows: str | None = None
    plaintiff_scene: Scene = Field(default_factory=Scene)
    defendant_scene: Scene = Field(default_factory=Scene)


class RelianceLink(Strict):
    """An argument's use of a dispute: essential to it, or a passing reference."""

    dispute: str
    reliance: Reliance = "essential"


class Argument(Strict):
    """One argument the official makes on appeal, on one prong of qualified immunity."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    prong: Prong
    summary: str | None = None
    accepts_plaintiff_version: bool = False
    relies_on: list[RelianceLink] = Field(default_factory=list)


class FactPattern(Strict):
    """A whole appeal as the court of appeals sees it."""

    case: Case = Field(default_factory=Case)
    claim: Claim = Field(default_factory=Claim)
    order: Order = Field(default_factory=Order)
    disputes: list[Dispute] = Field(default_factory=list)
    arguments: list[Argument] = Field(default_factory=list)
    scene: Scene = Field(default_factory=Scene)

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> FactPattern:
        """Every dispute an argument or the order names must exist; keys must be unique.

        The file loader asks to defer this check (context `defer_references`) so that it can
        report every broken reference at its own line, not just the first.
        """
        if not (info.context or {}).get("defer_references"):
            problems = reference_problems(self)
            if problems:
                raise problems[0]
        return self

    def dispute(self, key: str) -> Dispute:
        return next(d for d in self.disputes if d.key == key)


def _repeated(keys: list[str], section: str, kind: str, out: list[ReferenceProblem]) -> set[str]:
    """Report each key used a second time; return the set of keys."""
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key in seen:
            out.append(ReferenceProblem((section, i, "key"), f"{kind} key '{key}' is used twice; keys must be unique"))
        seen.add(key)
    return seen


def reference_problems(fp: FactPattern) -> list[ReferenceProblem]:
    """Broken references and repeated keys, each at the place it occurs."""
    out: list[ReferenceProblem] = []
    seen = _repeated([d.key for d in fp.disputes], "disputes", "dispute", out)
    _repeated([a.key for a in fp.arguments], "arguments", "argument", out)
    known = sorted(seen)
    for i, name in enumerate(fp.order.disputes_named):
        if name not in seen:
            out.append(
                ReferenceProblem(("order", "disputes_named", i), f"names unknown dispute '{name}' (known: {known})")
            )
    by_key = {d.key: d for d in fp.disputes}
    for i, d in enumerate(fp.disputes):
        if d.follows is None:
            continue
        if d.follows not in seen or d.follows == d.key:
            others = [k for k in known if k != d.key]
            out.append(
                ReferenceProblem(("disputes", i, "follows"), f"follows unknown dispute '{d.follows}' (known: {others})")
            )
        elif by_key[d.follows].follows is not None:
            out.append(
                ReferenceProblem(
                    ("disputes", i, "follows"),
                    f"follows '{d.follows}', which itself follows another; link to the root dispute",
                )
            )
    for i, a in enumerate(fp.arguments):
        for j, link in enumerate(a.relies_on):
            if link.dispute not in seen:
                out.append(
                    ReferenceProblem(
                        ("arguments", i, "relies_on", j, "dispute"),
                        f"unknown dispute '{link.dispute}' (known: {known})",
                    )
                )
    return out
