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


def compile_rule(rule: Rule, action: Callable[[Any], None]) -> dict[str, Any]:
    """The durable definition of one rule: positive conditions first, then negations."""
    ordered = [c for c in rule.when if not c.absent] + [c for c in rule.when if c.absent]
    return {"all": [compile_condition(c) for c in ordered], "run": action}


SENTINEL_ID = "engine.every_fact_is_handled"


def sentinel_rule(action: Callable[[Any], None]) -> dict[str, Any]:
    """A rule every fact half-matches and none completes.

    durable_rules 2.0.28 stores state for a fact that matches no rule, raises "not handled", and
    then crashes the process (or, if the state is kept, runs out of session slots) when that
    state is deleted. Joining "any fact" with a fact type that never exists makes every fact
    handled without ever firing an action.
    """
    return {"all": [{"b_any": {"$ex": {"type": 1}}}, {"b_never": {"type": "__never__"}}], "run": action}


def fact_types(rules: list[Rule]) -> tuple[list[str], list[str]]:
    """Fact types the rules read: (types under negation, other types), each sorted."""
    negated = sorted({c.fact for r in rules for c in r.when if c.absent})
    positive = sorted({c.fact for r in rules for c in r.when if not c.absent} - set(negated))
    return negated, positive


__all__ = ["SENTINEL_ID", "alias", "compile_condition", "compile_rule", "compile_where", "fact_types"]
