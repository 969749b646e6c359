"""The fact pattern: what a lawyer writes down about a qualified-immunity appeal.

Closed sets are Literal types, unknown fields are errors (``extra='forbid'``), so a typo can
never be silently read as "not stated". Scene fields are ``None`` when unknown or disputed;
a dispute's ``plaintiff_scene`` / ``defendant_scene`` say how each side's version sets them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

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
ClaimKind = Literal[
    "excessive_force",
    "false_arrest",
    "unlawful_detention",
    "unlawful_search",
    "malicious_prosecution",
    "fabricated_evidence",
    "first_amendment_retaliation",
    "deliberate_indifference",
    "failure_to_protect",
    "failure_to_intervene",
    "political_firing",
    "due_process",
    "municipal_liability",
    "other",
]
Element = Literal["malice", "knowledge", "retaliatory_motive", "intent_to_seize", "deliberate_indifference", "none"]
Role = Literal["officer", "supervisor", "prosecutor", "municipality", "county", "state_agency", "private_party"]
EvidenceKind = Literal[
    "video",
    "audio",
    "photograph",
    "document",
    "forensic",
    "medical_record",
    "plaintiff_admission",
    "plaintiff_testimony",
    "officer_testimony",
    "witness_testimony",
]
Shows = Literal[
    "blatantly_contradicts_plaintiff",
    "blatantly_contradicts_defendant",
    "ambiguous",
    "supports_plaintiff",
    "supports_defendant",
]
Covers = Literal["whole", "part"]
Memory = Literal["remembers", "no_memory"]
LegalCore = Literal["present", "absent", "unknown"]
IssueKind = Literal[
    "state_law_immunity",
    "bivens_remedy",
    "evidentiary_ruling",
    "cross_appeal",
    "not_raised_below",
    "municipal_liability",
    "pendent_claim",
    "other",
]
ForceUsed = Literal[
    "firearm",
    "taser_probe",
    "taser_drive_stun",
    "k9",
    "takedown",
    "strikes",
    "knee_restraint",
    "prone_restraint",
    "chemical_spray",
    "gun_pointing",
    "handcuffing",
    "vehicle",
    "other",
]
Setting = Literal["street", "home", "vehicle", "jail", "prison", "school", "other"]
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


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control(value: Any) -> Any:
    """Text is written to every output format: a NUL or terminal escape would travel with it."""
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str) and (bad := CONTROL.search(text)):
            raise ValueError(f"contains a control character (U+{ord(bad.group()):04X}); remove it")
    return value


class Strict(BaseModel):
    """Base for every input model: unknown fields are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*")
    @classmethod
    def _printable(cls, value: Any) -> Any:
        return _no_control(value)


class Case(Strict):
    """Where and when: the court of appeals, the events, the posture below."""

    name: str | None = None
    citation: str | None = None
    court: Court = "7th-cir"
    events_date: dt.date | None = None
    posture: Posture = "summary_judgment"
    appeal_from: AppealFrom = "interlocutory"


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
    seconds_since_threat: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    restrained: bool | None = None
    # format 2: the force itself, the person, the setting, and the elements of other claims
    weapon_pointed: bool | None = None
    in_vehicle: bool | None = None
    subdued: bool | None = None
    compliant: bool | None = None
    warning_given: bool | None = None
    warning_feasible: bool | None = None
    force_used: ForceUsed | None = None
    k9_bite_seconds: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    complained_of_handcuffs: bool | None = None
    minor: bool | None = None
    mentally_ill: bool | None = None
    intoxicated: bool | None = None
    medical_condition: bool | None = None
    setting: Setting | None = None
    probable_cause: bool | None = None
    arguable_probable_cause: bool | None = None
    reasonable_suspicion: bool | None = None
    stop_prolonged: bool | None = None
    knowing_falsity: bool | None = None
    false_statement_material: bool | None = None
    protected_activity: bool | None = None
    adverse_action: bool | None = None
    substantial_risk: bool | None = None
    knew_of_risk: bool | None = None
    realistic_opportunity_to_intervene: bool | None = None

    def overlay(self, other: Scene) -> Scene:
        """This scene with every field the other one states laid over it."""
        return self.model_copy(update=other.model_dump(exclude_none=True))


