"""The same rule files, evaluated by plain Python: for sweeps where durable_rules is the wall.

durable_rules stays the engine of record. This evaluator reads the very same Rule models and
implements the same condition language (equality, any-of lists, `not`, ordered comparisons,
`any` alternatives, `$bind.field` joins, `absent`), producing the same firings in the same
canonical order; tests/test_differential.py holds the two to identical decisions and traces on
every case and on thousands of generated fact patterns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from engine.reasoning.rulebook import PROFILES, REF, STAGES, Condition, Rule, RuleBook
from engine.reasoning.runtime import fire
from engine.reasoning.trace import Firing

Fact = dict[str, Any]
_MISSING = object()


Predicate = Callable[[Fact, dict[str, Fact]], bool]


def _value_of(operand: Any) -> Callable[[dict[str, Fact]], Any]:
    """A constant, or the field of a bound fact (`$bind.field`)."""
    if isinstance(operand, str) and (ref := REF.match(operand)):
        name, field = ref.groups()
        return lambda bound: bound[name].get(field, _MISSING)
    return lambda bound: operand


def _same(a: Any, b: Any) -> bool:
    """Equality as JSON sees it: true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return a == b


def _literal(value: Any) -> bool:
    return not (isinstance(value, str) and REF.match(value))


def _clause(field: str, condition: Any) -> Predicate:
    if field == "any":
        alternatives = [compile_where(alt) for alt in condition]
        return lambda fact, bound: any(alt(fact, bound) for alt in alternatives)
    if isinstance(condition, list):
        if all(_literal(c) and isinstance(c, str) for c in condition):
            options_set = frozenset(condition)
            return lambda fact, bound: fact.get(field, _MISSING) in options_set
        options = [_value_of(c) for c in condition]
        return lambda fact, bound: (
            (v := fact.get(field, _MISSING)) is not _MISSING and any(_same(v, o(bound)) for o in options)
        )
    if isinstance(condition, dict):
        tests = []
        for op, operand in condition.items():
            if op == "not":
                options = [_value_of(o) for o in (operand if isinstance(operand, list) else [operand])]
                tests.append(lambda v, bound, options=options: not any(_same(v, o(bound)) for o in options))
            else:
                other, compare = _value_of(operand), ORDERED[op]
                tests.append(lambda v, bound, other=other, compare=compare: _ordered(v, other(bound), compare))
        return lambda fact, bound: (v := fact.get(field, _MISSING)) is not _MISSING and all(t(v, bound) for t in tests)
    if _literal(condition):
        if isinstance(condition, bool):
            return lambda fact, bound: fact.get(field, _MISSING) is condition
        if isinstance(condition, str):
            return lambda fact, bound: fact.get(field, _MISSING) == condition
    expected = _value_of(condition)
    return lambda fact, bound: (v := fact.get(field, _MISSING)) is not _MISSING and _same(v, expected(bound))


def _ordered(value: Any, other: Any, compare: Callable[[Any, Any], bool]) -> bool:
    numbers = (int, float)
    if (
        isinstance(value, bool)
        or isinstance(other, bool)
        or not isinstance(value, numbers)
        or not isinstance(other, numbers)
    ):
        return False
    return compare(value, other)


ORDERED: dict[str, Callable[[Any, Any], bool]] = {
    "gte": lambda a, b: a >= b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "lt": lambda a, b: a < b,
}


def compile_where(where: dict[str, Any]) -> Predicate:
    """A `where` mapping as one Python predicate over (fact, bound facts)."""
    clauses = tuple(_clause(field, condition) for field, condition in where.items())

    def predicate(fact: Fact, bound: dict[str, Fact]) -> bool:
        for clause in clauses:
            if not clause(fact, bound):
                return False
        return True

    return predicate


Step = tuple[Condition, Predicate, "tuple[str, str, str] | None"]


def _join_key(cond: Condition) -> tuple[str, str, str] | None:
    """(field, bound name, bound field) of the first plain `field: $bind.field` equality, for indexing."""
    for field, value in cond.where.items():
        if isinstance(value, str) and (ref := REF.match(value)):
            return field, ref.group(1), ref.group(2)
    return None


class PyRuntime:
    """Drop-in for Runtime.run_stage, without durable_rules."""

    def __init__(self, rulebook: RuleBook):
        self.rulebook = rulebook
        self._plans: dict[tuple[str, str], list[tuple[Rule, list[Step], list[Step]]]] = {}
        for s in STAGES:
            for p in PROFILES:
                self._plans[(s, p)] = [
                    (
                        rule,
                        [(c, compile_where(c.where), _join_key(c)) for c in rule.when if not c.absent],
                        [(c, compile_where(c.where), _join_key(c)) for c in rule.when if c.absent],
                    )
                    for rule in rulebook.for_stage(s, p)
                ]
        self._types = {
            key: frozenset(c.fact for rule, *_ in plan for c in rule.when) for key, plan in self._plans.items()
        }
        self._needs = {
            key: [frozenset(c.fact for c, _, _ in pos) for _, pos, _ in plan] for key, plan in self._plans.items()
        }

    def run_stage(
        self, stage: str, profile: str, facts: Iterable[Fact], evaluation: str = "jurisdiction"
    ) -> list[Firing]:
        plan = self._plans.get((stage, profile))
        if not plan:
            return []
        index = _Index(facts, self._types[(stage, profile)])
        firings = []
        present = index.by_type.keys()
        for (rule, positives, negatives), needed in zip(plan, self._needs[(stage, profile)], strict=True):
            if not needed <= present:
                continue  # some positive condition has no fact of its type at all
            for bound in _joins(positives, index, {}):
                if any(any(test(f, bound) for f in index.candidates(c, key, bound)) for c, test, key in negatives):
                    continue
                firings.append(
                    fire(rule, bound, evaluation)
                )  # `bound` is a fresh dict per match; facts are never mutated
        return firings


class _Index:
    """Facts by type, and lazily by (type, field, value) for equality joins; input order kept."""

    def __init__(self, facts: Iterable[Fact], types: frozenset[str]):
        self.by_type: dict[str, list[Fact]] = {}
        for fact in facts:
            if fact["type"] in types:
                self.by_type.setdefault(fact["type"], []).append(fact)
        self._by_field: dict[tuple[str, str], dict[Any, list[Fact]]] = {}

    def candidates(self, cond: Condition, key: tuple[str, str, str] | None, bound: dict[str, Fact]) -> list[Fact]:
        if key is None:
            return self.by_type.get(cond.fact, [])
        field, name, source = key
        table = self._by_field.get((cond.fact, field))
        if table is None:
            table = {}
            for fact in self.by_type.get(cond.fact, ()):
                value = fact.get(field, _MISSING)
                if value is not _MISSING and not isinstance(value, (dict, list)):
                    table.setdefault((type(value) is bool, value), []).append(fact)
            self._by_field[(cond.fact, field)] = table
        value = bound[name].get(source, _MISSING)
        if value is _MISSING or isinstance(value, (dict, list)):
            return []
        return table.get((type(value) is bool, value), [])


def _joins(steps: list[Step], index: _Index, bound: dict[str, Fact]) -> Iterator[dict[str, Fact]]:
    if not steps:
        yield dict(bound)
        return
    (cond, test, key), rest = steps[0], steps[1:]
    for fact in index.candidates(cond, key, bound):
        if test(fact, bound):
            bound[cond.bind] = fact
            yield from _joins(rest, index, bound)
            del bound[cond.bind]


__all__ = ["PyRuntime", "compile_where"]
