"""Format 2: each new input moves the answer it should, format 1 and 2 agree, bad inputs say where.

Each test loads a hypothetical from cases/hypotheticals/, checks the decision, flips ONE input and
checks that the answer moves (or, where the rules read nothing, that it does not).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.input.casefile import case_files, load_fact_pattern
from engine.input.errors import InputError
from engine.input.model import FactPattern

ROOT = Path(__file__).resolve().parent.parent
HYPO = ROOT / "cases/hypotheticals"


def load(name: str) -> FactPattern:
    fp, _ = load_fact_pattern(HYPO / f"{name}.yaml")
    return fp


def edit(fp: FactPattern, change: Callable[[dict[str, Any]], None]) -> FactPattern:
    """The fact pattern with one change made to its dict form, validated again."""
    data = fp.model_dump(by_alias=True, exclude_none=True)
    change(data)
    return FactPattern.model_validate(data)


def part(decision, claim: str | None = None, appellant: str | None = None):
    return next(
        p
        for p in decision.parts
        if (claim is None or p.claim == claim) and (appellant is None or p.appellant == appellant)
    )


def issue(decision, key: str):
    return next(i for i in decision.issues if i.key == key)


def argument(data: dict, key: str) -> dict:
    return next(a for c in data["claims"] for a in c["arguments"] if a["key"] == key)


def dispute(data: dict, key: str) -> dict:
    return next(d for c in data["claims"] for d in c["disputes"] if d["key"] == key)


# -- several claims ---------------------------------------------------------------------------
def test_several_claims_each_get_their_own_answer(engine):
    fp = load("smith-force-on-plaintiff-facts-plus-retaliation-motive-disputed")
    d = engine.decide(fp)
    assert d.disposition == "appealable_in_part"
    assert part(d, "force").disposition == "appealable"
    assert part(d, "force").outcome == "affirmed_denial"
    assert part(d, "retaliation").disposition == "not_appealable"
    assert d.outcome == "in_parts"
    assert "jurisdiction.aggregate.in_part_across_parts" in d.fired()

    def concede_motive(data):
        a = argument(data, "no-retaliation")
        a["accepts_plaintiff_version"], a["relies_on"] = True, []

    flipped = engine.decide(edit(fp, concede_motive))
    assert part(flipped, "retaliation").disposition == "appealable"
    assert flipped.disposition == "appealable"


# -- several appellants -----------------------------------------------------------------------
def test_municipal_appellant_has_no_immunity_from_suit(engine):
    fp = load("smith-city-appeals-monell-intertwined-and-not")
    d = engine.decide(fp)
    assert part(d, appellant="finkley").disposition == "appealable"
    city = part(d, appellant="city")
    assert (city.disposition, city.reason) == ("not_appealable", "no_immunity_from_suit")
    assert d.disposition == "appealable_in_part"

    def city_is_an_officer(data):
        next(a for a in data["appellants"] if a["key"] == "city")["role"] = "officer"

    flipped = engine.decide(edit(fp, city_is_an_officer))
    assert part(flipped, appellant="city").disposition == "appealable"
    assert "jurisdiction.threshold.no_immunity_from_suit_for_municipality" not in flipped.fired()


# -- issues -----------------------------------------------------------------------------------
def test_pendent_municipal_liability_issue_follows_the_intertwined_claim(engine):
    fp = load("smith-city-appeals-monell-intertwined-and-not")
    d = engine.decide(fp)
    assert (issue(d, "monell-no-violation").answer, issue(d, "monell-no-violation").why) == ("reviewable", "pendent")
    assert issue(d, "monell-no-policy").answer == "not_reviewable"

    def not_intertwined(data):
        next(i for i in data["issues"] if i["key"] == "monell-no-violation").pop("intertwined_with")

    assert issue(engine.decide(edit(fp, not_intertwined)), "monell-no-violation").answer == "not_reviewable"

    def officer_argues_on_his_own_version(data):
        for key in ("no-violation", "not-clearly-established"):
            a = argument(data, key)
            a["accepts_plaintiff_version"] = False
            a["relies_on"] = [{"dispute": "downward-movement", "reliance": "essential"}]

    # the claim it is intertwined with is no longer reviewable: no pendent review either
    flipped = engine.decide(edit(fp, officer_argues_on_his_own_version))
    assert issue(flipped, "monell-no-violation").answer == "not_reviewable"
    assert flipped.disposition == "not_appealable"


def test_state_law_immunity_turns_on_immunity_from_suit(engine):
    fp = load("smith-fact-bound-with-state-immunity-from-suit-defence-and-unknown")
    d = engine.decide(fp)
    answers = {i.key: i.answer for i in d.issues}
    assert answers == {
        "state-immunity-from-suit": "reviewable",
        "state-immunity-defence": "not_reviewable",
        "state-immunity-unsettled": "undetermined",
    }
    assert d.disposition == "appealable_in_part"  # the one reviewable issue, though no claim is

    def only_a_defence(data):
        data["issues"][0]["immunity_from_suit"] = False

    flipped = engine.decide(edit(fp, only_a_defence))
    assert issue(flipped, "state-immunity-from-suit").answer == "not_reviewable"
    assert flipped.disposition == "not_appealable"


def test_bivens_question_comes_up_with_the_immunity_appeal(engine):
    fp = load("jacobs-bivens-question-and-argument-not-raised-below")
    d = engine.decide(fp)
    assert issue(d, "bivens").answer == "reviewable"
    assert issue(d, "new-argument").answer == "undetermined"

    def drop_bivens(data):
        data["issues"] = [i for i in data["issues"] if i["kind"] != "bivens_remedy"]

    assert engine.decide(edit(fp, drop_bivens)).disposition == "not_appealable"


# -- record evidence other than video ---------------------------------------------------------
def test_audio_over_the_whole_movement_settles_it_but_not_over_part(engine):
    fp = load("smith-audio-blatantly-contradicts-plaintiff-on-lunge")
    d = engine.decide(fp)
    assert d.disposition == "appealable"
    lunge = next(x for x in d.disputes if x.key == "downward-movement")
    assert (lunge.genuine, lunge.resolved_for) == (False, "defendant")

    def covers_part(data):
        dispute(data, "downward-movement")["record"][0]["covers"] = "part"

    flipped = engine.decide(edit(fp, covers_part))
    assert flipped.disposition == "not_appealable"
    assert "jurisdiction.record.covers_only_part" in flipped.fired()


def test_audio_against_the_officers_settles_it_for_the_plaintiff(engine):
    d = engine.decide(load("smith-audio-blatantly-contradicts-officers-on-lunge"))
    assert (d.disposition, d.outcome) == ("appealable", "affirmed_denial")


def test_plaintiff_admission_settles_but_officer_testimony_does_not(engine):
    fp = load("smith-plaintiff-admits-lunge")
    assert engine.decide(fp).disposition == "appealable"

    def officer_says_so_instead(data):
        dispute(data, "downward-movement")["record"][0]["kind"] = "officer_testimony"

    flipped = engine.decide(edit(fp, officer_says_so_instead))
    assert flipped.disposition == "not_appealable"
    assert "jurisdiction.record.testimony_is_for_the_jury" in flipped.fired()


def test_no_memory_is_no_concession(engine):
    fp = load("smith-plaintiff-no-memory-of-lunge")
    d = engine.decide(fp)
    assert d.disposition == "not_appealable"
    assert "jurisdiction.record.no_memory_is_no_concession" in d.fired()

    def remembers(data):
        dispute(data, "downward-movement")["plaintiff_memory"] = "remembers"

    flipped = engine.decide(edit(fp, remembers))
    assert flipped.disposition == "not_appealable"  # the answer is the same: that is the point of the rule
    assert "jurisdiction.record.no_memory_is_no_concession" not in flipped.fired()


# -- subjective elements ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, key",
    [
        ("smith-as-prison-force-malice-disputed", "malice"),
        ("smith-shot-said-accidental-intent-disputed", "intent-to-fire"),
        ("williams-deliberate-indifference-knowledge-disputed", "medical_distress"),
        ("smith-force-on-plaintiff-facts-plus-retaliation-motive-disputed", "motive"),
    ],
)
def test_a_disputed_state_of_mind_that_is_an_element_is_material(engine, name, key):
    fp = load(name)
    d = engine.decide(fp)
    view = next(x for x in d.disputes if x.key == key)
    assert view.material == {"violation": True, "clearly_established": True}
    assert "jurisdiction.materiality.subjective_element" in d.fired()

    def no_element(data):
        dispute(data, key)["element"] = "none"
        dispute(data, key)["subjective_only"] = True

    flipped = engine.decide(edit(fp, no_element))
    assert next(x for x in flipped.disputes if x.key == key).material.get("violation") is not True
    assert "jurisdiction.materiality.subjective_element" not in flipped.fired()


def test_malice_dispute_decides_the_appeal(engine):
    fp = load("smith-as-prison-force-malice-disputed")
    assert engine.decide(fp).disposition == "not_appealable"

    def objective_only(data):
        dispute(data, "malice")["element"] = "none"
        dispute(data, "malice")["subjective_only"] = True

    assert engine.decide(edit(fp, objective_only)).disposition != "not_appealable"


# -- force and scene fields per claim ---------------------------------------------------------
def test_claim_force_and_claim_scene_move_the_merits(engine):
    fp = load("smith-force-on-plaintiff-facts-plus-retaliation-motive-disputed")
    base = part(engine.decide(fp), "force")
    assert base.merits["plaintiff_version"]["force"] == "unreasonable"

    def gun_in_hand(data):
        data["claims"][0]["scene"] = {"weapon_in_hand": True, "threatening_movement": True}
        for d in data["claims"][0]["disputes"]:
            d.get("plaintiff_scene", {}).pop("threatening_movement", None)

    moved = part(engine.decide(edit(fp, gun_in_hand)), "force")
    assert moved.merits["plaintiff_version"]["force"] != "unreasonable"

    def non_deadly(data):
        data["claims"][0]["force"] = "non_deadly"

    nd = part(engine.decide(edit(fp, non_deadly)), "force")
    assert nd.merits["plaintiff_version"]["rule"] != base.merits["plaintiff_version"]["rule"]


# -- partial concession, legal core, circuit practice -----------------------------------------
def test_partial_concession_held_to_plaintiff_facts_in_7th_but_taken_in_10th(engine):
    fp = load("smith-accepts-facts-except-lunge-7th-cir")
    d = engine.decide(fp)
    assert d.disposition == "not_appealable"
    assert {a.path for a in d.arguments} == {"refused_plaintiff_facts"}
    tenth = engine.decide(fp, "10th-cir")
    assert tenth.disposition == "appealable"

    def full_concession(data):
        for a in data["claims"][0]["arguments"]:
            a["except"], a["relies_on"] = [], []

    assert engine.decide(edit(fp, full_concession)).disposition == "appealable"


def test_legal_core_path_a_plaintiff_version_taken(engine):
    fp = load("smith-legal-core-present-10th-cir")
    d = engine.decide(fp)
    assert {a.path for a in d.arguments} == {"plaintiff_version_taken"}
    assert (d.disposition, d.outcome) == ("appealable", "affirmed_denial")

    def court(data):
        data["case"]["court"] = "7th-cir"

    assert engine.decide(edit(fp, court)).disposition == "not_appealable"


def test_legal_core_path_b_factual_quarrel(engine):
    fp = load("smith-factual-quarrel-legal-core-absent-10th-cir")
    d = engine.decide(fp)
    assert {a.path for a in d.arguments} == {"factual_quarrel"}
    assert d.disposition == "not_appealable"

    def core_present(data):
        for a in data["claims"][0]["arguments"]:
            a["legal_core"] = "present"

    assert engine.decide(edit(fp, core_present)).disposition == "appealable"


def test_legal_core_path_c_refused_and_illusory(engine):
    held = engine.decide(load("smith-legal-core-present-6th-cir"))
    assert {a.path for a in held.arguments} == {"refused_plaintiff_facts"}
    assert held.disposition == "not_appealable"

    fp = load("smith-concession-held-illusory")
    d = engine.decide(fp)
    assert {a.path for a in d.arguments} == {"concession_illusory"}
    assert d.disposition == "not_appealable"

    def concession_honoured(data):
        for a in data["claims"][0]["arguments"]:
            a["concession_rejected"], a["relies_on"] = False, []

    assert engine.decide(edit(fp, concession_honoured)).disposition == "appealable"


@pytest.mark.parametrize(
    "court, practice, disposition",
    [
        ("1st-cir", "stella_legal_facet", "appealable"),
        ("3rd-cir", "ziccardi_facts_as_given", "appealable"),
        ("5th-cir", "curran_materiality", "appealable"),
        ("6th-cir", "concede_or_dismiss", "not_appealable"),
        ("7th-cir", "gutierrez_back_door", "not_appealable"),
        ("8th-cir", "johnson_default", "appealable"),
        ("10th-cir", "ceballos_assumed_facts", "appealable"),
    ],
)
def test_circuit_practice_decides_an_argument_with_a_legal_core(engine, court, practice, disposition):
    fp = load("smith-legal-core-present-7th-cir")
    d = engine.decide(fp, court)
    assert practice in d.practice
    assert d.disposition == disposition


# -- format 1 and format 2 decide alike -------------------------------------------------------
def _format1_files() -> list[Path]:
    """Corpus files written in format 1 (a file that does not load is test_corpus's to report)."""
    out = []
    for path in case_files([ROOT / "cases"]):
        try:
            fp, _ = load_fact_pattern(path)
        except InputError:
            continue
        if not fp.claims:
            out.append(path)
    return out


FORMAT1 = _format1_files()


def as_format2(fp: FactPattern) -> FactPattern:
    data = fp.model_dump(by_alias=True, exclude_none=True)
    claim = data.pop("claim", None) or {}
    single = fp.all_claims()[0]
    data["claims"] = [
        {
            "key": single.key,
            "kind": single.kind,
            "force": single.force,
            **({"scene": claim["scene"]} if claim.get("scene") else {}),
            **({"order": claim["order"]} if claim.get("order") else {}),
            **({"against": claim["against"]} if claim.get("against") else {}),
            "disputes": data.pop("disputes", []),
            "arguments": data.pop("arguments", []),
        }
    ]
    return FactPattern.model_validate(data)


def test_most_of_the_round_1_corpus_is_in_format_1():
    assert len(FORMAT1) >= 40


@pytest.mark.parametrize("path", FORMAT1, ids=lambda p: str(p.relative_to(ROOT / "cases")))
def test_format1_file_decides_the_same_in_format2(engine, path):
    one, _ = load_fact_pattern(path)
    two = as_format2(one)
    assert not two.claim and two.claims
    d1, d2 = engine.decide(one), engine.decide(two)
    assert (d2.disposition, d2.reason, d2.outcome, d2.outcome_prong, d2.prongs) == (
        d1.disposition,
        d1.reason,
        d1.outcome,
        d1.outcome_prong,
        d1.prongs,
    )
    assert [(p.claim, p.disposition, p.outcome) for p in d2.parts] == [
        (p.claim, p.disposition, p.outcome) for p in d1.parts
    ]


# -- bad inputs: every problem names file:line and the field path -----------------------------
GOOD = """\
case: {court: 7th-cir}
appellants:
  - {key: roe, role: officer}
  - {key: city, role: municipality}
claims:
  - key: force
    kind: excessive_force
    force: deadly
    disputes:
      - key: lunge
        about: whether he lunged
        element: none
    arguments:
      - key: no-violation
        appellant: roe
        prong: violation
        relies_on: [{dispute: lunge, reliance: essential}]
  - key: speech
    kind: first_amendment_retaliation
    force: none
    disputes:
      - key: motive
        about: why they arrested him
    arguments:
      - key: no-retaliation
        appellant: city
        prong: violation
        relies_on: [{dispute: motive}]
scene: {seconds_since_threat: 2}
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_fact_pattern(path)
    return [str(p) for p in err.value.problems]


def test_the_good_pattern_is_good(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    fp, _ = load_fact_pattern(path)
    assert [c.key for c in fp.claims] == ["force", "speech"]


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[nth - 1]


@pytest.mark.parametrize(
    "old, new, needle, field, message",
    [
        (
            "seconds_since_threat: 2",
            "seconds_since_threat: .inf",
            "seconds_since_threat",
            "scene.seconds_since_threat",
            "finite",
        ),
        (
            "relies_on: [{dispute: lunge, reliance: essential}]",
            "relies_on: [{dispute: lunge, reliance: essential}, {dispute: lunge, reliance: passing}]",
            "dispute: lunge, reliance: essential}, {dispute",
            "claims[0].arguments[0].relies_on[1].dispute",
            "relies on 'lunge' twice (essential and passing); list each dispute once",
        ),
        (
            "about: whether he lunged",
            'about: "whether he lunged\\0"',
            'about: "whether he lunged',
            "claims[0].disputes[0].about",
            "contains a control character (U+0000); remove it",
        ),
        (
            "about: why they arrested him",
            "about: why they arrested him\n        element: malice",
            "element: malice",
            "claims[1].disputes[0].element",
            "'malice' is not an element of a first_amendment_retaliation claim (its subjective elements: retaliatory_motive)",
        ),
        (
            "relies_on: [{dispute: motive}]",
            "relies_on: [{dispute: lunge}]",
            "relies_on: [{dispute: lunge}]",
            "claims[1].arguments[0].relies_on[0].dispute",
            "dispute 'lunge' belongs to another claim, not to 'speech'",
        ),
    ],
)
def test_bad_input_is_reported_at_its_line(tmp_path, old, new, needle, field, message):
    text = GOOD.replace(old, new)
    assert text != GOOD
    problems = _problems(tmp_path, text)
    path = str(tmp_path / "bad.yaml")
    line = _line_of(text, needle)
    assert any(p.startswith(f"{path}:{line}") and f" {field}:" in p and message in p for p in problems), problems


def test_appellant_with_no_argument_is_reported_at_its_line(tmp_path):
    text = GOOD.replace(
        "  - {key: city, role: municipality}", "  - {key: city, role: municipality}\n  - {key: doe, role: officer}"
    )
    problems = _problems(tmp_path, text)
    line = _line_of(text, "key: doe")
    assert any(
        p.startswith(f"{tmp_path / 'bad.yaml'}:{line}")
        and " appellants[2].key:" in p
        and "appellant 'doe' makes no argument and raises no issue" in p
        for p in problems
    ), problems


def test_text_and_markdown_show_each_part_and_issue(engine):
    from engine.interfaces.render import render

    d = engine.decide(load("smith-city-appeals-monell-intertwined-and-not"))
    text, memo = render(d, "text"), render(d, "markdown")
    for out in (text, memo):
        assert "city (municipality) on force" in out and "finkley (officer) on force" in out
        assert "monell-no-violation" in out and "monell-no-policy" in out
    assert "not_appealable (no_immunity_from_suit)" in text
    assert "## Part by part" in memo
    assert "court of appeals: 7th-cir" in text
