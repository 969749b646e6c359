"""The generated stage functions (pysource.py) against the closures they replace and against durable.

Crafted rules reach the corners of the condition language the corpus may not: true is not 1, an
ordered comparison never takes a boolean, `any` alternatives, lists with `$bind.field` members,
negations that join, joins planned out of written order (canonical order restored), and more facts
of a type than a scan takes (index lookups).
"""

from __future__ import annotations

import pytest

from engine.reasoning.pyeval import PyRuntime
from engine.reasoning.pysource import compile_stage, ordered, same
from engine.reasoning.rulebook import Rule, RuleBook
from engine.reasoning.runtime import Runtime, fire

AUTH = [{"cite": "Scott v. Harris, 550 U.S. 372 (2007)", "pin": "380", "supports": "test"}]


def rule(name: str, when: list[dict], then: dict | None = None) -> Rule:
    return Rule.model_validate(
        {
            "id": f"test.generated.{name}",
            "title": f"A crafted rule: {name}.",
            "stage": "genuineness",
            "authority": AUTH,
            "when": when,
            "then": [then or {"fact": "dispute_status", "set": {"dispute": "$a.key", "genuine": True}}],
            "because": "Crafted for the generated evaluator's tests.",
        }
    )


RULES = [
    rule("bool_is_not_one", [{"bind": "a", "fact": "dispute", "where": {"flag": True}}]),
    rule("int_is_not_true", [{"bind": "a", "fact": "dispute", "where": {"count": 1}}]),
    rule("ordered_and_not", [{"bind": "a", "fact": "dispute", "where": {"count": {"gte": 2, "not": 5}}}]),
    rule("any_alternative", [{"bind": "a", "fact": "dispute", "where": {"any": [{"video": "none"}, {"flag": True}]}}]),
    rule(
        "list_with_reference",
        [
            {"bind": "a", "fact": "dispute", "where": {"video": ["none", "ambiguous"]}},
            {"bind": "b", "fact": "reliance", "where": {"dispute": ["$a.key", "k9"]}},
        ],
        {"fact": "argument_taint", "set": {"argument": "$b.argument", "dispute": "$a.key"}},
    ),
    rule(
        "join_planned_out_of_order",
        [
            {"bind": "a", "fact": "dispute", "where": {}},
            {"bind": "b", "fact": "reliance", "where": {"reliance": "central"}},
            {"bind": "c", "fact": "argument", "where": {"key": "$b.argument", "prong": "violation"}},
        ],
        {"fact": "argument_taint", "set": {"argument": "$c.key", "dispute": "$a.key"}},
    ),
    rule(
        "negation_that_joins",
        [
            {"bind": "a", "fact": "dispute", "where": {"video": {"not": "blatantly_contradicts_plaintiff"}}},
            {"bind": "b", "fact": "reliance", "where": {"dispute": "$a.key"}},
            {
                "bind": "x",
                "fact": "excluded",
                "where": {"dispute": "$a.key", "argument": "$b.argument"},
                "absent": True,
            },
        ],
        {"fact": "argument_taint", "set": {"argument": "$b.argument", "dispute": "$a.key"}},
    ),
]

VIDEOS = ["none", "ambiguous", "blatantly_contradicts_plaintiff"]
FACTS = (
    [
        {"type": "dispute", "key": f"k{i}", "video": VIDEOS[i % 3], "flag": [True, 1, False][i % 3], "count": c}
        for i, c in enumerate([1, True, 2, 5, 7, 1, 0, 3])
    ]
    + [
        {"type": "reliance", "dispute": f"k{i % 8}", "argument": f"a{i % 4}", "reliance": ["central", "cursory"][i % 2]}
        for i in range(10)
    ]
    + [{"type": "argument", "key": f"a{i}", "prong": ["violation", "clearly_established"][i % 2]} for i in range(4)]
    + [{"type": "excluded", "dispute": "k1", "argument": "a1"}, {"type": "excluded", "dispute": "k4", "argument": "a0"}]
)


# As the engine's facts are (the model types every field): booleans only where a field is boolean,
# no two facts alike. durable_rules' C engine compares JSON loosely (it takes true for 1), so the
# corners above are held to the closures only.
TYPED = (
    [
        {"type": "dispute", "key": f"k{i}", "video": VIDEOS[i % 3], "flag": i % 2 == 0, "count": c}
        for i, c in enumerate([1, 4, 2, 5, 7, 1, 0, 3])
    ]
    + [
        {"type": "reliance", "dispute": f"k{i % 8}", "argument": f"a{i % 4}", "reliance": ["central", "cursory"][i % 2]}
        for i in range(8)
    ]
    + FACTS[-6:]
)


def _firings(runtime, facts) -> list[tuple]:
    return [(f.rule_id, f.matched, f.asserted) for f in runtime.run_stage("genuineness", "majority", facts)]


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return RuleBook(RULES, {r.id: ("t.yaml", i) for i, r in enumerate(RULES)})


def test_every_crafted_stage_is_generated(book):
    assert PyRuntime(book)._generated, "the generator declined the crafted stage"


def test_generated_matches_the_closures(book):
    generated = PyRuntime(book)
    closures = PyRuntime(book)
    closures._generated = {}
    for facts in (FACTS, FACTS[::-1], FACTS[:5], FACTS[3:]):
        assert _firings(generated, facts) == _firings(closures, facts)
    fired = {f[0].rsplit(".", 1)[1] for f in _firings(generated, FACTS)}
    assert fired == {r.id.rsplit(".", 1)[1] for r in RULES}, "every crafted rule should fire somewhere"


def test_generated_matches_durable(book):
    python, durable = PyRuntime(book), Runtime(book)
    for facts in (TYPED, TYPED[::-1], TYPED[:5], TYPED[3:]):
        assert _firings(python, facts) == _firings(durable, facts)


def test_json_equality_and_order_semantics():
    firings = _firings(PyRuntime(RuleBook(RULES, {})), FACTS)
    flagged = [m["a"]["key"] for rid, m, _ in firings if rid.endswith("bool_is_not_one")]
    assert flagged == ["k0", "k3", "k6"]  # flag true, never flag 1
    ones = [m["a"]["key"] for rid, m, _ in firings if rid.endswith("int_is_not_true")]
    assert ones == ["k0", "k5"]  # count 1, never count true
    ordered_ = [m["a"]["key"] for rid, m, _ in firings if rid.endswith("ordered_and_not")]
    assert ordered_ == ["k2", "k4", "k7"]  # >= 2 and not 5; true is not a number
    planned = [m for rid, m, _ in firings if rid.endswith("join_planned_out_of_order")]
    at = {id(f): i for i, f in enumerate(FACTS)}  # by identity: two reliance facts are equal
    positions = [(at[id(m["a"])], at[id(m["b"])], at[id(m["c"])]) for m in planned]
    assert positions == sorted(positions) and planned, "canonical order: positions in written order"
    assert same(True, True) and not same(True, 1) and not same(1, True) and same(1, 1)
    assert ordered(3, 2, "gt") and not ordered(True, 0, "gt") and not ordered("3", 2, "gt")


def test_a_reference_to_an_unbound_name_is_declined():
    odd = rule("unbound", [{"bind": "a", "fact": "dispute", "where": {"key": "$zz.key"}}])
    assert compile_stage([odd], lambda positives: positives, fire) is None


def test_every_stage_of_the_rulebook_is_generated(engine):
    runtime = PyRuntime(engine.rulebook)
    declined = [key for key in runtime._rules if key not in runtime._generated]
    assert not declined, f"stages left to the closures: {declined}"
