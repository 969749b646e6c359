"""Rule conditions (data) to durable_rules rulesets (the engine's own dict form).

No Python is generated or evaluated: each `where` mapping becomes durable's JSON expression
language. Bound names are prefixed (`b_`) so a rule author can never collide with durable's
reserved names (`m`, `s`). One ruleset per (stage, profile); rule ids reach the engine as-is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.reasoning.rulebook import REF, Condition, Rule

DURABLE_OP = {"not": "$neq", "gte": "$gte", "lte": "$lte", "gt": "$gt", "lt": "$lt"}


def alias(bind: str) -> str:
    """The name a binding has inside durable_rules."""
    return f"b_{bind}"


def compile_where(where: dict[str, Any]) -> list[dict[str, Any]]:
    """Translate a `where` mapping to a list of durable clauses (to be and-ed)."""
    clauses: list[dict[str, Any]] = []
    for field, value in where.items():
        if field == "any":
            clauses.append({"$or": [_conj(compile_where(alt)) for alt in value]})
        elif isinstance(value, list):
            clauses.append({"$or": [_term(field, v) for v in value]})
        elif isinstance(value, dict):
            for op, operand in value.items():
                if op == "not" and isinstance(operand, list):
                    clauses.extend({"$neq": {field: _operand(v)}} for v in operand)
                else:
                    clauses.append({DURABLE_OP[op]: {field: _operand(operand)}})
        else:
            clauses.append(_term(field, value))
    return clauses


def _conj(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _operand(value: Any) -> Any:
    if isinstance(value, str) and (ref := REF.match(value)):
        return {alias(ref.group(1)): ref.group(2)}
    return value


def _term(field: str, value: Any) -> dict[str, Any]:
    return {field: _operand(value)}


def compile_condition(cond: Condition) -> dict[str, Any]:
    """One condition: the fact type plus its `where`, under its alias (or `alias$not`)."""
    expr = _conj([{"type": cond.fact}, *compile_where(cond.where)])
    name = alias(cond.bind) + ("$not" if cond.absent else "")
    return {name: expr}


def compile_rule(rule: Rule, action: Callable[[Any], None] | None = None) -> dict[str, Any]:
    """The durable definition of one rule: positive conditions first, then negations."""
    ordered = [c for c in rule.when if not c.absent] + [c for c in rule.when if c.absent]
    definition: dict[str, Any] = {"all": [compile_condition(c) for c in ordered]}
    if action is not None:
        definition["run"] = action
    return definition


CONTROL_BIND = "stage"  # not `b_`-prefixed, so no rule's own binding can take it


def compile_stage_rule(rule: Rule, control: str) -> dict[str, Any]:
    """A rule gated by its stage: it completes only while the control fact for its stage is held.

    The control condition comes first, so durable joins a rule's facts only once its stage runs.
    """
    gate = {CONTROL_BIND: {"$and": [{"type": control}, {"stage": rule.stage}]}}
    return {"all": [gate, *compile_rule(rule)["all"]]}


SENTINEL_ID = "engine.every_fact_is_handled"


def sentinel_rule() -> dict[str, dict[str, Any]]:
    """A rule every fact half-matches and none completes, keyed by its id.

    durable_rules 2.0.28 stores state for a fact that matches no rule, raises "not handled", and
    then crashes the process (or, if the state is kept, runs out of session slots) when that
    state is deleted; in a batch, one such fact makes the whole batch unhandled. Joining "any
    fact" with a fact type that never exists makes every fact handled without ever completing.
    """
    return {SENTINEL_ID: {"all": [{"b_any": {"$ex": {"type": 1}}}, {"b_never": {"type": "__never__"}}]}}


WARM_ID = "engine.first_state_is_clean"
WARM_FACT = "__warm__"


def warm_rule() -> dict[str, dict[str, Any]]:
    """A rule one `__warm__` fact completes alone, for the runtime's first session (runtime.py).

    durable_rules 2.0.28 leaves a new session's action context uninitialised until an action has
    run in it, and deleting a session in which none ever ran frees that garbage ("double free or
    corruption"). Sessions reuse one slot, so running one action in the first session, at start-up,
    leaves the slot's context clean for every session after it.
    """
    return {WARM_ID: {"all": [{"w": {"type": WARM_FACT}}]}}


def fields_read(rules: list[Rule]) -> dict[str, frozenset[str]]:
    """For each fact type, the fields some condition tests or some reference reads.

    Only these decide a match, so they are all the engine is sent; the firing record takes the
    whole fact from the caller's list, by the position durable hands back.
    """
    read: dict[str, set[str]] = {}
    for rule in rules:
        types = {c.bind: c.fact for c in rule.when}
        for cond in rule.when:
            _where_fields(cond.where, read.setdefault(cond.fact, set()), types, read)
    return {fact: frozenset(fields) for fact, fields in read.items()}


def _where_fields(where: dict[str, Any], own: set[str], types: dict[str, str], read: dict[str, set[str]]) -> None:
    for field, value in where.items():
        if field == "any":
            for alternative in value:
                _where_fields(alternative, own, types, read)
            continue
        own.add(field)
        for operand in _operands(value):
            if isinstance(operand, str) and (ref := REF.match(operand)) and ref.group(1) in types:
                read.setdefault(types[ref.group(1)], set()).add(ref.group(2))


def _operands(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [o for operand in value.values() for o in (operand if isinstance(operand, list) else [operand])]
    return [value]


def fact_types(rules: list[Rule]) -> tuple[list[str], list[str]]:
    """Fact types the rules read: (types under negation, other types), each sorted."""
    negated = sorted({c.fact for r in rules for c in r.when if c.absent})
    positive = sorted({c.fact for r in rules for c in r.when if not c.absent} - set(negated))
    return negated, positive


__all__ = [
    "SENTINEL_ID",
    "WARM_ID",
    "WARM_FACT",
    "alias",
    "compile_condition",
    "compile_rule",
    "compile_stage_rule",
    "compile_where",
    "fact_types",
    "fields_read",
    "sentinel_rule",
]
