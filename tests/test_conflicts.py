"""Conflicting rules are found by lint, before any fact pattern runs; declared exceptions order them."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.input.errors import ContradictionError
from engine.interfaces.cli import main
from engine.reasoning.conflicts import BEYOND_THE_MODEL, candidate_pairs, conflicts, find_conflict
from engine.reasoning.decide import Engine
from engine.reasoning.lint import conflict_problems, lint, produced
from engine.reasoning.rulebook import load_rulebook

GARNER = Path(__file__).parent / "fixtures" / "conflicts" / "garner-minor-flight.yaml"
# A mechanism test, not law: two rules over the scene, the second declared an exception to the first.
MECHANISM = """
- id: test.mechanism.general
  title: A general rule for the mechanism test (not law).
  stage: force
  authority: [{{cite: "Mechanism fixture A (not law)", pin: "1", supports: "The general rule."}}]
  when: [{{bind: sc, fact: scene, where: {{force: deadly, fleeing: true}}}}]
  then: [{{fact: force_assessment, set: {{result: reasonable}}}}]
  because: "General ({{sc.version}})."
- id: test.mechanism.exception
  title: An exception for the mechanism test (not law).
  stage: {stage}
  {exception}
  authority: [{{cite: "{cite}", pin: "1", supports: "The exception."}}]
  when: [{{bind: sc, fact: scene, where: {{force: deadly, fleeing: {fleeing}, endangering_others: false}}}}]
  then: [{{fact: force_assessment, set: {{result: unreasonable}}}}]
  because: "Exception ({{sc.version}})."
"""
SCENE = {
    "type": "scene",
    "version": "plaintiff",
    "force": "deadly",
    "fleeing": True,
    "endangering_others": False,
}


def _mechanism(tmp_path: Path, exception: bool = True, cite: str = "Mechanism fixture B (not law)", **kw) -> Path:
    values = {"stage": "force", "fleeing": "true", "cite": cite, **kw}
    values["exception"] = "exception_to: test.mechanism.general" if exception else ""
    path = tmp_path / "mechanism.yaml"
    path.write_text(MECHANISM.format(**values))
    return path


def test_lint_refuses_the_planted_garner_conflict_naming_both_rules_and_a_witness(capsys):
    assert main(["lint", "rules/graham.yaml", str(GARNER)]) == 2
    err = capsys.readouterr().err
    line = next(ln for ln in err.splitlines() if "merits.graham.deadly.dangerous_flight" in ln)
    assert f"error: {GARNER}:3: merits.graham.deadly.unarmed_minor_flight: conflict:" in line
    assert "disagree on force_assessment.result" in line
    assert (
        "witness: scene{force: deadly, crime_severity: minor, believed_armed: false, endangering_others: true, "
        "fleeing: true}" in line
    )


def test_the_garner_rule_narrowed_to_unarmed_non_dangerous_flight_passes(tmp_path):
    text = GARNER.read_text().replace(
        "crime_severity: minor}",
        "crime_severity: minor, endangering_others: {not: true}, weapon_in_hand: {not: true}, shots_fired: {not: true}}",
    )
    narrowed = tmp_path / "narrowed.yaml"
    narrowed.write_text(text)
    book = load_rulebook(["rules/graham.yaml", narrowed])
    assert conflicts(book, produced(book)) == []


def test_the_rulebook_has_no_unordered_conflicts():
    book = load_rulebook()
    assert [str(p) for p in conflict_problems(book, produced(book))] == []


@pytest.mark.parametrize("pair", sorted(BEYOND_THE_MODEL))
def test_each_pair_beyond_the_model_is_still_reported_without_its_entry(pair):
    book = load_rulebook()
    a, b = (book.by_id[r] for r in pair)
    found = [
        find_conflict(book, x, i, y, j, produced(book)) for x, i, y, j in candidate_pairs(book) if (x.id, y.id) == pair
    ]
    assert any(found), f"{pair} is no longer reported: remove it from BEYOND_THE_MODEL"


def test_a_declared_exception_with_its_own_authority_passes_and_wins_at_run_time(tmp_path):
    path = _mechanism(tmp_path)
    assert lint(load_rulebook([path])) == []
    for backend in ("durable", "python"):
        engine = Engine(rule_paths=[path], backend=backend)
        facts, trace = engine._stages(("force",), "majority", [SCENE], "graham:plaintiff")
        assert [f.rule_id for f in trace] == ["test.mechanism.exception"]
        assert [f["result"] for f in facts if f["type"] == "force_assessment"] == ["unreasonable"]


def test_without_the_declaration_lint_refuses_and_the_run_stops(tmp_path):
    path = _mechanism(tmp_path, exception=False)
    problems = lint(load_rulebook([path]))
    assert len(problems) == 1 and "test.mechanism.general" in problems[0].message
    assert "witness: scene{force: deadly, endangering_others: false, fleeing: true}" in (problems[0].message)
    engine = Engine(load_rulebook([path]), backend="python")
    with pytest.raises(ContradictionError):
        engine._stages(("force",), "majority", [SCENE], "graham:plaintiff")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cite": "Mechanism fixture A (not law)"}, "cites no authority of its own"),
        ({"fleeing": "false"}, "no facts fire both with different conclusions: the exception is dead"),
        ({"stage": "force_default"}, "which is in stage 'force', not 'force_default'"),
    ],
)
def test_lint_checks_that_an_exception_is_a_real_exception_with_authority(tmp_path, change, message):
    problems = lint(load_rulebook([_mechanism(tmp_path, **change)]))
    assert any(message in p.message and p.field == "test.mechanism.exception" for p in problems), problems
