"""Shared fixtures: one compiled engine per test session (a Host per rulebook, as in production)."""

from __future__ import annotations

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
