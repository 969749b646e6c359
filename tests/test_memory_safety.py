"""durable_rules' C engine, run as the engine runs it, makes no invalid memory access (valgrind).

durable_rules 2.0.28 walks a fired match's stale frame past its end when two of its facts are
retracted (engine/reasoning/runtime.py, _Ruleset): that corrupted the heap now and then. The
runtime therefore never retracts facts; this test runs decisions under valgrind's memcheck and
fails on any error whose stack passes through durable's C engine. Python's own allocator reports
are not durable's and are not counted (PYTHONMALLOC=malloc keeps them few).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

DECISIONS = """
from engine.analysis.regression import load_cases
from engine.input.errors import ContradictionError
from engine.input.samples import sample
from engine.reasoning.decide import Engine

engine = Engine()
patterns = [case.facts for _, case in load_cases(["cases"])[:25]] + sample(25, seed=5)
for fp in patterns:
    for profile in ("majority", "dissent"):
        try:
            engine.decide(fp, profile).factors
        except ContradictionError:
            pass
print("decided", len(patterns) * 2)
"""


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed (.ci/run installs it)")
def test_durable_makes_no_invalid_memory_access(tmp_path):
    log = tmp_path / "memcheck.log"
    run = subprocess.run(
        ["valgrind", "--tool=memcheck", "--leak-check=no", "--num-callers=12", f"--log-file={log}"]
        + [sys.executable, "-c", DECISIONS],
        cwd=ROOT,
        env={**os.environ, "PYTHONMALLOC": "malloc"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "decided 100" in run.stdout
    text = log.read_text()
    in_durable = [block for block in text.split("\n==") if "durable_rules_engine" in block]
    assert not in_durable, "memcheck errors in durable's C engine:\n" + "\n".join(in_durable[:40])
