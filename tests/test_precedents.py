"""Closest decided cases (HYPO), why-not, and leave-one-out: behaviour pinned on Smith and the corpus."""

from __future__ import annotations

import json

import pytest

from engine.analysis.precedents import corpus, leave_one_out, precedents
from engine.analysis.whynot import why_not
from engine.input.casefile import load_fact_pattern
from tests.conftest import ROOT, SMITH, run_cli

ACCEPTS = ROOT / "cases/hypotheticals/smith-accepts-facts-on-both-prongs.yaml"


@pytest.fixture(scope="module")
def smith(engine):
    fp, _ = load_fact_pattern(SMITH)
    decision = engine.decide(fp)
    return fp, decision, precedents(engine, decision)


def test_smith_has_precedents_on_both_sides_with_shared_and_distinguishing_factors(smith):
    _, decision, result = smith
    names = {f["name"] for f in result["factors"]}
    assert {"ambiguous_video", "relies_on_genuine_material_dispute", "video_contradicts_plaintiff"} <= names
    dismissed, reviewable = result["dismissed"], result["reviewable"]
    assert dismissed and reviewable
    assert dismissed[0]["case"] == "gant-v-hartman-2019" and dismissed[0]["agrees"] is True
    assert "relies_on_genuine_material_dispute" in dismissed[0]["shared"]
    assert all(e["agrees"] is False for e in reviewable)
    # a review-side case is distinguished by what favours dismissal here and not there
    assert any("relies_on_genuine_material_dispute (favours dismissed)" in d for d in reviewable[0]["distinctions"])
    assert all(e["shared"] and e["citation"] and e["holding"] for e in dismissed + reviewable)


def test_the_case_itself_and_hypotheticals_are_never_cited(engine, smith):
    _, _, result = smith
    cited = {e["case"] for side in ("reviewable", "dismissed") for e in result[side]}
    assert "smith-v-finkley-2021" not in cited
    assert all("hypotheticals" not in p.id and p.citation for p in corpus(engine))
    assert not any(p.id.startswith("smith-accepts") for p in corpus(engine))


def test_accepting_the_plaintiffs_version_changes_the_closest_cases(engine, smith):
    _, _, before = smith
    fp, _ = load_fact_pattern(ACCEPTS)
    decision = engine.decide(fp)
    after = precedents(engine, decision)
    assert "accepts_plaintiff_version" in {f["name"] for f in after["factors"]}
    assert [e["case"] for e in after["reviewable"]] != [e["case"] for e in before["reviewable"]]
    assert after["reviewable"][0]["case"] == "strand-v-minchuk-2018"
    assert "accepts_plaintiff_version" in after["reviewable"][0]["shared"]
    # the real Smith is close and went the other way: shown first, as a warning, with what distinguishes it
    warning = after["warnings"][0]
    assert warning["case"] == "smith-v-finkley-2021" and warning["agrees"] is False
    assert any("accepts_plaintiff_version" in d for d in warning["distinctions"])


def test_why_not_appealable_on_smith_names_the_failed_conditions_and_the_facts(engine):
    fp, _ = load_fact_pattern(SMITH)
    result = why_not(engine, fp, disposition="appealable")
    assert result["holds"] is False and result["answer"]["disposition"] == "not_appealable"
    rules = {}
    for a in result["rules"]:
        rules.setdefault(a["rule"], a)
    assert result["rules"][0]["rule"] == "jurisdiction.aggregate.appealable"  # nearest first

    accepts = rules["jurisdiction.separability.accepts_plaintiff_facts"]
    fails = {f["bind"]: f for f in accepts["failed"]}
    assert fails["a"]["fact"]["key"] == "no-violation"
    assert fails["a"]["fields"] == [{"field": "accepts_plaintiff_version", "wanted": True, "actual": False}]
    assert fails["a"]["change"]["changes"][0]["then"]["disposition"] == "appealable_in_part"
    assert fails["t"]["kind"] == "blocked" and fails["t"]["fact"]["dispute"] == "downward-movement"
    assert fails["t"]["made_by"] == ["jurisdiction.separability.back_door"]

    cursory = rules["jurisdiction.separability.cursory_reference"]
    (f,) = cursory["failed"]
    assert f["fact"]["dispute"] == "downward-movement" and f["fields"][0]["actual"] == "essential"
    assert f["change"]["changes"][0]["key"] == "passing:no-violation:downward-movement"

    video = rules["jurisdiction.genuineness.video_blatantly_contradicts_plaintiff"]
    (f,) = video["failed"]
    assert f["fact"]["key"] == "downward-movement"
    assert f["fields"] == [{"field": "video", "wanted": "blatantly_contradicts_plaintiff", "actual": "ambiguous"}]
    assert f["change"]["changes"][0]["then"]["disposition"] == "appealable"


