"""Every rule fires in at least one test, and does not fire when a single condition fails.

For each rule we take a real firing from the case corpus (the facts it matched), re-run its
stage on exactly those facts (it must fire), then break one condition at a time: change one
field the condition tests to a value it rejects, or drop the fact a bare condition needs, or
add the fact an `absent` condition forbids. The rule must then not fire.
"""

from __future__ import annotations

from typing import Any

import pytest

from engine.analysis.regression import load_cases
from engine.reasoning.decide import Engine
from engine.reasoning.rulebook import REF, Condition, Rule, load_rulebook
from engine.reasoning.schema import BASE_FACTS
from engine.reasoning.trace import Firing

BOOK = load_rulebook()


def _examples() -> dict[str, tuple[Firing, str]]:
    engine = Engine(BOOK)
    found: dict[str, tuple[Firing, str]] = {}
    for _, case in load_cases(["cases"]):
        for profile in ("majority", "dissent"):
            decision = engine.decide(case.facts, profile)
            for f in decision.trace + decision.merits_trace:
                found.setdefault(f.rule_id, (f, profile))
    return found


@pytest.fixture(scope="module")
def examples(engine):
    return _examples()


def _fires(engine, rule: Rule, profile: str, facts: list[dict[str, Any]]) -> list[Firing]:
    return [f for f in engine.runtime.run_stage(rule.stage, profile, facts) if f.rule_id == rule.id]


def _other_value(fact_type: str, field: str, value: Any, condition: Any) -> Any:
    """A value the condition rejects."""
    if isinstance(condition, str) and REF.match(condition):
        return "no-such-key"
    if isinstance(condition, dict):
        op, operand = next(iter(condition.items()))
        if op == "not":
            return operand[0] if isinstance(operand, list) else operand
        return {"gte": operand - 1, "gt": operand, "lte": operand + 1, "lt": operand}[op]
    rejected = condition if isinstance(condition, list) else [condition]
    allowed = BASE_FACTS.get(fact_type, {}).get(field)
    if isinstance(allowed, tuple):
        return next(v for v in allowed if v not in rejected)
    if isinstance(value, bool):
        return not value
    return "something-else"


def _break(cond: Condition, matched: dict[str, dict], facts: list[dict]) -> list[dict]:
    target = matched[cond.bind]
    plain = [(k, v) for k, v in cond.where.items() if k != "any"]
    if not plain:
        return [f for f in facts if f is not target]
    field, condition = plain[0]
    changed = dict(target, **{field: _other_value(cond.fact, field, target.get(field), condition)})
    return [changed if f is target else f for f in facts]


def _blocker(cond: Condition, matched: dict[str, dict]) -> dict:
    fact: dict[str, Any] = {"type": cond.fact}
    for field, condition in cond.where.items():
        if isinstance(condition, str) and (ref := REF.match(condition)):
            fact[field] = matched[ref.group(1)][ref.group(2)]
        elif isinstance(condition, list):
            fact[field] = condition[0]
        elif isinstance(condition, dict):
            fact[field] = "something-else"
        else:
            fact[field] = condition
    return fact


def test_every_rule_fires_somewhere_in_the_corpus(examples):
    assert sorted(set(BOOK.by_id) - set(examples)) == []


@pytest.mark.parametrize("rule", BOOK.rules, ids=[r.id for r in BOOK.rules])
def test_rule_fires_and_each_single_failed_condition_stops_it(engine, examples, rule):
    firing, profile = examples[rule.id]
    facts = list(firing.matched.values())
    assert _fires(engine, rule, profile, facts), "the rule must fire on the facts it matched in the corpus"
    for cond in rule.when:
        if cond.absent:
            broken = facts + [_blocker(cond, firing.matched)]
        else:
            broken = _break(cond, firing.matched, facts)
        assert not _fires(engine, rule, profile, broken), (
            f"still fires with condition on {cond.fact} ({cond.bind}) broken"
        )
