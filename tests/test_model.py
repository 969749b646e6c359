"""The fact pattern model: closed sets, references, scene overlays."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from engine.input.model import FactPattern, Scene
from engine.reasoning.decide import version_scene
from engine.reasoning.facts import base_facts, day_number
from engine.reasoning.schema import BASE_FACTS


def test_defaults_describe_an_interlocutory_denial_of_qualified_immunity():
    fp = FactPattern()
    assert (fp.case.appeal_from, fp.order.ruling, fp.order.defense) == ("interlocutory", "denied", "qualified_immunity")


def test_unknown_fields_are_rejected():
    with pytest.raises(ValidationError):
        FactPattern.model_validate({"case": {"courtt": "7th-cir"}})


def test_references_are_checked_for_api_users_too():
    with pytest.raises(ValidationError, match="unknown dispute 'ghost'"):
        FactPattern.model_validate(
            {"arguments": [{"key": "a", "prong": "violation", "relies_on": [{"dispute": "ghost"}]}]}
        )


def test_a_dispute_may_follow_only_a_root_dispute():
    with pytest.raises(ValidationError, match="itself follows another"):
        FactPattern.model_validate(
            {
                "disputes": [
                    {"key": "a", "about": "x"},
                    {"key": "b", "about": "y", "follows": "a"},
                    {"key": "c", "about": "z", "follows": "b"},
                ]
            }
        )


def test_scene_overlay_takes_only_stated_fields():
    base = Scene(believed_armed=True, surrendering=False)
    assert base.overlay(Scene(surrendering=True)) == Scene(believed_armed=True, surrendering=True)


def test_facts_match_the_vocabulary_rules_are_linted_against():
    fp = FactPattern.model_validate(
        {
            "disputes": [{"key": "a", "about": "x", "bears_on": ["armed"]}],
            "arguments": [{"key": "g", "prong": "violation", "relies_on": [{"dispute": "a"}]}],
        }
    )
    for fact in base_facts(fp) + [version_scene(fp.scene, fp.all_claims()[0], fp, "plaintiff")]:
        schema = BASE_FACTS[fact["type"]]
        assert set(fact) - {"type"} == set(schema), fact["type"]
        for field, value in fact.items():
            allowed = schema.get(field)
            if isinstance(allowed, tuple):
                assert value in allowed, (fact["type"], field, value)


def test_dates_compare_as_numbers():
    import datetime as dt

    assert day_number(dt.date(2017, 8, 31)) == 20170831
    assert day_number(None) == 0
