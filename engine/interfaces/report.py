"""The regression report: the corpus run rendered as a table (text) or a document (JSON)."""

from __future__ import annotations

import json

from engine.analysis.regression import FALLBACK_RULE, CaseResult, coverage, fallback_cases
from engine.input.casefile import is_hypothetical
from engine.interfaces.render import to_text
from engine.reasoning.decide import Engine


def report_text(engine: Engine, results: list[CaseResult]) -> str:
    width = max((len(r.case.id) for r in results), default=4)
    lines = [f"{'case':<{width}}  {'expected':<18}  {'actual':<18}  result"]
    for r in results:
        lines.append(
            f"{r.case.id:<{width}}  {r.case.expected.disposition:<18}  {r.decision.disposition:<18}  {r.status}"
        )
    passed = sum(r.passed for r in results)
    pct = 100.0 * passed / len(results) if results else 0.0
    lines += ["", f"accuracy: {passed}/{len(results)} ({pct:.1f}%)"]
    decided = [r for r in results if not is_hypothetical(r.path)]  # hypotheticals are no court's disposition
    diverging = [r for r in decided if r.passed and r.case.expected.divergence]
    agree = sum(map(_agrees, decided))
    lines.append(
        f"agreement with the courts' dispositions (decided cases only): {agree}/{len(decided)}; "
        f"documented divergences: {len(diverging)}"
    )
    fallback = fallback_cases(results)
    lines.append(
        f"materiality fallback ({FALLBACK_RULE}: no decisive comparison of versions): fired in {len(fallback)} of "
        f"{len(results)} cases"
    )
    for r in diverging:
        lines.append(
            f"  {r.case.id}: court {r.case.expected.disposition}, rules {r.decision.disposition}: {r.case.expected.divergence.reason}"
        )
    for r in results:
        if not r.passed:
            lines += ["", f"FAIL {r.case.id} ({r.path})"]
            lines += [f"  - {d}" for d in r.differences]
            lines += ["  trace:"] + ["    " + ln for ln in to_text(r.decision).splitlines()]
    lines += agreement_by(results)
    cov = coverage(engine, results)
    lines += ["", "rule coverage (cases in which each rule fired):"]
    lines += [f"  {n:>3}  {rule}" for rule, n in cov.items()]
    unused = [rule for rule, n in cov.items() if n == 0]
    lines += ["", f"rules no case exercises: {', '.join(unused) if unused else 'none'}"]
    return "\n".join(lines) + "\n"


def report_json(engine: Engine, results: list[CaseResult]) -> str:
    passed = sum(r.passed for r in results)
    cov = coverage(engine, results)
    return (
        json.dumps(
            {
                "schema_version": 1,
                "cases": [r.row() for r in results],
                "passed": passed,
                "total": len(results),
                "accuracy": passed / len(results) if results else 0.0,
                "coverage": cov,
                "fallback_cases": fallback_cases(results),
                "unexercised": [rule for rule, n in cov.items() if n == 0],
            },
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )


def _agrees(r: CaseResult) -> bool:
    return r.passed and not r.case.expected.divergence


def agreement_by(results: list[CaseResult]) -> list[str]:
    """Agreement with the courts, decided cases only (hypotheticals are not decisions), by court and by claim."""
    decided = [r for r in results if not is_hypothetical(r.path)]
    lines = ["", f"agreement by court (decided cases only: {len(decided)}):"]
    for court in sorted({r.case.facts.case.court for r in decided}):
        group = [r for r in decided if r.case.facts.case.court == court]
        lines.append(f"  {court:<10} {sum(map(_agrees, group))}/{len(group)}")
    lines.append("agreement by claim kind (a case counts under each kind it holds):")
    kinds = sorted({c.kind for r in decided for c in r.case.facts.all_claims()})
    for kind in kinds:
        group = [r for r in decided if any(c.kind == kind for c in r.case.facts.all_claims())]
        lines.append(f"  {kind:<28} {sum(map(_agrees, group))}/{len(group)}")
    return lines
