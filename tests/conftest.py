"""Shared fixtures: one compiled engine per test session (a Host per rulebook, as in production)."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.reasoning.decide import Engine

ROOT = Path(__file__).resolve().parent.parent
SMITH = ROOT / "cases/7th-cir/smith-v-finkley-2021.yaml"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine()


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """The real command line, in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def pytest_sessionfinish(session, exitstatus):
    session.config._appealable_exit = int(exitstatus)


def pytest_unconfigure(config):
    """In the browser-test process (see the Makefile), leave without the interpreter's teardown.

    Once pytest has printed its summary and returned, what is left is the deallocation of
    Playwright's greenlets, which intermittently aborted the process after every test had passed;
    an exit handler ends the process with pytest's own status before that teardown.
    """
    if os.environ.get("APPEALABLE_BROWSER_PROCESS") and hasattr(config, "_appealable_exit"):
        code = config._appealable_exit

        def leave() -> None:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

        atexit.register(leave)