class Evidence(Strict):
    """One item of record evidence on a dispute, other than (or besides) the `video` field."""

    kind: EvidenceKind
    shows: Shows
    covers: Covers = "whole"


class Dispute(Strict):
    """One factual dispute, with each side's version and what the video or the record shows."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    about: str
    plaintiff_version: str | None = None
    defendant_version: str | None = None
    bears_on: list[Factor] = Field(default_factory=list)
    subjective_only: bool = False
    element: Element = "none"
    video: Video = "none"
    record: list[Evidence] = Field(default_factory=list)
    plaintiff_memory: Memory = "remembers"
    follows: str | None = None
    plaintiff_scene: Scene = Field(default_factory=Scene)
    defendant_scene: Scene = Field(default_factory=Scene)


class RelianceLink(Strict):
    """An argument's use of a dispute: essential to it, or a passing reference."""

    dispute: str
    reliance: Reliance = "essential"


class Argument(Strict):
    """One argument an appellant makes on appeal, on one prong of qualified immunity."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    prong: Prong
    appellant: str | None = None
    summary: str | None = None
    accepts_plaintiff_version: bool = False
    except_: list[str] = Field(default_factory=list, alias="except")
    concession_rejected: bool = False
    legal_core: LegalCore = "unknown"
    relies_on: list[RelianceLink] = Field(default_factory=list)


class Appellant(Strict):
    """Who appeals: an official (with an immunity from suit to assert) or an entity (with none)."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str | None = None
    role: Role = "officer"


