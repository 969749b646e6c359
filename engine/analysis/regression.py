"""Hold the rules to what courts actually held: run every case, compare, report coverage."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.input.casefile import CaseFile, case_files, load_case
from engine.input.errors import InputError
from engine.reasoning.decide import Engine
from engine.reasoning.decision import Decision

MODELLED_OUTCOMES = ("dismissed", "affirmed_denial", "reversed_granted")
# materiality decided by the factor a dispute bears on, because no comparison of versions was decisive
FALLBACK_RULE = "jurisdiction.materiality.declared_factor"


@dataclass
class CaseResult:
    case: CaseFile
    path: str
    decision: Decision
    differences: list[str] = field(default_factory=list)
    fired: set[str] = field(default_factory=set)

    @property
    def passed(self) -> bool:
        return not self.differences

    @property
    def status(self) -> str:
        if not self.passed:
            return "FAIL"
        return "pass (documented divergence)" if self.case.expected.divergence else "pass"

    def row(self) -> dict[str, Any]:
        return {
            "case": self.case.id,
            "file": self.path,
            "expected": self.case.expected.disposition,
            "actual": self.decision.disposition,
            "passed": self.passed,
            "status": self.status,
            "divergence": self.case.expected.divergence.reason if self.case.expected.divergence else None,
            "differences": self.differences,
            "verified": self.case.source.verified if self.case.source else "hypothetical",
        }


def compare(case: CaseFile, decision: Decision, others: dict[str, Decision]) -> list[str]:
    """Every way the decision departs from what the court held (empty when it agrees)."""
    exp, diffs = case.expected, []
    if exp.divergence:
        if decision.disposition != exp.divergence.engine_disposition:
            diffs.append(
                f"divergence: the rules were pinned at {exp.divergence.engine_disposition}, got {decision.disposition}"
            )
    elif decision.disposition != exp.disposition:
        diffs.append(f"disposition: expected {exp.disposition}, got {decision.disposition}")
    for prong, want in ({} if exp.divergence else exp.prongs).items():
        if decision.prongs[prong] != want:
            diffs.append(f"prongs.{prong}: expected {want}, got {decision.prongs[prong]}")
    merits_case = decision.merits is not None
    # for claims other than force, a rights table with no matching right leaves prong two unknown (None):
    # then neither the outcome nor the clearly-established answer is the rules' to compare
    decided = merits_case and decision.merits["clearly_established"]["established"] is not None
    if exp.outcome in MODELLED_OUTCOMES and decided and not exp.divergence and decision.outcome != exp.outcome:
        diffs.append(f"outcome: expected {exp.outcome}, got {decision.outcome}")
    if exp.merits and merits_case and decision.merits["plaintiff_version"]["force"] != exp.merits:
        diffs.append(f"merits: expected force {exp.merits}, got {decision.merits['plaintiff_version']['force']}")
    if exp.clearly_established is not None and decided:
        got = decision.merits["clearly_established"]["established"]
        if got != exp.clearly_established:
            diffs.append(f"clearly_established: expected {exp.clearly_established}, got {got}")
    fired = set(decision.fired())
    diffs += [f"rule {r} was expected to fire and did not" for r in exp.expect_rules if r not in fired]
    diffs += [f"rule {r} fired but must not" for r in exp.forbid_rules if r in fired]
    diffs += _compare_parts(case, decision)
    for profile, pexp in exp.profiles.items():
        other = others[profile]
        if other.disposition != pexp.disposition:
            diffs.append(f"profile {profile}: expected {pexp.disposition}, got {other.disposition}")
        ofired = set(other.fired())
        diffs += [
            f"profile {profile}: rule {r} was expected to fire and did not"
            for r in pexp.expect_rules
            if r not in ofired
        ]
    return diffs


def _part_answer(parts: list, value: str) -> str | None:
    """One claim's (or appellant's) disposition across its parts, aggregated as the rules aggregate."""
    values = {getattr(p, value) for p in parts}
    if not values:
        return None
    if len(values) == 1:
        return values.pop()
    reviewable = values & {"appealable", "appealable_in_part"}
    return "appealable_in_part" if reviewable else sorted(values)[0]


def _compare_parts(case: CaseFile, decision: Decision) -> list[str]:
    """Format 2: what the court held claim by claim, appellant by appellant and issue by issue."""
    exp, diffs = case.expected, []
    for group, wants in (("claim", exp.claims), ("appellant", exp.appellants)):
        for key, want in wants.items():
            parts = [p for p in decision.parts if getattr(p, group) == key]
            if not parts:
                diffs.append(f"{group}s.{key}: no part of the decision concerns it")
                continue
            got = _part_answer(parts, "disposition")
            if want.disposition and got != want.disposition:
                diffs.append(f"{group}s.{key}.disposition: expected {want.disposition}, got {got}")
            for prong, pwant in want.prongs.items():
                pgot = {p.prongs.get(prong) for p in parts}
                if pgot != {pwant}:
                    diffs.append(f"{group}s.{key}.prongs.{prong}: expected {pwant}, got {sorted(pgot)}")
            ogot = {p.outcome for p in parts}
            if want.outcome in MODELLED_OUTCOMES and ogot != {want.outcome} and ogot != {"undetermined"}:
                diffs.append(f"{group}s.{key}.outcome: expected {want.outcome}, got {sorted(ogot)}")
    answers = {i.key: i.answer for i in decision.issues}
    for key, want in exp.issues.items():
        if answers.get(key) != want:
            diffs.append(f"issues.{key}: expected {want}, got {answers.get(key)}")
    return diffs


def run_case(engine: Engine, case: CaseFile, path: str) -> CaseResult:
    decision = engine.decide(case.facts, "majority")
    others = {p: (decision if p == "majority" else engine.decide(case.facts, p)) for p in case.expected.profiles}
    result = CaseResult(case, path, decision, compare(case, decision, others))
    result.fired = set(decision.fired()).union(*(set(o.fired()) for o in others.values()))
    return result


def load_cases(paths: list[str | Path]) -> list[tuple[str, CaseFile]]:
    """Every case under the paths, all validated before any runs; all problems reported together."""
    loaded, problems = [], []
    for path in case_files(paths):
        try:
            loaded.append((str(path), load_case(path)))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return loaded


def coverage(engine: Engine, results: list[CaseResult]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for r in results:
        counts.update(r.fired)
    return {rule.id: counts.get(rule.id, 0) for rule in engine.rulebook.rules}


def fallback_cases(results: list[CaseResult]) -> list[str]:
    """The cases in which materiality fell back to the declared factor (the merits rules left
    both versions of some dispute open): the measure of what the merits rules do not yet decide."""
    return [r.case.id for r in results if FALLBACK_RULE in r.fired]
