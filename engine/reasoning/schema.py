"""The vocabulary rules may use: every fact type the engine posts, its fields and their values.

Base facts come from the fact pattern (engine/facts.py); analysis facts from the merits
evaluations (engine/decide.py). Derived fact types are whatever rules assert. The lint checks
every rule against this table, and a test checks the engine's facts against it.
"""

from __future__ import annotations

from typing import Any

from engine.input.model import (
    FACTORS,
    AppealFrom,
    Basis,
    ClaimKind,
    Court,
    Covers,
    Defense,
    Element,
    EvidenceKind,
    Force,
    ForceUsed,
    IssueKind,
    LegalCore,
    Memory,
    Posture,
    Prong,
    Reliance,
    Resistance,
    Role,
    Ruling,
    Setting,
    Severity,
    Shows,
    Video,
)

BOOL = (True, False)
TRI = (True, False, "unknown")  # scene fields: unknown when the record does not say


def _values(literal: Any) -> tuple:
    return tuple(literal.__args__)


TEXT = str
NUMBER = int

COURTS = _values(Court)

BASE_FACTS: dict[str, dict[str, Any]] = {
    "case": {
        "court": COURTS,
        "posture": _values(Posture),
        "appeal_from": _values(AppealFrom),
        "events_day": NUMBER,
    },
    # the court whose practice applies and the judges' view (a profile may override the case's court)
    "forum": {"circuit": COURTS},
    "appellant": {"key": TEXT, "role": _values(Role)},
    "claim": {"key": TEXT, "kind": _values(ClaimKind), "force": _values(Force)},
    "unit": {"claim": TEXT, "appellant": TEXT},
    "appeal": {"units": NUMBER, "issues": NUMBER},
    "order": {
        "claim": TEXT,
        "ruling": _values(Ruling),
        "defense": _values(Defense),
        "basis": _values(Basis),
        "jury_could_find": BOOL,
    },
    "dispute": {
        "claim": TEXT,
        "key": TEXT,
        "about": TEXT,
        "video": _values(Video),
        "follows": TEXT,
        "subjective_only": BOOL,
        "element": _values(Element),
        "plaintiff_memory": _values(Memory),
        "named_by_court": BOOL,
        **{f"bears_on_{f}": BOOL for f in FACTORS},
    },
    "evidence": {"dispute": TEXT, "kind": _values(EvidenceKind), "shows": _values(Shows), "covers": _values(Covers)},
    "argument": {
        "claim": TEXT,
        "appellant": TEXT,
        "key": TEXT,
        "prong": _values(Prong),
        "accepts_plaintiff_version": BOOL,
        "partial_concession": BOOL,
        "concession_rejected": BOOL,
        "legal_core": _values(LegalCore),
    },
    "reliance": {
        "claim": TEXT,
        "appellant": TEXT,
        "argument": TEXT,
        "prong": _values(Prong),
        "dispute": TEXT,
        "reliance": _values(Reliance),
        "excepted": BOOL,
    },
    "prong": {"claim": TEXT, "name": _values(Prong)},
    "issue": {
        "key": TEXT,
        "kind": _values(IssueKind),
        "raised_by": TEXT,
        "immunity_from_suit": TRI,
        "intertwined_with": TEXT,
    },
    "scene": {
        "version": TEXT,
        "force": _values(Force),
        "claim_kind": _values(ClaimKind),
        "events_day": NUMBER,
        "circuit": COURTS,
        "crime_severity": _values(Severity) + ("unknown",),
        "believed_armed": TRI,
        "weapon_in_hand": TRI,
        "shots_fired": TRI,
        "endangering_others": TRI,
        "fleeing": TRI,
        "resistance": _values(Resistance) + ("unknown",),
        "surrendering": TRI,
        "threatening_movement": TRI,
        "threat_ceased": TRI,
        "seconds_since_threat": TEXT,
        "restrained": TRI,
        "weapon_pointed": TRI,
        "in_vehicle": TRI,
        "subdued": TRI,
        "compliant": TRI,
        "warning_given": TRI,
        "warning_feasible": TRI,
        "force_used": _values(ForceUsed) + ("unknown",),
        "k9_bite_seconds": TEXT,
        "complained_of_handcuffs": TRI,
        "minor": TRI,
        "mentally_ill": TRI,
        "intoxicated": TRI,
        "medical_condition": TRI,
        "setting": _values(Setting) + ("unknown",),
        "probable_cause": TRI,
        "arguable_probable_cause": TRI,
        "reasonable_suspicion": TRI,
        "stop_prolonged": TRI,
        "knowing_falsity": TRI,
        "false_statement_material": TRI,
        "protected_activity": TRI,
        "adverse_action": TRI,
        "substantial_risk": TRI,
        "knew_of_risk": TRI,
        "realistic_opportunity_to_intervene": TRI,
        # posted by the engine: Graham on this version, for a claim derived from another officer's force
        "underlying_force": ("reasonable", "unreasonable", "open", "unknown"),
    },
    # posted by the merits evaluations between the genuineness and materiality stages
    "merits": {
        "claim": TEXT,
        "result": ("reasonable", "unreasonable", "violation", "no_violation", "open"),
        "rule": TEXT,
    },
    "clearly_established": {"claim": TEXT, "established": BOOL, "right": TEXT, "decisive": BOOL},
    "counterfactual": {
        "claim": TEXT,
        "dispute": TEXT,
        "prong": _values(Prong),
        "plaintiff_result": TEXT,
        "defendant_result": TEXT,
        "differs": BOOL,
        "decided": BOOL,
        "plaintiff_rule": TEXT,
        "defendant_rule": TEXT,
    },
}
# The stage after which analysis facts exist (they are posted before `materiality`).
ANALYSIS_FACTS = ("merits", "clearly_established", "counterfactual")

# Conclusions that must be unique per subject: fact type -> (subject fields, value field). Two
# values for one subject is a contradiction: the engine stops on it at run time
# (engine/reasoning/decide.py) and the lint refuses rule pairs that could produce it
# (engine/reasoning/conflicts.py), unless one is declared `exception_to` the other.
UNIQUE: dict[str, tuple[tuple[str, ...], str]] = {
    "disposition": ((), "value"),
    "appeal_outcome": ((), "value"),
    "unit_disposition": (("claim", "appellant"), "value"),
    "outcome": (("claim", "appellant"), "value"),
    "scope": (("claim", "appellant"), "in_doctrine"),
    "dispute_status": (("dispute",), "genuine"),
    "dispute_material": (("dispute", "prong"), "material"),
    "argument_status": (("argument",), "separable"),
    "prong_status": (("claim", "appellant", "prong"), "reviewable"),
    "issue_answer": (("issue",), "answer"),
    "force_assessment": ((), "result"),
    "claim_assessment": ((), "result"),
    "right_finding": ((), "established"),
}

# Input facts that identify themselves: two facts of the type with equal key fields are the
# same fact (an empty key: at most one such fact per evaluation). The loader guarantees this for
# the fact pattern (unique dispute and argument keys); the conflict analysis relies on it.
IDENTITY: dict[str, tuple[str, ...]] = {
    "case": (),
    "forum": (),
    "appeal": (),
    "scene": (),
    "appellant": ("key",),
    "claim": ("key",),
    "unit": ("claim", "appellant"),
    "order": ("claim",),
    "prong": ("claim", "name"),
    "dispute": ("key",),
    "argument": ("key",),
    "issue": ("key",),
    "merits": ("claim",),
    "clearly_established": ("claim",),
    "counterfactual": ("dispute", "prong"),  # dispute keys are unique in the appeal
}
