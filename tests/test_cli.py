"""The command line as a user runs it, in fresh processes."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, SMITH, run_cli


def test_decide_smith_text_leads_with_the_disposition():
    out = run_cli("decide", str(SMITH))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("NOT APPEALABLE")
    assert "Johnson v. Jones" in out.stdout
    assert "jurisdiction.separability.inseparable" in out.stdout
    assert "why (rules in the order they fired):" in out.stdout


def test_decide_smith_json_is_complete_and_versioned():
    out = run_cli("decide", str(SMITH), "--format", "json")
    data = json.loads(out.stdout)
    assert data["schema_version"] == 2
    assert data["disposition"] == "not_appealable"
    assert data["trace"] and all(f["authority"] for f in data["trace"])
    assert data["prongs"] == {"violation": "not_reviewable", "clearly_established": "not_reviewable"}
    movement = next(d for d in data["disputes"] if d["key"] == "downward-movement")
    assert movement["counterfactual"]["violation"]["differs"] is True


def test_decide_markdown_is_a_bench_memo():
    out = run_cli("decide", str(SMITH), "--format", "markdown")
    assert out.stdout.startswith("# Bench memo")
    assert "## Reasoning, with authority" in out.stdout


def test_the_three_starting_cases_end_to_end():
    expected = {
        "cases/7th-cir/smith-v-finkley-2021.yaml": "not_appealable",
        "cases/scotus/johnson-v-jones-1995.yaml": "not_appealable",
        "cases/scotus/plumhoff-v-rickard-2014.yaml": "appealable",
    }
    for jobs in ("1", "2"):
        out = run_cli("decide", *expected, "--format", "json", "--jobs", jobs)
        assert out.returncode == 0, out.stderr
        assert [d["disposition"] for d in json.loads(out.stdout)] == list(expected.values())


def test_the_corpus_test_across_processes_reports_as_one():
    """`test --jobs 2` hands decisions back from worker processes (their factors found first)."""
    one = run_cli("test", "cases/scotus", "--format", "json")
    two = run_cli("test", "cases/scotus", "--format", "json", "--jobs", "2")
    assert two.returncode == one.returncode == 0, two.stderr
    assert json.loads(two.stdout) == json.loads(one.stdout)


def test_smith_accepting_facts_on_prong_two_is_appealable_in_part():
    out = run_cli("decide", "cases/hypotheticals/smith-accepts-facts-on-prong-two.yaml", "--format", "json")
    data = json.loads(out.stdout)
    assert data["disposition"] == "appealable_in_part"
    assert data["prongs"]["clearly_established"] == "reviewable"


def test_malformed_fact_pattern_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("case:\n  court: 7th-cir\nclaim:\n  force: lethal\n")
    out = run_cli("decide", str(bad))
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.strip().splitlines() == [
        f"error: {bad}:4:3: claim.force: 'lethal' is not allowed (expected 'deadly', 'non_deadly' or 'none')"
    ]
    assert "Traceback" not in out.stderr


def test_compare_profiles_on_smith_shows_where_they_part():
    out = run_cli("decide", str(SMITH), "--profile", "compare")
    assert out.returncode == 0, out.stderr
    assert "not_appealable" in out.stdout and "appealable " in out.stdout
    assert "majority: jurisdiction.genuineness.ambiguous_video_leaves_dispute" in out.stdout
    assert "dissent:  jurisdiction.genuineness.video_preserves_historical_facts" in out.stdout


def test_what_if_on_smith_finds_the_two_flips():
    out = run_cli("what-if", str(SMITH), "--format", "json")
    data = json.loads(out.stdout)
    singles = {f["changes"][0]["key"]: f for f in data["flips"] if len(f["changes"]) == 1}
    assert singles["accept:not-clearly-established"]["disposition"] == "appealable_in_part"
    assert (
        singles["accept:not-clearly-established"]["rule_that_changes"]
        == "jurisdiction.separability.accepts_plaintiff_facts"
    )
    video = singles["video:downward-movement:blatantly_contradicts_plaintiff"]
    assert video["rule_that_changes"] == "jurisdiction.genuineness.video_blatantly_contradicts_plaintiff"


def test_schema_is_json_schema():
    out = run_cli("schema")
    schema = json.loads(out.stdout)
    assert schema["additionalProperties"] is False
    assert "disputes" in schema["properties"]


def test_regression_passes_and_reports_coverage():
    out = run_cli("test")
    assert out.returncode == 0, out.stdout[-2000:]
    assert "accuracy:" in out.stdout and "(100.0%)" in out.stdout
    assert "rules no case exercises: none" in out.stdout


def test_a_wrong_expectation_fails_with_the_trace(tmp_path):
    text = SMITH.read_text().replace("  disposition: not_appealable\n", "  disposition: appealable\n", 1)
    wrong = tmp_path / "smith-v-finkley-2021.yaml"
    wrong.write_text(text)
    out = run_cli("test", str(wrong))
    assert out.returncode == 1
    assert "FAIL" in out.stdout
    assert "disposition: expected appealable, got not_appealable" in out.stdout
    assert "jurisdiction.separability.inseparable" in out.stdout  # the trace that produced it


def test_regression_json_for_machines():
    out = run_cli("test", "cases/scotus", "--format", "json")
    data = json.loads(out.stdout)
    assert data["total"] == data["passed"] >= 6


def test_lint_runs_clean_on_the_rules():
    out = run_cli("lint")
    assert out.returncode == 0, out.stderr
    assert "no problems" in out.stdout


def test_unknown_file_is_an_input_error():
    out = run_cli("test", str(ROOT / "no-such-dir"))
    assert out.returncode == 2
    assert "no such file or directory" in out.stderr


def test_decide_refuses_rules_that_fail_lint():
    out = run_cli("decide", str(SMITH), "--rules", "tests/fixtures/bad_rules/unknown-field.yaml")
    assert out.returncode == 2
    assert out.stderr.startswith(
        "error: tests/fixtures/bad_rules/unknown-field.yaml:1: test.bad.two: fact 'dispute' has no field"
    )
    assert out.stdout == ""


def test_text_and_markdown_show_the_merits_firings_and_every_supporting_rule():
    text = run_cli("decide", str(SMITH)).stdout
    markdown = run_cli("decide", str(SMITH), "--format", "markdown").stdout.replace("\\", "")  # unescape
    for out in (text, markdown):
        # both rights that govern Smith's version, not only the first
        assert (
            "clearly established (deadly_force_on_surrendering_suspect, deadly_force_without_immediate_threat) "
            "[rights.deadly_force_on_surrendering_unarmed_suspect, rights.deadly_force_without_immediate_threat]" in out
        )
        # Graham on the official's version of each material dispute
        assert (
            "official's version of downward-movement: force reasonable [merits.graham.deadly.armed_threatening_movement]"
            in out
        )
        assert "[graham:officer-on-immediate-threat]" in out and "merits.graham.open_question" in out
    assert "why on the merits (Graham and rights rules, each version in turn):" in text
    assert "## Reasoning on the merits, with authority" in markdown


def test_agreement_with_the_courts_counts_decided_cases_only():
    out = run_cli("test", str(SMITH), "cases/hypotheticals").stdout
    assert "agreement with the courts' dispositions (decided cases only): 1/1;" in out


def test_only_hypotheticals_may_omit_the_source(tmp_path):
    from engine.input.casefile import load_case
    from engine.input.errors import InputError

    text = "id: no-source\nfacts: {claim: {kind: excessive_force}}\nexpected: {disposition: not_appealable}\n"
    decided = tmp_path / "7th-cir" / "no-source.yaml"
    hypothetical = tmp_path / "hypotheticals" / "no-source.yaml"
    for path in (decided, hypothetical):
        path.parent.mkdir()
        path.write_text(text)
    assert load_case(hypothetical).source is None
    with pytest.raises(InputError) as caught:
        load_case(decided)
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.field) == (str(decided), 1, "source")
    assert "only files under cases/hypotheticals/ may omit it" in problem.message
