"""Each stage's rules as one generated Python function: the Python evaluator's hot path.

The closures of pyeval.py pay a Python call per clause and per join step; a stage written out
as plain nested loops and inline comparisons does the same work in a fraction of the time.
The source is generated once per process from the very Rule models (never from text a user
typed into Python), compiled with `compile`, and keeps every semantic of the closures: JSON
equality (true is not 1), a missing field matches nothing, `any` alternatives, `$bind.field`
joins, `absent` conditions judged after the positives, the join order of `plan_joins`, index
lookups past a few facts of a type, and canonical order (rule order, then input positions in
the order the conditions are written). tests/test_differential.py holds it to durable_rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.reasoning.rulebook import REF, Condition, Rule

MISSING = object()
SCAN = 4  # up to this many facts of a type, testing each beats building an index table


def same(a: Any, b: Any) -> bool:
    """Equality as JSON sees it: true is not 1; a missing value equals nothing."""
    if a is MISSING or b is MISSING:
        return False
    if a.__class__ is bool or b.__class__ is bool:
        return a is b
    return a == b


def ordered(value: Any, other: Any, op: str) -> bool:
    """An ordered comparison between two numbers (never booleans); anything else is false."""
    numbers = (int, float)
    if value.__class__ is bool or other.__class__ is bool:
        return False
    if not isinstance(value, numbers) or not isinstance(other, numbers):
        return False
    if op == "gte":
        return value >= other
    if op == "lte":
        return value <= other
    if op == "gt":
        return value > other
    return value < other


class Unsupported(Exception):
    """A rule the generator does not write out (a reference to a name not yet bound)."""


class _Writer:
    """Source lines, fresh temporaries and the constants the source refers to by name."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self._n = 0

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def temp(self) -> str:
        self._n += 1
        return f"_t{self._n}"

    def const(self, value: Any) -> str:
        """A literal in the source: strings, booleans and ints by repr, anything else by name."""
        if value is None or value.__class__ in (bool, str, int):
            return repr(value)
        name = f"_k{len(self.consts)}"
        self.consts[name] = value
        return name


def _operand(value: Any, bound: set[str], w: _Writer) -> str:
    """A value in a condition: a literal, or the field of a bound fact (missing -> MISSING)."""
    if isinstance(value, str) and (ref := REF.match(value)):
        name, field = ref.groups()
        if name not in bound:
            raise Unsupported(name)
        return f"b_{name}.get({field!r}, MISSING)"
    return w.const(value)


def _literal(value: Any) -> bool:
    return not (isinstance(value, str) and REF.match(value))


def _clause(var: str, field: str, condition: Any, bound: set[str], w: _Writer) -> str:
    """One `where` clause as a Python expression over the fact in `var`."""
    if field == "any":
        return "(" + " or ".join(where_expr(var, alt, bound, w) for alt in condition) + ")"
    get = f"{var}.get({field!r}, MISSING)"
    if isinstance(condition, list):
        if all(_literal(c) and isinstance(c, str) for c in condition):
            return f"{get} in {w.const(frozenset(condition))}"
        t = w.temp()
        options = " or ".join(f"same({t}, {_operand(c, bound, w)})" for c in condition) or "False"
        return f"(({t} := {get}) is not MISSING and ({options}))"
    if isinstance(condition, dict):
        t = w.temp()
        tests = []
        for op, operand in condition.items():
            if op == "not":
                options = operand if isinstance(operand, list) else [operand]
                tests += [f"not same({t}, {_operand(o, bound, w)})" for o in options]
            else:
                tests.append(f"ordered({t}, {_operand(operand, bound, w)}, {op!r})")
        return f"(({t} := {get}) is not MISSING" + "".join(f" and {x}" for x in tests) + ")"
    if _literal(condition):
        if condition.__class__ is bool:
            return f"{get} is {condition!r}"
        if condition.__class__ is str:
            return f"{get} == {condition!r}"
    return f"same({get}, {_operand(condition, bound, w)})"


def where_expr(var: str, where: dict[str, Any], bound: set[str], w: _Writer) -> str:
    """A whole `where` mapping: every clause holds."""
    if not where:
        return "True"
    return "(" + " and ".join(_clause(var, f, c, bound, w) for f, c in where.items()) + ")"


