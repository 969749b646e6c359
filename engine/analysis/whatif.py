"""Questions asked of many decisions: where two doctrinal views part, and what would flip one.

What-if varies one thing a litigator controls or a record could show, then two, and keeps the
smallest sets that change the disposition (a pair is listed only if neither change flips it
alone). Each flip names the first rule where the new decision's reasoning departs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.input.model import FactPattern
from engine.reasoning.decide import Engine
from engine.reasoning.decision import Decision
from engine.reasoning.trace import Firing

Edit = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Change:
    """One change to a fact pattern, described as a litigator would say it."""

    key: str
    description: str
    who: str  # "litigator" (how the appeal is argued) or "record" (what the evidence shows)
    edit: Edit


@dataclass
class Parting:
    """The first firing at which two decisions' reasoning differs."""

    index: int
    left: Firing | None
    right: Firing | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "left": self.left.as_dict() if self.left else None,
            "right": self.right.as_dict() if self.right else None,
        }


def first_new_reasoning(before: Decision, after: Decision) -> Parting:
    """The first firing of `after` that `before` did not have (else the first one it lost).

    Positional comparison misleads when a change removes an early firing; the rule that
    changes is the first conclusion the new decision draws that the old one did not.
    """

    def key(f: Firing) -> tuple:
        return (f.rule_id, repr(sorted(f.matched.items())))

    old, new = {key(f) for f in before.trace}, {key(f) for f in after.trace}
    for i, f in enumerate(after.trace):
        if key(f) not in old:
            return Parting(i, None, f)
    for i, f in enumerate(before.trace):
        if key(f) not in new:
            return Parting(i, f, None)
    return Parting(len(after.trace), None, None)


@dataclass
class Flip:
    changes: tuple[Change, ...]
    decision: Decision
    parting: Parting

    def as_dict(self) -> dict[str, Any]:
        return {
            "changes": [{"key": c.key, "description": c.description, "who": c.who} for c in self.changes],
            "disposition": self.decision.disposition,
            "outcome": self.decision.outcome,
            "rule_that_changes": (self.parting.right or self.parting.left).rule_id
            if (self.parting.right or self.parting.left)
            else None,
            "parting": self.parting.as_dict(),
        }


def first_parting(left: Decision, right: Decision) -> Parting:
    """Walk both traces in order; the first firing that differs (rule or matched facts)."""
    for i, (a, b) in enumerate(itertools.zip_longest(left.trace, right.trace)):
        if a is None or b is None or a.rule_id != b.rule_id or a.matched != b.matched:
            return Parting(i, a, b)
    return Parting(len(left.trace), None, None)


def compare_profiles(
    engine: Engine, fp: FactPattern, names: tuple[str, ...] = ("majority", "dissent")
) -> dict[str, Any]:
    """Any views side by side (the Smith majority and dissent, or several courts' practice), and,
    for each pair, the first rule where they part."""
    decisions = {name: engine.decide(fp, name) for name in names}
    partings = {(a, b): first_parting(decisions[a], decisions[b]) for i, a in enumerate(names) for b in names[i + 1 :]}
    return {"names": list(names), "decisions": decisions, "partings": partings}


def across_circuits(engine: Engine, fp: FactPattern, circuits: list[str]) -> dict[str, Decision]:
    """The same appeal under each court of appeals' practice: where would it be heard now?"""
    return {c: engine.decide(fp, c) for c in circuits}


# -- the changes a what-if may make ---------------------------------------------------------------


def _holders(fp: FactPattern) -> list[tuple[tuple, Any]]:
    """Where each claim's disputes and arguments sit in the dumped data: the top level (format 1)
    or `claims[c]` (format 2), with the claim."""
    if fp.claims:
        return [(("claims", c), claim) for c, claim in enumerate(fp.claims)]
    return [((), fp.all_claims()[0])]


def _at(data: dict[str, Any], where: tuple) -> dict[str, Any]:
    for step in where:
        data = data[step]
    return data


