"""The same rule files, evaluated by plain Python: for sweeps where durable_rules is the wall.

durable_rules stays the engine of record. This evaluator reads the very same Rule models and
implements the same condition language (equality, any-of lists, `not`, ordered comparisons,
`any` alternatives, `$bind.field` joins, `absent`), producing the same firings in the same
canonical order; tests/test_differential.py holds the two to identical decisions and traces on
every case and on thousands of generated fact patterns.

Each rule is compiled once per process into a chain of closures, one per positive condition,
in a join order chosen from its `where` clauses: a condition that can be looked up in an index
(an equality with a bound field, or with a literal) goes before one that must scan its fact
type. Facts are indexed once per pipeline run (by type, and lazily by (type, field) for
lookups); each stage's conclusions are appended to that index instead of rebuilding it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from engine.reasoning.pysource import MISSING, compile_stage
from engine.reasoning.rulebook import PROFILES, REF, STAGES, Condition, Rule, RuleBook
from engine.reasoning.runtime import Check, Settle, dedupe, fire
from engine.reasoning.trace import Firing

Fact = dict[str, Any]
_MISSING = MISSING


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
    if not clauses:
        return lambda fact, bound: True
    if len(clauses) == 1:
        return clauses[0]

    def predicate(fact: Fact, bound: dict[str, Fact]) -> bool:
        for clause in clauses:
            if not clause(fact, bound):
                return False
        return True

    return predicate


# -- indexes -------------------------------------------------------------------------------
def _index_key(value: Any) -> tuple[bool, Any] | None:
    """The key a value is filed under: equal values share one, and true never meets 1."""
    if value is _MISSING or isinstance(value, (dict, list)):
        return None
    return (type(value) is bool, value)


Entry = tuple[int, Fact]  # (position in the input, fact)


class _Index:
    """Facts by type, and lazily by (type, field, value); input order kept, appendable."""

    __slots__ = ("by_type", "_tables", "_count")

    def __init__(self) -> None:
        self.by_type: dict[str, list[Entry]] = {}
        self._tables: dict[str, dict[str, dict[Any, list[Entry]]]] = {}
        self._count = 0

    def add(self, facts: Iterable[Fact]) -> None:
        by_type, tables, count = self.by_type, self._tables, self._count
        for fact in facts:
            count += 1
            entry = (count, fact)
            kind = fact["type"]
            entries = by_type.get(kind)
            if entries is None:
                by_type[kind] = [entry]
            else:
                entries.append(entry)
            by_field = tables.get(kind)
            if by_field:
                for field, table in by_field.items():
                    key = _index_key(fact.get(field, _MISSING))
                    if key is not None:
                        table.setdefault(key, []).append(entry)
        self._count = count

    def lookup(self, kind: str, field: str, value: Any) -> list[Entry]:
        key = _index_key(value)
        if key is None:
            return []
        by_field = self._tables.setdefault(kind, {})
        table = by_field.get(field)
        if table is None:
            table = by_field[field] = {}
            for entry in self.by_type.get(kind, ()):
                k = _index_key(entry[1].get(field, _MISSING))
                if k is not None:
                    table.setdefault(k, []).append(entry)
        return table.get(key, [])


# -- join planning ---------------------------------------------------------------------------
def _refs(value: Any) -> set[str]:
    """Bound names a where value refers to, at any depth."""
    if isinstance(value, str):
        return {m.group(1)} if (m := REF.match(value)) else set()
    if isinstance(value, list):
        return set().union(*map(_refs, value)) if value else set()
    if isinstance(value, dict):
        return set().union(*map(_refs, value.values())) if value else set()
    return set()


Lookup = tuple[str, "str | None", Any]  # (field, bound name or None for a literal, bound field or literal)


def _lookup(cond: Condition, bound: set[str]) -> Lookup | None:
    """An equality clause that an index can answer: with a bound field first, else with a literal."""
    for field, value in cond.where.items():
        if field != "any" and isinstance(value, str) and (ref := REF.match(value)) and ref.group(1) in bound:
            return field, ref.group(1), ref.group(2)
    for field, value in cond.where.items():
        if field != "any" and isinstance(value, (str, bool)) and _literal(value):
            return field, None, value
    return None


def plan_joins(positives: list[Condition]) -> list[Condition]:
    """The order to join a rule's positive conditions in, chosen from their `where` clauses.

    At each step, among the conditions whose references are all bound, take one an index can
    answer through a bound field (a join: few candidates), else one with a literal equality
    (a filtered lookup), else the first in rule order (a scan of its type).
    """
    remaining, bound, order = list(positives), set(), []
    while remaining:
        ready = [c for c in remaining if _refs(c.where) <= bound] or remaining[:1]

        def score(c: Condition) -> int:
            key = _lookup(c, bound)
            return 0 if key and key[1] is not None else 1 if key else 2

        best = min(ready, key=score)  # min keeps rule order among equals
        order.append(best)
        remaining.remove(best)
        bound.add(best.bind)
    return order


Out = list[tuple[tuple[int, ...], dict[str, Fact]]]
StepFn = Callable[[_Index, dict[str, Fact], tuple[int, ...], Out], None]


SCAN = 4  # up to this many facts of a type, testing each beats building an index table


def _candidates(cond: Condition, bound_before: set[str]) -> tuple[Callable[[_Index, dict[str, Fact]], Any], Predicate]:
    """How to find a condition's facts: (candidate entries, the test each must still pass).

    An index lookup answers one equality clause, so its candidates skip that clause; a scan of
    a type with few facts tests them all.
    """
    full = compile_where(cond.where)
    key = _lookup(cond, bound_before)
    kind = cond.fact
    if key is None:
        return (lambda index, bound: (index.by_type.get(kind, ()), full)), full
    rest = compile_where({f: v for f, v in cond.where.items() if f != key[0]})
    field, name, source = key

    def candidates(index: _Index, bound: dict[str, Fact]) -> tuple[list[Entry], Predicate]:
        entries = index.by_type.get(kind, ())
        if len(entries) <= SCAN:
            return entries, full
        value = source if name is None else bound[name].get(source, _MISSING)
        return index.lookup(kind, field, value), rest

    return candidates, full


def _step(cond: Condition, bound_before: set[str], nxt: StepFn) -> StepFn:
    """One positive condition: its candidates from the index, each tested, then the next step."""
    candidates, _ = _candidates(cond, bound_before)
    bind = cond.bind

    def run(index: _Index, bound: dict[str, Fact], pos: tuple[int, ...], out: Out) -> None:
        entries, test = candidates(index, bound)
        for p, fact in entries:
            if test(fact, bound):
                bound[bind] = fact
                nxt(index, bound, pos + (p,), out)
        bound.pop(bind, None)

    return run


def _absent(cond: Condition, bound_names: set[str]) -> Callable[[_Index, dict[str, Fact]], bool]:
    """True when some fact meets a negated condition (so the match is rejected)."""
    candidates, _ = _candidates(cond, bound_names)

    def blocked(index: _Index, bound: dict[str, Fact]) -> bool:
        entries, test = candidates(index, bound)
        for _, fact in entries:
            if test(fact, bound):
                return True
        return False

    return blocked


class _CompiledRule:
    """One rule as closures: its join chain, its negations, and how to restore rule order."""

    __slots__ = ("rule", "needed", "run")

    def __init__(self, rule: Rule):
        positives = [c for c in rule.when if not c.absent]
        negatives = [c for c in rule.when if c.absent]
        planned = plan_joins(positives)
        binds = [c.bind for c in positives]
        all_bound = set(binds)
        blockers = [_absent(c, all_bound) for c in negatives]
        # the plan's positions, permuted back to the order the conditions are written in
        perm = [planned.index(c) for c in positives]
        reordered = perm != list(range(len(perm)))

        def final(index: _Index, bound: dict[str, Fact], pos: tuple[int, ...], out: Out) -> None:
            for blocked in blockers:
                if blocked(index, bound):
                    return
            if reordered:
                out.append((tuple(pos[i] for i in perm), {b: bound[b] for b in binds}))
            else:
                out.append((pos, dict(bound)))

        chain: StepFn = final
        for i in range(len(planned) - 1, -1, -1):
            chain = _step(planned[i], {c.bind for c in planned[:i]}, chain)
        self.rule = rule
        self.needed = frozenset(c.fact for c in positives)
        self.run = chain if not reordered else _sorted(chain)


def _sorted(chain: StepFn) -> StepFn:
    """Matches in canonical order (by the input positions of the facts, in rule order)."""

    def run(index: _Index, bound: dict[str, Fact], pos: tuple[int, ...], out: Out) -> None:
        mine: Out = []
        chain(index, bound, pos, mine)
        mine.sort(key=lambda match: match[0])
        out.extend(mine)

    return run


class PyRuntime:
    """Drop-in for Runtime (run_stage, run_stages), without durable_rules."""

    def __init__(self, rulebook: RuleBook):
        self.rulebook = rulebook
        self._rules: dict[tuple[str, str], list[Rule]] = {
            (s, p): rules for s in STAGES for p in PROFILES if (rules := rulebook.for_stage(s, p))
        }
        # each stage written out as one Python function (pysource.py), once for a set of rules both
        # profiles share; the closures are built only for a stage the generator declines
        written: dict[tuple[str, ...], Callable | None] = {}
        self._generated: dict[tuple[str, str], Callable] = {}
        for key, rules in self._rules.items():
            ids = tuple(r.id for r in rules)
            if ids not in written:
                written[ids] = compile_stage(rules, plan_joins, fire)
            if written[ids] is not None:
                self._generated[key] = written[ids]
        self._closures: dict[tuple[str, str], list[_CompiledRule]] = {}

    def _run(self, stage: str, profile: str, index: _Index, evaluation: str) -> list[Firing]:
        generated = self._generated.get((stage, profile))
        if generated is not None:
            return generated(index.by_type, index.lookup, evaluation)
        key = (stage, profile)
        if key not in self._closures:
            self._closures[key] = [_CompiledRule(r) for r in self._rules.get(key, ())]
        firings: list[Firing] = []
        present = index.by_type.keys()
        for compiled in self._closures[key]:
            if not compiled.needed <= present:
                continue  # some positive condition has no fact of its type at all
            out: Out = []
            compiled.run(index, {}, (), out)
            rule = compiled.rule
            for _, bound in out:  # `bound` is a fresh dict per match; facts are never mutated
                firings.append(fire(rule, bound, evaluation))
        return firings

    def run_stage(
        self, stage: str, profile: str, facts: Iterable[Fact], evaluation: str = "jurisdiction"
    ) -> list[Firing]:
        """One stage's firings on the facts, in canonical order."""
        if (stage, profile) not in self._rules:
            return []
        index = _Index()
        index.add(facts)
        return self._run(stage, profile, index, evaluation)

    def run_stages(
        self,
        stages: Iterable[str],
        profile: str,
        facts: Iterable[Fact],
        evaluation: str = "jurisdiction",
        check: Check | None = None,
        settle: Settle | None = None,
    ) -> tuple[list[Fact], list[Firing]]:
        """Stages in order over one index; each stage's conclusions are added for the next.

        As Runtime.run_stages: `settle` keeps the firings that stand, `check` sees everything so far.
        """
        with self.session("", profile, evaluation, check, settle) as session:
            return session.run(stages, facts)

    def session(
        self,
        pipeline: str,
        profile: str,
        evaluation: str = "jurisdiction",
        check: Check | None = None,
        settle: Settle | None = None,
    ) -> _PySession:
        """As Runtime.session: several runs of stages over one index of the facts."""
        return _PySession(self, profile, evaluation, check, settle)


