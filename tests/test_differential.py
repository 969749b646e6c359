"""The plain-Python evaluator and durable_rules give identical decisions and traces."""

from __future__ import annotations

import pytest

from engine.analysis.regression import load_cases
from engine.input.errors import ContradictionError
from engine.input.samples import sample
from engine.interfaces.render import to_json
from engine.reasoning.decide import Engine

CASES = load_cases(["cases"])


@pytest.fixture(scope="module")
def pyengine(engine):
    return Engine(engine.rulebook, backend="python")


def _outcome(engine: Engine, fp, profile: str) -> str:
    try:
        return to_json(engine.decide(fp, profile))
    except ContradictionError as exc:  # both must report the same contradiction, too
        return f"contradiction: {exc}"


@pytest.mark.parametrize(("path", "case"), CASES, ids=[c.id for _, c in CASES])
def test_case_identical_on_both_backends(engine, pyengine, path, case):
    for profile in ("majority", "dissent"):
        assert _outcome(engine, case.facts, profile) == _outcome(pyengine, case.facts, profile)


def test_generated_patterns_identical_on_both_backends(engine, pyengine):
    for fp in sample(2000, seed=17):
        assert _outcome(engine, fp, "majority") == _outcome(pyengine, fp, "majority")
