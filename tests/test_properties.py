"""Property-based tests over generated valid fact patterns (hypothesis), default profile.

Each invariant is the doctrine's own, with its authority:
- Closed outcome: every decision is one of the four dispositions, and the engine never raises
  on valid input (architecture invariant; the Decision's closed sets).
- Acceptance makes an appeal reviewable: an interlocutory denial of qualified immunity in which
  every argument takes the plaintiff's version and needs no disputed fact raises only questions
  of law (Plumhoff v. Rickard, 572 U.S. 765, 773 (2014); Jones v. Clark, 630 F.3d 677, 680-81
  (7th Cir. 2011); Smith v. Finkley, slip op. at 15, 27-28).
- A version the video blatantly contradicts is no genuine dispute (Scott v. Harris, 550 U.S.
  372, 380 (2007)): adding such a dispute, however the arguments rely on it, leaves the
  disposition unchanged. (Stated for a dispute with no scene facts of its own: facts a video
  settles may legitimately change what other disputes matter, e.g. a weapon shown in hand.)
- The objective standard (Anderson v. Creighton, 483 U.S. 635, 641 (1987); Smith, slip op. at
  19 n.4): a dispute only about an officer's subjective reasons never defeats jurisdiction.
- Outside the doctrine: a grant of immunity is not a collateral order (28 U.S.C. § 1291).
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.input.model import DISPOSITIONS, FactPattern
from engine.input.samples import random_fact_pattern
from engine.interfaces.render import to_json
from engine.reasoning.decide import Engine

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ENGINE = Engine()


def pattern(rnd: random.Random) -> FactPattern:
    return random_fact_pattern(rnd)


def _with(fp: FactPattern, **changes) -> FactPattern:
    data = fp.model_dump(mode="python")
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for p in parents:
            target = target[p]
        target[last] = value
    return FactPattern.model_validate(data)


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_every_decision_is_in_the_closed_set_and_deterministic(rnd):
    fp = pattern(rnd)
    first = ENGINE.decide(fp)
    assert first.disposition in DISPOSITIONS
    assert set(first.prongs.values()) <= {"reviewable", "not_reviewable", "not_raised"}
    assert to_json(ENGINE.decide(fp)) == to_json(first)


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_accepting_the_plaintiffs_version_makes_the_appeal_reviewable(rnd):
    fp = pattern(rnd)
    data = fp.model_dump(mode="python")
    data["case"]["appeal_from"] = "interlocutory"
    data["order"].update(ruling="denied", defense="qualified_immunity")
    data["arguments"] = data["arguments"] or [{"key": "a0", "prong": "violation", "relies_on": []}]
    for arg in data["arguments"]:
        arg["accepts_plaintiff_version"] = True
        arg["relies_on"] = [dict(link, reliance="passing") for link in arg["relies_on"]]
    decision = ENGINE.decide(FactPattern.model_validate(data))
    assert decision.disposition == "appealable"
    assert all(decision.prongs[a["prong"]] == "reviewable" for a in data["arguments"])


@SETTINGS
@given(st.randoms(use_true_random=False), st.sampled_from(["essential", "passing"]), st.booleans())
def test_a_dispute_the_video_blatantly_contradicts_changes_nothing(rnd, reliance, against_plaintiff):
    fp = pattern(rnd)
    before = ENGINE.decide(fp).disposition
    data = fp.model_dump(mode="python")
    video = "blatantly_contradicts_plaintiff" if against_plaintiff else "blatantly_contradicts_defendant"
    data["disputes"].append(
        {"key": "on-video", "about": "settled by video", "video": video, "bears_on": ["immediate_threat", "resistance"]}
    )
    for arg in data["arguments"]:
        arg["relies_on"].append({"dispute": "on-video", "reliance": reliance})
    assert ENGINE.decide(FactPattern.model_validate(data)).disposition == before


@SETTINGS
@given(st.randoms(use_true_random=False), st.sampled_from(["none", "ambiguous"]))
def test_a_dispute_about_subjective_reasons_never_defeats_jurisdiction(rnd, video):
    fp = pattern(rnd)
    before = ENGINE.decide(fp)
    data = fp.model_dump(mode="python")
    data["disputes"].append(
        {
            "key": "motive",
            "about": "why the officer fired",
            "video": video,
            "subjective_only": True,
            "bears_on": ["immediate_threat"],
        }
    )
    data["order"]["disputes_named"].append("motive")
    for arg in data["arguments"]:
        arg["relies_on"].append({"dispute": "motive", "reliance": "essential"})
    after = ENGINE.decide(FactPattern.model_validate(data))
    assert after.disposition == before.disposition
    assert after.prongs == before.prongs


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_a_grant_of_immunity_is_outside_the_doctrine(rnd):
    fp = _with(pattern(rnd), order__ruling="granted")
    decision = ENGINE.decide(fp)
    assert decision.disposition == "outside_doctrine"
    assert decision.reason in ("immunity_granted", "final_judgment")
