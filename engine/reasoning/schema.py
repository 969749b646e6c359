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
    Defense,
    Force,
    Posture,
    Prong,
    Reliance,
    Resistance,
    Ruling,
    Severity,
    Video,
)

BOOL = (True, False)
TRI = (True, False, "unknown")  # scene fields: unknown when the record does not say


def _values(literal: Any) -> tuple:
    return tuple(literal.__args__)


TEXT = str
NUMBER = int

BASE_FACTS: dict[str, dict[str, Any]] = {
    "case": {
        "court": _values(Court),
        "posture": _values(Posture),
        "appeal_from": _values(AppealFrom),
        "claim_kind": _values(ClaimKind),
        "force": _values(Force),
        "events_day": NUMBER,
    },
    "order": {
        "ruling": _values(Ruling),
        "defense": _values(Defense),
        "basis": _values(Basis),
        "jury_could_find": BOOL,
    },
    "dispute": {
        "key": TEXT,
        "about": TEXT,
        "video": _values(Video),
        "follows": TEXT,
        "subjective_only": BOOL,
        "named_by_court": BOOL,
        **{f"bears_on_{f}": BOOL for f in FACTORS},
    },
    "argument": {"key": TEXT, "prong": _values(Prong), "accepts_plaintiff_version": BOOL},
    "reliance": {"argument": TEXT, "prong": _values(Prong), "dispute": TEXT, "reliance": _values(Reliance)},
    "prong": {"name": _values(Prong)},
    "scene": {
        "version": TEXT,
        "force": _values(Force),
        "claim_kind": _values(ClaimKind),
        "events_day": NUMBER,
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
    },
    # posted by the merits evaluations between the genuineness and materiality stages
    "merits": {"result": ("reasonable", "unreasonable", "open"), "rule": TEXT},
    "clearly_established": {"established": BOOL, "right": TEXT},
    "counterfactual": {
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
    "outcome": ((), "value"),
    "scope": ((), "in_doctrine"),
    "dispute_status": (("dispute",), "genuine"),
    "dispute_material": (("dispute", "prong"), "material"),
    "argument_status": (("argument",), "separable"),
    "prong_status": (("prong",), "reviewable"),
    "force_assessment": ((), "result"),
    "right_finding": ((), "established"),
}

# Input facts that identify themselves: two facts of the type with equal key fields are the
# same fact (an empty key: at most one such fact per evaluation). The loader guarantees this for
# the fact pattern (unique dispute and argument keys); the conflict analysis relies on it.
IDENTITY: dict[str, tuple[str, ...]] = {
    "case": (),
    "order": (),
    "scene": (),
    "merits": (),
    "clearly_established": (),
    "prong": ("name",),
    "dispute": ("key",),
    "argument": ("key",),
    "counterfactual": ("dispute", "prong"),
}
