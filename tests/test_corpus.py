"""Every case in cases/ is its own test (test id = case id): the rules against what courts held."""

from __future__ import annotations

import pytest

from engine.analysis.regression import load_cases, run_case
from engine.interfaces.render import to_text

CASES = load_cases(["cases"])


@pytest.mark.parametrize(("path", "case"), CASES, ids=[c.id for _, c in CASES])
def test_case(engine, path, case):
    result = run_case(engine, case, path)
    if not result.passed:
        pytest.fail(
            f"{path}\n" + "\n".join(f"  - {d}" for d in result.differences) + "\n" + to_text(result.decision),
            pytrace=False,
        )


def test_corpus_is_large_and_sourced():
    decided = [(p, c) for p, c in CASES if "hypotheticals" not in p]
    assert len(decided) >= 25
    for path, case in decided:
        assert case.source is not None and case.source.url.startswith("http"), path
        assert case.source.holding_summary.strip(), path