class _PySession:
    """Runs of stages over one appendable index (Runtime.session's counterpart)."""

    def __init__(self, runtime: PyRuntime, profile: str, evaluation: str, check: Check | None, settle: Settle | None):
        self.runtime, self.profile, self.evaluation = runtime, profile, evaluation
        self.check, self.settle = check, settle
        self.facts: list[Fact] = []
        self.index = _Index()
        self.trace: list[Firing] = []

    def __enter__(self) -> _PySession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, stages: Iterable[str], new_facts: Iterable[Fact]) -> tuple[list[Fact], list[Firing]]:
        """Add the facts, run the stages in order; return every fact so far and this run's firings."""
        facts, index = self.facts, self.index
        added = list(new_facts)
        facts += added
        index.add(added)
        trace: list[Firing] = []
        for stage in stages:
            firings = self.runtime._run(stage, self.profile, index, self.evaluation)
            if self.settle is not None and firings:
                firings = self.settle(firings)
            if not firings:
                continue
            derived = dedupe(a for f in firings for a in f.asserted)
            facts += derived
            index.add(derived)
            trace += firings
            self.trace += firings
            if self.check is not None:
                self.check(facts, self.trace)
        return list(facts), trace


__all__ = ["PyRuntime", "compile_where", "plan_joins"]