def test_why_not_a_disposition_that_holds_says_so(engine):
    fp, _ = load_fact_pattern(SMITH)
    result = why_not(engine, fp, disposition="not_appealable")
    assert result["holds"] is True and result["rules"] == []


def test_leave_one_out_reports_precedent_rules_and_baseline(engine):
    result = leave_one_out(engine)
    assert result["cases"] > 50 and result["excluded_outside_doctrine"] > 0
    for key in ("precedent_accuracy", "rules_accuracy", "majority_baseline"):
        assert 0 < result[key]["accuracy"] <= 1 and result[key]["of"] == result["cases"]
    assert result["precedent_accuracy"]["accuracy"] > result["majority_baseline"]["accuracy"]
    for d in result["disagreements"]:
        assert d["precedent_side"] != d["rules_side"] and d["nearest"]


def test_cli_precedents_why_not_and_leave_one_out():
    text = run_cli("precedents", str(SMITH), "--top", "2")
    assert text.returncode == 0 and "Gant v. Hartman" in text.stdout and "For review" in text.stdout
    doc = json.loads(run_cli("precedents", str(SMITH), "--format", "json").stdout)
    assert doc["dismissed"][0]["case"] == "gant-v-hartman-2019"
    why = run_cli("why-not", str(SMITH), "--disposition", "appealable")
    assert why.returncode == 0 and "jurisdiction.separability.cursory_reference" in why.stdout
    assert "video is ambiguous, needs blatantly_contradicts_plaintiff" in why.stdout
    assert json.loads(run_cli("why-not", str(SMITH), "--outcome", "reversed_granted", "--format", "json").stdout)[
        "rules"
    ]
    loo = run_cli("test", "--leave-one-out")
    assert loo.returncode == 0 and "closest precedents alone" in loo.stdout and "majority class" in loo.stdout


def test_decide_memo_cites_the_closest_cases():
    memo = run_cli("decide", str(SMITH), "--format", "markdown").stdout
    assert "## Closest decided cases" in memo and "*Gant v. Hartman, 924 F.3d 445 (7th Cir. 2019)*" in memo
    text = run_cli("decide", str(SMITH)).stdout
    assert "closest decided cases" in text and "Gant v. Hartman" in text
    doc = json.loads(run_cli("decide", str(SMITH), "--format", "json").stdout)
    assert doc["precedents"]["dismissed"][0]["case"] == "gant-v-hartman-2019" and doc["factors"]


@pytest.mark.parametrize(
    "args",
    [
        ("precedents", "tests/fixtures/bad/bad-court.yaml"),
        ("why-not", "tests/fixtures/bad/bad-court.yaml", "--disposition", "appealable"),
        ("precedents", str(SMITH), "--top", "0"),
        ("why-not", str(SMITH)),
        ("why-not", str(SMITH), "--disposition", "maybe"),
    ],
)
def test_bad_input_is_a_positioned_error_with_exit_2(args):
    result = run_cli(*args)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    if "bad-court" in args[1]:
        assert "bad-court.yaml:" in result.stderr
