"""Flatten a FactPattern into small typed facts, so that rules are joins over flat records.

Every fact about a claim carries its `claim` key, every fact about an appellant's position its
`appellant` key: a several-claim, several-appellant appeal is decided by the same joins as a
single one. Unknown scene values become the string "unknown" (durable has no null), so a rule
can say `weapon_in_hand: {not: true}` and mean "not shown to be true".
"""

from __future__ import annotations

from typing import Any

from engine.input.model import FACTORS, PRONGS, Claim, FactPattern, Scene

Fact = dict[str, Any]


def day_number(date) -> int:
    """A date as yyyymmdd, comparable with >= in rule conditions; 0 when unknown."""
    return date.year * 10000 + date.month * 100 + date.day if date else 0


def units(fp: FactPattern, claim: Claim) -> list[str]:
    """The appellants whose position on this claim the court must decide.

    Those who argue it; for a claim nobody argues (a grant, a deferred ruling), the appellants it
    is pressed against, or the first appellant of a single-appellant appeal.
    """
    arguing = sorted({fp.appellant_of(a) for a in claim.arguments})
    if arguing:
        return arguing
    return list(claim.against) or [fp.all_appellants()[0].key]


def base_facts(fp: FactPattern, circuit: str | None = None, view: str = "majority") -> list[Fact]:
    """The facts every jurisdiction evaluation starts from.

    `circuit` is the court whose practice applies (default: the case's own court); `view` the
    doctrinal view of that court's judges (majority, or the Smith dissent).
    """
    facts: list[Fact] = [
        {
            "type": "case",
            "court": fp.case.court,
            "posture": fp.case.posture,
            "appeal_from": fp.case.appeal_from,
            "events_day": day_number(fp.case.events_date),
        },
        {"type": "forum", "circuit": circuit or fp.case.court},
    ]
    facts += [{"type": "appellant", "key": a.key, "role": a.role} for a in fp.all_appellants()]
    n_units = 0
    for claim in fp.all_claims():
        order, _ = fp.claim_of(claim)
        named = set(order.disputes_named)
        facts.append({"type": "claim", "key": claim.key, "kind": claim.kind, "force": claim.force})
        facts.append(
            {
                "type": "order",
                "claim": claim.key,
                "ruling": order.ruling,
                "defense": order.defense,
                "basis": order.basis,
                "jury_could_find": order.jury_could_find,
            }
        )
        facts += [{"type": "prong", "claim": claim.key, "name": p} for p in PRONGS]
        for appellant in units(fp, claim):
            facts.append({"type": "unit", "claim": claim.key, "appellant": appellant})
            n_units += 1
        for d in claim.disputes:
            fact = {
                "type": "dispute",
                "claim": claim.key,
                "key": d.key,
                "about": d.about,
                "video": d.video,
                "follows": d.follows or "none",
                "subjective_only": d.subjective_only,
                "element": d.element,
                "plaintiff_memory": d.plaintiff_memory,
                "named_by_court": d.key in named,
            }
            fact.update({f"bears_on_{f}": f in d.bears_on for f in FACTORS})
            facts.append(fact)
            facts += [
                {"type": "evidence", "dispute": d.key, "kind": e.kind, "shows": e.shows, "covers": e.covers}
                for e in d.record
            ]
        for a in claim.arguments:
            appellant = fp.appellant_of(a)
            facts.append(
                {
                    "type": "argument",
                    "claim": claim.key,
                    "appellant": appellant,
                    "key": a.key,
                    "prong": a.prong,
                    "accepts_plaintiff_version": a.accepts_plaintiff_version,
                    "partial_concession": bool(a.except_),
                    "concession_rejected": a.concession_rejected,
                    "legal_core": a.legal_core,
                }
            )
            for link in a.relies_on:
                facts.append(
                    {
                        "type": "reliance",
                        "claim": claim.key,
                        "appellant": appellant,
                        "argument": a.key,
                        "prong": a.prong,
                        "dispute": link.dispute,
                        "reliance": link.reliance,
                        "excepted": link.dispute in a.except_,
                    }
                )
    for issue in fp.issues:
        facts.append(
            {
                "type": "issue",
                "key": issue.key,
                "kind": issue.kind,
                "raised_by": issue.raised_by,
                "immunity_from_suit": issue.immunity_from_suit,
                "intertwined_with": issue.intertwined_with or "none",
            }
        )
    facts.append({"type": "appeal", "units": n_units, "issues": len(fp.issues)})
    return facts


def scene_fact(scene: Scene, claim: Claim, fp: FactPattern, version: str) -> Fact:
    """One version of the scene, as the Graham and clearly-established rules read it."""
    fact: Fact = {
        "type": "scene",
        "version": version,
        "force": claim.force,
        "claim_kind": claim.kind,
        "events_day": day_number(fp.case.events_date),
        "circuit": fp.case.court,
    }
    for name, value in scene.model_dump().items():
        if name == "suspected_crime":
            continue
        fact[name] = "unknown" if value is None else value
    return fact
