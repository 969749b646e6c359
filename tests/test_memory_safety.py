"""durable_rules' C engine, run as the engine runs it, makes no invalid memory access (valgrind).

durable_rules 2.0.28 walks a fired match's stale frame past its end when two of its facts are
retracted (engine/reasoning/runtime.py, _Ruleset): that corrupted the heap now and then. The
runtime therefore never retracts facts; this test runs decisions under valgrind's memcheck and
fails on any error whose stack passes through durable's C engine. Python's own allocator reports
are not durable's and are not counted (PYTHONMALLOC=malloc keeps them few).
"""

from __future__ import annotations

import os
import re
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
    errors = in_durable(log.read_text())
    assert not errors, "memcheck errors in durable's C engine:\n" + "\n\n".join(errors[:10])


def in_durable(log: str) -> list[str]:
    """The memcheck errors whose innermost frame is in durable's C engine (each with its frames).

    An error memcheck finds in CPython's own code (uninitialised values it reads on purpose, say)
    is not durable's, even when durable's binding called into CPython."""
    errors, current = [], None
    for line in log.splitlines():
        text = re.sub(r"^==\d+==\s?", "", line)
        if ERROR.match(text):
            current = [text]
            errors.append(current)
        elif current is not None and text.strip():
            current.append(text)
        else:
            current = None
    return ["\n".join(e) for e in errors if len(e) > 1 and "durable_rules_engine" in e[1]]


ERROR = re.compile(
    r"(Invalid (read|write|free)|Conditional jump|Use of uninitialised|Mismatched free|Source and destination|Syscall param)"
)


def test_the_log_reader_finds_durable_errors_only():
    log = """==7== Invalid read of size 4
==7==    at 0x95211F0: deleteMessageFromFrame (in /v/durable_rules_engine.cpython-311-x86_64-linux-gnu.so)
==7==    by 0x9513F0A: handleDeleteMessage (in /v/durable_rules_engine.cpython-311-x86_64-linux-gnu.so)
==7==
==7== Use of uninitialised value of size 8
==7==    at 0x4B0C7A0: Py_TYPE (object.h:133)
==7==    by 0x9510000: pyAssertFacts (in /v/durable_rules_engine.cpython-311-x86_64-linux-gnu.so)
==7==
"""
    found = in_durable(log)
    assert len(found) == 1 and "deleteMessageFromFrame" in found[0]