def candidate_changes(fp: FactPattern) -> list[Change]:
    """Every single change worth trying on this fact pattern, in a stable order."""
    changes: list[Change] = []
    for where, claim in _holders(fp):
        for i, arg in enumerate(claim.arguments):
            if not arg.accepts_plaintiff_version or any(link.reliance == "essential" for link in arg.relies_on):
                changes.append(
                    Change(
                        f"accept:{arg.key}",
                        f"the official argues {arg.key} ({arg.prong}) on the plaintiff's version, relying on no disputed fact",
                        "litigator",
                        _accept(where, i),
                    )
                )
            if arg.legal_core != "present" and any(link.reliance == "essential" for link in arg.relies_on):
                changes.append(
                    Change(
                        f"legal-core:{arg.key}",
                        f"argument {arg.key} also presents its question of law on the plaintiff's version",
                        "litigator",
                        _set(where + ("arguments", i), "legal_core", "present"),
                    )
                )
            for j, link in enumerate(arg.relies_on):
                if link.reliance == "essential":
                    changes.append(
                        Change(
                            f"passing:{arg.key}:{link.dispute}",
                            f"argument {arg.key} mentions {link.dispute} only in passing",
                            "litigator",
                            _set(where + ("arguments", i, "relies_on", j), "reliance", "passing"),
                        )
                    )
        for k, d in enumerate(claim.disputes):
            if d.follows:
                continue  # settled with the dispute it follows; its own video is not consulted
            for video, says in (
                ("blatantly_contradicts_plaintiff", "the plaintiff"),
                ("blatantly_contradicts_defendant", "the official"),
            ):
                if d.video != video:
                    changes.append(
                        Change(
                            f"video:{d.key}:{video}",
                            f"the video blatantly contradicts {says} on {d.key}",
                            "record",
                            _set(where + ("disputes", k), "video", video),
                        )
                    )
    if any(c.kind == "excessive_force" for c in fp.all_claims()):
        for field, value, text in (
            ("weapon_in_hand", True, "the suspect had a weapon in hand"),
            ("surrendering", True, "the suspect was plainly surrendering"),
        ):
            if getattr(fp.scene, field) is not value:
                changes.append(Change(f"scene:{field}", text, "record", _scene(field, value, _holders(fp))))
    return changes


def _accept(where: tuple, i: int) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        arg = _at(data, where)["arguments"][i]
        arg["accepts_plaintiff_version"] = True
        arg["relies_on"] = []
        arg["except"] = []

    return edit


def _set(where: tuple, field: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        _at(data, where)[field] = value

    return edit


def _scene(field: str, value: Any, holders: list[tuple[tuple, Any]]) -> Edit:
    """Make a scene fact undisputed: set it, and take it out of every dispute's versions."""

    def edit(data: dict[str, Any]) -> None:
        data["scene"][field] = value
        for where, _ in holders:
            for d in _at(data, where)["disputes"]:
                d["plaintiff_scene"].pop(field, None)
                d["defendant_scene"].pop(field, None)

    return edit


def apply(fp: FactPattern, changes: tuple[Change, ...]) -> FactPattern:
    data = fp.model_dump(mode="python", by_alias=True, exclude_none=True)
    for change in changes:
        change.edit(data)
    return FactPattern.model_validate(data)


def what_if(
    engine: Engine,
    fp: FactPattern,
    profile: str = "majority",
    max_changes: int = 2,
    search: Engine | None = None,
) -> dict[str, Any]:
    """The smallest sets of changes (one, then two) that flip the disposition.

    `search` (e.g. the plain-Python backend) screens the variations quickly; every flip it
    finds is decided again by `engine`, the engine of record, and only confirmed flips are kept.
    """
    scout = search or engine
    base = engine.decide(fp, profile)
    scout_base = base if scout is engine else scout.decide(fp, profile)
    singles = candidate_changes(fp)
    found: list[tuple[Change, ...]] = []
    inert: list[Change] = []
    for change in singles:
        if scout.decide(apply(fp, (change,)), profile).disposition != scout_base.disposition:
            found.append((change,))
        else:
            inert.append(change)
    if max_changes >= 2:
        for pair in itertools.combinations(inert, 2):
            if scout.decide(apply(fp, pair), profile).disposition != scout_base.disposition:
                found.append(pair)
    flips = []
    for changes in found:
        decision = engine.decide(apply(fp, changes), profile)
        if decision.disposition != base.disposition:
            flips.append(Flip(changes, decision, first_new_reasoning(base, decision)))
    return {"base": base, "flips": flips, "tried": len(singles) + len(inert) * (len(inert) - 1) // 2}
