"""Every rule fires in at least one test, and every field it tests is shown to matter.

For each rule we take a real firing from the case corpus (the facts it matched) and re-run its
stage on exactly those facts (it must fire). Then, one at a time, we break every field of every
condition: change the field to a value the condition rejects (the rule must then not fire), drop
the fact a bare condition needs, or add the fact an `absent` condition forbids. For an `any`, each
alternative is made the only one that holds (the rule must still fire) and each of its fields is
then broken. A field no near-miss shows to matter must be listed in UNCOVERED with the reason;
a field whose condition accepts every value it can take is reported as dead.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.analysis.regression import load_cases
from engine.reasoning.decide import Engine
from engine.reasoning.lint import _fields, produced
from engine.reasoning.rulebook import REF, Condition, Rule, load_rulebook
from engine.reasoning.trace import Firing

BOOK = load_rulebook()
DERIVED = produced(BOOK)
NO_VALUE = object()
# (rule id, condition bind, field path) -> why no near-miss can show the field matters.
UNCOVERED: dict[tuple[str, str, str], str] = {}


def _examples() -> dict[str, tuple[Firing, str]]:
    engine = Engine(BOOK)
    found: dict[str, tuple[Firing, str]] = {}
    for _, case in load_cases(["cases"]):
        for profile in ("majority", "dissent"):
            decision = engine.decide(case.facts, profile)
            for f in decision.trace + decision.merits_trace + decision.factor_trace:
                found.setdefault(f.rule_id, (f, profile))
    return found


@pytest.fixture(scope="module")
def examples(engine):
    return _examples()


def _fires(engine, rule: Rule, profile: str, facts: list[dict[str, Any]]) -> bool:
    return any(f.rule_id == rule.id for f in engine.runtime.run_stage(rule.stage, profile, facts))


def _domain(fact_type: str, field: str) -> tuple | None:
    allowed = _fields(fact_type, DERIVED).get(field)
    return allowed if isinstance(allowed, tuple) else None


def _resolve(operand: Any, matched: dict[str, dict]) -> Any:
    if isinstance(operand, str) and (ref := REF.match(operand)):
        return matched[ref.group(1)].get(ref.group(2))
    return operand


def _rejected(fact_type: str, field: str, condition: Any, matched: dict[str, dict]) -> Any:
    """A value the condition rejects, or NO_VALUE when it accepts every value the field can take."""
    if isinstance(condition, dict):
        op, operand = next(iter(condition.items()))
        operand = _resolve(operand, matched)
        if op == "not":
            return operand[0] if isinstance(operand, list) else operand
        return {"gte": operand - 1, "gt": operand, "lte": operand + 1, "lt": operand}[op]
    accepted = [_resolve(c, matched) for c in (condition if isinstance(condition, list) else [condition])]
    domain = _domain(fact_type, field)
    if domain is None:
        return "no-such-value"
    return next((v for v in domain if not any(v is a or (v == a and type(v) is type(a)) for a in accepted)), NO_VALUE)


def _accepted(fact_type: str, field: str, condition: Any, matched: dict[str, dict]) -> Any:
    """A value the condition accepts."""
    if isinstance(condition, dict):
        op, operand = next(iter(condition.items()))
        operand = _resolve(operand, matched)
        if op == "not":
            rejected = operand if isinstance(operand, list) else [operand]
            domain = _domain(fact_type, field) or ("some-other-value",)
            return next(v for v in domain if v not in rejected)
        return operand + {"gte": 0, "gt": 1, "lte": 0, "lt": -1}[op]
    return _resolve(condition[0] if isinstance(condition, list) else condition, matched)


def _with(facts: list[dict], target: dict, changes: dict[str, Any]) -> tuple[list[dict], dict]:
    changed = dict(target, **changes)
    return [changed if f is target else f for f in facts], changed


def _blocker(cond: Condition, matched: dict[str, dict]) -> dict:
    fact: dict[str, Any] = {"type": cond.fact}
    for field, condition in cond.where.items():
        if field == "any":
            condition = condition[0]
            for f2, c2 in condition.items():
                fact[f2] = _accepted(cond.fact, f2, c2, matched)
            continue
        fact[field] = _accepted(cond.fact, field, condition, matched)
    return fact


def near_misses(engine, rule: Rule, firing: Firing, profile: str) -> dict[tuple[str, str], str]:
    """Every field path of the rule -> 'matters', or why no near-miss showed that it does."""
    facts = list(firing.matched.values())
    out: dict[tuple[str, str], str] = {}
    for cond in rule.when:
        if cond.absent:
            blocked = _fires(engine, rule, profile, facts + [_blocker(cond, firing.matched)])
            out[(cond.bind, "absent")] = "still fires with the forbidden fact present" if blocked else "matters"
            continue
        target = firing.matched[cond.bind]
        if not cond.where:
            dropped = _fires(engine, rule, profile, [f for f in facts if f is not target])
            out[(cond.bind, "exists")] = "still fires without the fact" if dropped else "matters"
        for field, condition in cond.where.items():
            if field == "any":
                out.update(_any_misses(engine, rule, profile, cond, condition, facts, target, firing.matched))
                continue
            out[(cond.bind, field)] = _miss(engine, rule, profile, cond, field, condition, facts, target, firing)
    return out


def _miss(engine, rule, profile, cond, field, condition, facts, target, firing) -> str:
    value = _rejected(cond.fact, field, condition, firing.matched)
    if value is NO_VALUE:
        return "dead: the condition accepts every value the field can take"
    broken, _ = _with(facts, target, {field: value})
    return f"still fires with {field}={value!r}" if _fires(engine, rule, profile, broken) else "matters"


def _any_misses(engine, rule, profile, cond, alternatives, facts, target, matched) -> dict[tuple[str, str], str]:
    out = {}
    for k, alt in enumerate(alternatives):
        only: dict[str, Any] = {}
        for j, other in enumerate(alternatives):
            if j != k:
                for f2, c2 in other.items():
                    value = _rejected(cond.fact, f2, c2, matched)
                    if value is not NO_VALUE:
                        only[f2] = value
        only.update({f2: _accepted(cond.fact, f2, c2, matched) for f2, c2 in alt.items()})
        alone, changed = _with(facts, target, only)
        if not _fires(engine, rule, profile, alone):
            out.update({(cond.bind, f"any[{k}].{f2}"): "does not fire with only this alternative" for f2 in alt})
            continue
        for f2, c2 in alt.items():
            value = _rejected(cond.fact, f2, c2, matched)
            path = (cond.bind, f"any[{k}].{f2}")
            if value is NO_VALUE:
                out[path] = "dead: the condition accepts every value the field can take"
                continue
            broken, _ = _with(alone, changed, {f2: value})
            out[path] = f"still fires with {f2}={value!r}" if _fires(engine, rule, profile, broken) else "matters"
    return out


def test_every_rule_fires_somewhere_in_the_corpus(examples):
    assert sorted(set(BOOK.by_id) - set(examples)) == []


@pytest.mark.parametrize("rule", BOOK.rules, ids=[r.id for r in BOOK.rules])
def test_rule_fires_and_every_field_it_tests_is_shown_to_matter(engine, examples, rule):
    firing, profile = examples[rule.id]
    facts = list(firing.matched.values())
    assert _fires(engine, rule, profile, facts), "the rule must fire on the facts it matched in the corpus"
    results = near_misses(engine, rule, firing, profile)
    unexplained = {
        f"{bind}.{path}: {why}"
        for (bind, path), why in results.items()
        if why != "matters" and (rule.id, bind, path) not in UNCOVERED
    }
    assert not unexplained, "fields no near-miss shows to matter (fix the rule or list them in UNCOVERED)"


def test_uncovered_fields_are_still_uncovered(engine, examples):
    """The exemption list does not outlive the reason for it."""
    for rule_id, bind, path in UNCOVERED:
        firing, profile = examples[rule_id]
        assert near_misses(engine, BOOK.by_id[rule_id], firing, profile)[(bind, path)] != "matters"