def _lookup(cond: Condition, bound: set[str]) -> tuple[str, str] | None:
    """(field, value source) of the equality an index can answer, as pyeval._lookup chooses it."""
    for field, value in cond.where.items():
        if field != "any" and isinstance(value, str) and (ref := REF.match(value)) and ref.group(1) in bound:
            return field, f"b_{ref.group(1)}.get({ref.group(2)!r}, MISSING)"
    for field, value in cond.where.items():
        if field != "any" and isinstance(value, (str, bool)) and _literal(value):
            return field, repr(value)
    return None


def _candidates(cond: Condition, bound: set[str]) -> str:
    """The expression listing a condition's candidate entries: its type, or an index lookup."""
    key = _lookup(cond, bound)
    if key is None:
        return f"by_type.get({cond.fact!r}, ())"
    field, value = key
    return f"cands(by_type, lookup, {cond.fact!r}, {field!r}, {value})"


def write_rule(rule: Rule, planned: list[Condition], index: int, w: _Writer, depth: int) -> None:
    """A rule as nested loops appending (positions, bound facts) to `m`, then firing in order."""
    positives = [c for c in rule.when if not c.absent]
    negatives = [c for c in rule.when if c.absent]
    needed = sorted({c.fact for c in positives})
    w.emit(depth, "if " + " and ".join(f"{k!r} in by_type" for k in needed) + ":")
    depth += 1
    w.emit(depth, "m = []")
    bound: set[str] = set()
    d = depth
    for c in planned:
        key = _lookup(c, bound)
        if key is None:
            w.emit(d, f"for p_{c.bind}, b_{c.bind} in by_type.get({c.fact!r}, ()):")
        else:  # cands() written inline: a call per join step is most of what it costs
            e = w.temp()
            w.emit(d, f"{e} = by_type.get({c.fact!r}, ())")
            w.emit(d, f"if len({e}) > SCAN:")
            w.emit(d + 1, f"{e} = lookup({c.fact!r}, {key[0]!r}, {key[1]})")
            w.emit(d, f"for p_{c.bind}, b_{c.bind} in {e}:")
        bound.add(c.bind)
        w.emit(d + 1, f"if not {where_expr('b_' + c.bind, c.where, bound - {c.bind}, w)}:")
        w.emit(d + 2, "continue")
        d += 1
    for c in negatives:
        n = w.temp()
        w.emit(d, f"if any({where_expr(n, c.where, bound, w)} for _, {n} in {_candidates(c, bound)}):")
        w.emit(d + 1, "continue")
    positions = "(" + "".join(f"p_{c.bind}, " for c in positives) + ")"
    matched = "{" + ", ".join(f"{c.bind!r}: b_{c.bind}" for c in positives) + "}"
    w.emit(d, f"m.append(({positions}, {matched}))")
    if planned != positives:  # joined out of written order: restore canonical order
        w.emit(depth, "m.sort(key=first)")
    w.emit(depth, f"rule = rules[{index}]")
    w.emit(depth, "for _, matched in m:")
    w.emit(depth + 1, "firings.append(fire(rule, matched, evaluation))")


def cands(by_type: dict, lookup: Callable, kind: str, field: str, value: Any) -> Any:
    """A type's entries, or past SCAN of them the index's entries with that field's value."""
    entries = by_type.get(kind, ())
    return entries if len(entries) <= SCAN else lookup(kind, field, value)


def compile_stage(
    rules: list[Rule], plan: Callable[[list[Condition]], list[Condition]], fire: Callable
) -> Callable[[dict, Callable, str], list] | None:
    """One function running a stage's rules in order: (facts by type, index lookup, evaluation) ->
    firings. None when some rule cannot be written out (the caller keeps its closures)."""
    w = _Writer()
    w.emit(0, "def stage(by_type, lookup, evaluation):")
    w.emit(1, "firings = []")
    try:
        for i, rule in enumerate(rules):
            write_rule(rule, plan([c for c in rule.when if not c.absent]), i, w, 1)
    except Unsupported:
        return None
    w.emit(1, "return firings")
    namespace: dict[str, Any] = {
        "MISSING": MISSING,
        "same": same,
        "ordered": ordered,
        "cands": cands,
        "SCAN": SCAN,
        "first": _first,
        "fire": fire,
        "rules": list(rules),
        **w.consts,
    }
    exec(compile("\n".join(w.lines), f"<stage of {len(rules)} rules>", "exec"), namespace)  # noqa: S102
    return namespace["stage"]


def _first(match: tuple) -> Any:
    return match[0]
