"""Flatten a FactPattern into small typed facts, so that rules are joins over flat records.

Unknown scene values become the string "unknown" (durable has no null), so a rule can say
`weapon_in_hand: {not: true}` and mean "not shown to be true".
"""

from __future__ import annotations

from typing import Any

from engine.input.model import FACTORS, PRONGS, FactPattern, Scene

Fact = dict[str, Any]


def day_number(date) -> int:
    """A date as yyyymmdd, comparable with >= in rule conditions; 0 when unknown."""
    return date.year * 10000 + date.month * 100 + date.day if date else 0


def base_facts(fp: FactPattern) -> list[Fact]:
    """The facts every jurisdiction evaluation starts from."""
    named = set(fp.order.disputes_named)
    facts: list[Fact] = [
        {
            "type": "case",
            "court": fp.case.court,
            "posture": fp.case.posture,
            "appeal_from": fp.case.appeal_from,
            "claim_kind": fp.claim.kind,
            "force": fp.claim.force,
            "events_day": day_number(fp.case.events_date),
        },
        {
            "type": "order",
            "ruling": fp.order.ruling,
            "defense": fp.order.defense,
            "basis": fp.order.basis,
            "jury_could_find": fp.order.jury_could_find,
        },
    ]
    facts += [{"type": "prong", "name": p} for p in PRONGS]
    for d in fp.disputes:
        fact = {
            "type": "dispute",
            "key": d.key,
            "about": d.about,
            "video": d.video,
            "follows": d.follows or "none",
            "subjective_only": d.subjective_only,
            "named_by_court": d.key in named,
        }
        fact.update({f"bears_on_{f}": f in d.bears_on for f in FACTORS})
        facts.append(fact)
    for a in fp.arguments:
        facts.append(
            {
                "type": "argument",
                "key": a.key,
                "prong": a.prong,
                "accepts_plaintiff_version": a.accepts_plaintiff_version,
            }
        )
        for link in a.relies_on:
            facts.append(
                {
                    "type": "reliance",
                    "argument": a.key,
                    "prong": a.prong,
                    "dispute": link.dispute,
                    "reliance": link.reliance,
                }
            )
    return facts


def scene_fact(scene: Scene, fp: FactPattern, version: str) -> Fact:
    """One version of the scene, as the Graham and clearly-established rules read it."""
    fact: Fact = {
        "type": "scene",
        "version": version,
        "force": fp.claim.force,
        "claim_kind": fp.claim.kind,
        "events_day": day_number(fp.case.events_date),
    }
    for name, value in scene.model_dump().items():
        if name == "suspected_crime":
            continue
        fact[name] = "unknown" if value is None else value
    return fact
