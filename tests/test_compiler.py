"""Rule conditions compile to durable_rules' own dict form, exactly."""

from __future__ import annotations

from engine.reasoning.compiler import compile_rule, compile_where, fact_types
from engine.reasoning.rulebook import Rule

RULE = {
    "id": "test.rule.one",
    "title": "A rule used to pin the compiler's output.",
    "stage": "reliance",
    "authority": [{"cite": "Case v. Case, 1 U.S. 1 (1800)", "pin": "2", "supports": "nothing"}],
    "when": [
        {"bind": "r", "fact": "reliance", "where": {"reliance": "essential"}},
        {"bind": "g", "fact": "dispute_status", "where": {"dispute": "$r.dispute", "genuine": True}},
        {"bind": "x", "fact": "reliance_cleared", "where": {"argument": "$r.argument"}, "absent": True},
    ],
    "then": [{"fact": "argument_taint", "set": {"argument": "$r.argument"}}],
    "because": "Argument {r.argument} needs {g.dispute}.",
}


def action(c):  # pragma: no cover - never called here
    return None


def test_rule_compiles_to_the_exact_durable_definition():
    compiled = compile_rule(Rule.model_validate(RULE), action)
    assert compiled == {
        "all": [
            {"b_r": {"$and": [{"type": "reliance"}, {"reliance": "essential"}]}},
            {"b_g": {"$and": [{"type": "dispute_status"}, {"dispute": {"b_r": "dispute"}}, {"genuine": True}]}},
            {"b_x$not": {"$and": [{"type": "reliance_cleared"}, {"argument": {"b_r": "argument"}}]}},
        ],
        "run": action,
    }


def test_operators_lists_and_alternatives():
    assert compile_where({"v": [1, 2]}) == [{"$or": [{"v": 1}, {"v": 2}]}]
    assert compile_where({"v": {"not": True}}) == [{"$neq": {"v": True}}]
    assert compile_where({"v": {"not": ["a", "b"]}}) == [{"$neq": {"v": "a"}}, {"$neq": {"v": "b"}}]
    assert compile_where({"d": {"gte": 20170831}}) == [{"$gte": {"d": 20170831}}]
    assert compile_where({"any": [{"a": True}, {"b": True, "c": 1}]}) == [
        {"$or": [{"a": True}, {"$and": [{"b": True}, {"c": 1}]}]}
    ]


def test_negated_types_are_asserted_first():
    negated, positive = fact_types([Rule.model_validate(RULE)])
    assert negated == ["reliance_cleared"]
    assert positive == ["dispute_status", "reliance"]


def test_a_rule_needs_a_positive_condition():
    import pytest
    from pydantic import ValidationError

    bad = dict(RULE, when=[dict(RULE["when"][2])])
    with pytest.raises(ValidationError, match="not `absent`"):
        Rule.model_validate(bad)