class Claim(Strict):
    """One claim in the appeal, against some appellants, with its own disputes and arguments."""

    key: str = Field(default="claim", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: ClaimKind = "excessive_force"
    force: Force = "deadly"
    against: list[str] = Field(default_factory=list)
    order: Order | None = None
    scene: Scene = Field(default_factory=Scene)
    disputes: list[Dispute] = Field(default_factory=list)
    arguments: list[Argument] = Field(default_factory=list)


class Issue(Strict):
    """A question in the appeal on neither prong of qualified immunity."""

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    kind: IssueKind
    raised_by: str
    about: str | None = None
    immunity_from_suit: Literal[True, False, "unknown"] = "unknown"
    intertwined_with: str | None = None


# The subjective facts that are elements of each claim kind (the rules in rules/claims/elements.yaml
# assert the same table with authority; tests/test_model.py holds the two equal).
ELEMENTS: dict[str, tuple[str, ...]] = {
    "first_amendment_retaliation": ("retaliatory_motive",),
    "deliberate_indifference": ("deliberate_indifference", "knowledge"),
    "failure_to_protect": ("deliberate_indifference", "knowledge"),
    "fabricated_evidence": ("knowledge",),
    "excessive_force": ("malice", "intent_to_seize"),
}
DEFAULT_APPELLANT = "officials"


class FactPattern(Strict):
    """A whole appeal as the court of appeals sees it.

    Format 1 (round 1): one `claim` with top-level `disputes` and `arguments`, one appellant.
    Format 2 adds `claims`, `appellants` and `issues`; `all_claims()` gives the same shape for both.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    case: Case = Field(default_factory=Case)
    claim: Claim | None = None
    order: Order = Field(default_factory=Order)
    disputes: list[Dispute] = Field(default_factory=list)
    arguments: list[Argument] = Field(default_factory=list)
    scene: Scene = Field(default_factory=Scene)
    appellants: list[Appellant] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> FactPattern:
        """Every dispute, appellant and claim named must exist; keys must be unique.

        The file loader asks to defer this check (context `defer_references`) so that it can
        report every broken reference at its own line, not just the first.
        """
        if not (info.context or {}).get("defer_references"):
            problems = reference_problems(self)
            if problems:
                raise problems[0]
        return self

    def all_claims(self) -> list[Claim]:
        """The claims of the appeal; a format-1 pattern is one claim keyed by its kind."""
        if self.claims:
            return list(self.claims)
        single = self.claim or Claim()
        key = single.key if single.key != "claim" else single.kind.replace("_", "-")
        return [single.model_copy(update={"key": key, "disputes": self.disputes, "arguments": self.arguments})]

    def all_appellants(self) -> list[Appellant]:
        return list(self.appellants) or [_default_appellant()]

    def all_disputes(self) -> list[Dispute]:
        return [d for c in self.all_claims() for d in c.disputes]

    def all_arguments(self) -> list[Argument]:
        return [a for c in self.all_claims() for a in c.arguments]

    def dispute(self, key: str) -> Dispute:
        return next(d for d in self.all_disputes() if d.key == key)

    def claim_of(self, claim: Claim) -> tuple[Order, Scene]:
        """A claim's order and scene: its own where stated, laid over the appeal's."""
        return claim.order or self.order, self.scene.overlay(claim.scene)

    def appellant_of(self, argument: Argument) -> str:
        return argument.appellant or self.all_appellants()[0].key


@functools.cache
def _default_appellant() -> Appellant:
    """The one appellant of a format-1 pattern (frozen, so one instance serves every pattern)."""
    return Appellant(key=DEFAULT_APPELLANT)


def _repeated(keys: list[str], where: list[tuple], kind: str, out: list[ReferenceProblem]) -> set[str]:
    """Report each key used a second time; return the set of keys."""
    seen: set[str] = set()
    for key, loc in zip(keys, where, strict=True):
        if key in seen:
            out.append(ReferenceProblem(loc, f"{kind} key '{key}' is used twice; keys must be unique in the appeal"))
        seen.add(key)
    return seen


def _claim_locs(fp: FactPattern) -> list[tuple[tuple, Claim]]:
    """Each claim with the path prefix its disputes and arguments sit under in the file."""
    if fp.claims:
        return [(("claims", i), c) for i, c in enumerate(fp.claims)]
    return [((), fp.all_claims()[0])]


def reference_problems(fp: FactPattern) -> list[ReferenceProblem]:
    """Broken references and repeated keys, each at the place it occurs."""
    out: list[ReferenceProblem] = []
    located = _claim_locs(fp)
    if fp.claims:
        for field in ("claim", "disputes", "arguments"):
            if getattr(fp, field):
                out.append(
                    ReferenceProblem(
                        (field,),
                        "use either `claims` (format 2) or top-level `claim`, `disputes` and `arguments`, not both",
                    )
                )
    if fp.claim is not None:
        extra = [f for f in ("disputes", "arguments", "against", "order") if getattr(fp.claim, f)]
        extra += ["scene"] if fp.claim.scene != Scene() else []
        extra += ["key"] if fp.claim.key != "claim" else []
        for field in extra:
            out.append(
                ReferenceProblem(
                    ("claim", field),
                    "a single `claim` holds kind and force; put the rest at the top level, or write `claims` (format 2)",
                )
            )
    disputes = [(pre + ("disputes", i), d, c) for pre, c in located for i, d in enumerate(c.disputes)]
    arguments = [(pre + ("arguments", i), a, c) for pre, c in located for i, a in enumerate(c.arguments)]
    seen = _repeated([d.key for _, d, _ in disputes], [loc + ("key",) for loc, _, _ in disputes], "dispute", out)
    _repeated([a.key for _, a, _ in arguments], [loc + ("key",) for loc, _, _ in arguments], "argument", out)
    _repeated([c.key for _, c in located], [pre + ("key",) for pre, _ in located], "claim", out)
    appellants = [a.key for a in fp.all_appellants()]
    _repeated(appellants, [("appellants", i, "key") for i in range(len(appellants))], "appellant", out)
    _repeated([i.key for i in fp.issues], [("issues", i, "key") for i in range(len(fp.issues))], "issue", out)
    known = sorted(seen)
    for pre, claim in located:
        own = {d.key for d in claim.disputes}
        order_pre = pre + ("order",) if claim.order else ("order",)
        for i, name in enumerate((claim.order or fp.order).disputes_named):
            if name not in seen:
                out.append(
                    ReferenceProblem(
                        order_pre + ("disputes_named", i), f"names unknown dispute '{name}' (known: {known})"
                    )
                )
        for i, name in enumerate(claim.against):
            if name not in appellants:
                out.append(ReferenceProblem(pre + ("against", i), f"unknown appellant '{name}' (known: {appellants})"))
        for i, d in enumerate(claim.disputes):
            loc = pre + ("disputes", i)
            if d.element != "none" and d.element not in ELEMENTS.get(claim.kind, ()):
                has = ", ".join(ELEMENTS.get(claim.kind, ())) or "none"
                out.append(
                    ReferenceProblem(
                        loc + ("element",),
                        f"'{d.element}' is not an element of a {claim.kind} claim (its subjective elements: {has})",
                    )
                )
            if d.follows is None:
                continue
            if d.follows not in own or d.follows == d.key:
                others = sorted(k for k in own if k != d.key)
                out.append(
                    ReferenceProblem(
                        loc + ("follows",), f"follows unknown dispute '{d.follows}' (known in this claim: {others})"
                    )
                )
            elif next(x for x in claim.disputes if x.key == d.follows).follows is not None:
                out.append(
                    ReferenceProblem(
                        loc + ("follows",),
                        f"follows '{d.follows}', which itself follows another; link to the root dispute",
                    )
                )
        for i, a in enumerate(claim.arguments):
            loc = pre + ("arguments", i)
            if a.appellant is not None and a.appellant not in appellants:
                out.append(
                    ReferenceProblem(loc + ("appellant",), f"unknown appellant '{a.appellant}' (known: {appellants})")
                )
            elif a.appellant is None and len(appellants) > 1:
                out.append(
                    ReferenceProblem(
                        loc + ("appellant",), f"several appellants: say whose argument this is (one of {appellants})"
                    )
                )
            elif claim.against and fp.appellant_of(a) not in claim.against:
                out.append(
                    ReferenceProblem(
                        loc + ("appellant",),
                        f"'{fp.appellant_of(a)}' is not a party to claim '{claim.key}' (against: {claim.against})",
                    )
                )
            used: dict[str, str] = {}
            for j, link in enumerate(a.relies_on):
                if link.dispute not in seen:
                    out.append(
                        ReferenceProblem(
                            loc + ("relies_on", j, "dispute"), f"unknown dispute '{link.dispute}' (known: {known})"
                        )
                    )
                elif link.dispute not in own:
                    out.append(
                        ReferenceProblem(
                            loc + ("relies_on", j, "dispute"),
                            f"dispute '{link.dispute}' belongs to another claim, not to '{claim.key}'",
                        )
                    )
                if link.dispute in used:
                    out.append(
                        ReferenceProblem(
                            loc + ("relies_on", j, "dispute"),
                            f"relies on '{link.dispute}' twice ({used[link.dispute]} and {link.reliance}); list each dispute once",
                        )
                    )
                used.setdefault(link.dispute, link.reliance)
            for j, name in enumerate(a.except_):
                if name not in used:
                    out.append(
                        ReferenceProblem(
                            loc + ("except", j),
                            f"excepts '{name}', which the argument does not rely on; list it under relies_on",
                        )
                    )
            if a.except_ and not a.accepts_plaintiff_version:
                out.append(
                    ReferenceProblem(
                        loc + ("except",), "`except` qualifies a concession: set accepts_plaintiff_version: true"
                    )
                )
    claim_keys = [c.key for _, c in located]
    raisers = {fp.appellant_of(a) for a in fp.all_arguments()} | {i.raised_by for i in fp.issues}
    for i, ap in enumerate(fp.appellants):
        if ap.key not in raisers:
            out.append(
                ReferenceProblem(
                    ("appellants", i, "key"), f"appellant '{ap.key}' makes no argument and raises no issue"
                )
            )
    for i, issue in enumerate(fp.issues):
        if issue.raised_by not in appellants + ["plaintiff"]:
            out.append(
                ReferenceProblem(
                    ("issues", i, "raised_by"),
                    f"unknown party '{issue.raised_by}' (known: {appellants + ['plaintiff']})",
                )
            )
        if issue.intertwined_with is not None and issue.intertwined_with not in claim_keys:
            out.append(
                ReferenceProblem(
                    ("issues", i, "intertwined_with"), f"unknown claim '{issue.intertwined_with}' (known: {claim_keys})"
                )
            )
    return out
