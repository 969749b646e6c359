"""The rights table: the README shows the rules as they are, and the corpus pins what they answer."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine.analysis.regression import compare
from engine.input.casefile import load_case
from engine.interfaces.rights_table import markdown, rows
from engine.reasoning.decide import Engine
from engine.reasoning.rulebook import load_rulebook, rule_files
from tests.conftest import ROOT, run_cli

BOOK = load_rulebook()
TASER_6TH = ROOT / "cases/hypotheticals/taser-on-passive-nonthreatening-person-6th-cir.yaml"
FLEEING = ROOT / "cases/hypotheticals/fleeing-driver-armed-disputed-prong-two-decided.yaml"


def test_the_readme_table_is_the_one_the_rules_generate():
    assert markdown(BOOK) in (ROOT / "README.md").read_text(), "run `appealable rights --write README.md`"


def test_the_command_prints_the_same_table():
    out = run_cli("rights", "--markdown")
    assert out.returncode == 0 and out.stdout == markdown(BOOK)


def test_every_answer_of_the_table_has_a_court_a_date_or_a_reason_to_have_none_and_a_pinned_authority():
    table = rows(BOOK)
    assert len(table) >= 30
    for r in table:
        assert r["basis"] in ("precedent", "obvious", "holding"), r
        assert any(ch.isdigit() for ch in r["authority"]), r
        if r["answer"] == "clearly established":
            assert r["date"].startswith("from "), r  # a right is established from a date


def test_moving_a_rights_date_past_the_events_fails_the_regression(tmp_path: Path):
    """A rule change that moves a case's clearly-established answer is caught by the corpus."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    taser = rules / "rights/taser.yaml"
    text = taser.read_text()
    assert text.count("events_day: {gte: 20160106}") == 1
    taser.write_text(text.replace("events_day: {gte: 20160106}", "events_day: {gte: 20180101}"))
    case = load_case(TASER_6TH)
    before = Engine(BOOK, backend="python").decide(case.facts)
    after = Engine(load_rulebook([rules]), backend="python").decide(case.facts)
    assert compare(case, before, {}) == []
    assert "clearly_established: expected True, got False" in compare(case, after, {})


def test_a_holding_that_no_right_was_established_decides_prong_two_where_silence_did_not():
    """Item 4 of issue 10: with the holdings removed, both versions fall to the default and the
    declared factor makes the dispute material; with them, the comparison decides it is not."""
    without = [p for p in rule_files() if p.name != "not_established.yaml"]
    case = load_case(FLEEING)
    silent = Engine(load_rulebook(without), backend="python").decide(case.facts)
    holding = Engine(BOOK, backend="python").decide(case.facts)
    cf = {d.key: d for d in silent.disputes}["believed-armed"].counterfactual["clearly_established"]
    assert (cf["plaintiff_result"], cf["decided"]) == ("no_right_matched", False)
    assert {d.key: d for d in silent.disputes}["believed-armed"].material["clearly_established"] is True
    cf = {d.key: d for d in holding.disputes}["believed-armed"].counterfactual["clearly_established"]
    assert (cf["plaintiff_result"], cf["defendant_result"], cf["decided"]) == (
        "not_clearly_established",
        "not_clearly_established",
        True,
    )
    assert {d.key: d for d in holding.disputes}["believed-armed"].material["clearly_established"] is False
    assert (silent.disposition, holding.disposition) == ("not_appealable", "appealable")
