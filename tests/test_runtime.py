"""One stage on durable_rules: firings in order, isolation between runs, inert templates."""

from __future__ import annotations

import subprocess
import sys
import threading

from engine.reasoning.rulebook import Rule, RuleBook
from engine.reasoning.runtime import Runtime, cite_with_pin, fire
from tests.conftest import ROOT

RULE = Rule.model_validate(
    {
        "id": "test.genuine.one",
        "title": "A test rule over disputes and reliance links.",
        "stage": "genuineness",
        "authority": [{"cite": "Scott v. Harris, 550 U.S. 372 (2007)", "pin": "380", "supports": "test"}],
        "when": [
            {"bind": "d", "fact": "dispute", "where": {"video": ["ambiguous", "none"]}},
            {"bind": "a", "fact": "reliance", "where": {"dispute": "$d.key"}},
            {"bind": "x", "fact": "excluded", "where": {"dispute": "$d.key"}, "absent": True},
        ],
        "then": [{"fact": "dispute_status", "set": {"dispute": "$d.key", "genuine": True}}],
        "because": "Dispute {d.key} is relied on by {a.argument}; {d.__class__} stays text.",
    }
)
FACTS = [
    {"type": "dispute", "key": "k1", "video": "none"},
    {"type": "dispute", "key": "k2", "video": "blatantly_contradicts_plaintiff"},
    {"type": "dispute", "key": "k3", "video": "ambiguous"},
    {"type": "reliance", "dispute": "k1", "argument": "a1"},
    {"type": "reliance", "dispute": "k3", "argument": "a2"},
    {"type": "excluded", "dispute": "k3"},
]


def runtime() -> Runtime:
    return Runtime(RuleBook([RULE], {RULE.id: ("t.yaml", 1)}))


def test_join_and_negation_fire_exactly_once():
    firings = runtime().run_stage("genuineness", "majority", FACTS)
    assert [(f.rule_id, f.asserted) for f in firings] == [
        ("test.genuine.one", ({"type": "dispute_status", "dispute": "k1", "genuine": True},))
    ]
    assert firings[0].matched == {"d": FACTS[0], "a": FACTS[3]}


def test_runs_are_isolated_and_leave_the_session_empty():
    rt = runtime()
    first = rt.run_stage("genuineness", "majority", FACTS)
    assert rt.session_facts("genuineness", "majority") == []
    again = rt.run_stage("genuineness", "majority", FACTS[3:4])  # the reliance alone: no dispute left over
    assert again == []
    assert [f.asserted for f in rt.run_stage("genuineness", "majority", FACTS)] == [f.asserted for f in first]


def test_templates_fill_named_slots_only():
    [f] = runtime().run_stage("genuineness", "majority", FACTS)
    assert f.because == "Dispute k1 is relied on by a1; {d.__class__} stays text."


def test_fire_resolves_references_and_cites_with_pins():
    f = fire(RULE, {"d": {"key": "kk", "type": "dispute"}, "a": {"argument": "zz"}}, "test")
    assert f.asserted == ({"type": "dispute_status", "dispute": "kk", "genuine": True},)
    assert f.authority == ("Scott v. Harris, 550 U.S. 372, 380 (2007)",)
    assert cite_with_pin("28 U.S.C. § 1291", "§ 1291") == "28 U.S.C. § 1291"


def test_a_stage_with_no_rules_fires_nothing():
    assert runtime().run_stage("disposition", "majority", FACTS) == []


def test_threads_share_one_runtime_safely():
    rt = runtime()
    expected = [f.asserted for f in rt.run_stage("genuineness", "majority", FACTS)]
    results: list[list] = []

    def work():
        for _ in range(50):
            results.append([f.asserted for f in rt.run_stage("genuineness", "majority", FACTS)])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 400 and all(r == expected for r in results)


NOTHING_FIRES = """
import json
from engine.reasoning.rulebook import RuleBook
from engine.reasoning.runtime import Runtime
from tests.test_runtime import RULE

junk = [json.dumps({"k": list(range(50))}) for _ in range(20000)]  # a heap that has seen some use
del junk
for _ in range(50):
    runtime = Runtime(RuleBook([RULE], {RULE.id: ("t.yaml", 1)}))
    for _ in range(3):
        facts = [{"type": "dispute", "key": "k1", "video": "blatantly_contradicts_plaintiff"}]
        assert runtime.run_stage("genuineness", "majority", facts) == []
print("ok")
"""


def test_a_first_run_in_which_nothing_fires_ends_cleanly():
    """durable_rules 2.0.28 frees an uninitialised action context when a session in which no action
    ever ran is deleted ("double free or corruption"); the runtime warms each ruleset up first.
    In a process of its own: the failure it guards against aborts the interpreter."""
    run = subprocess.run([sys.executable, "-c", NOTHING_FIRES], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-1000:]


def test_runs_with_nothing_to_match_leave_no_session():
    rt = runtime()
    assert rt.run_stage("genuineness", "majority", []) == []  # nothing asserted: no session to delete
    assert rt.run_stage("genuineness", "majority", [FACTS[3]]) == []  # a stage skipped: its rules need a dispute
    assert rt.session_facts("genuineness", "majority") == []
    assert len(rt.run_stage("genuineness", "majority", FACTS)) == 1  # and the ruleset still decides
