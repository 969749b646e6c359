"""The rulebook cache: a second start reads it, and an edited rule is seen at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine.input.errors import RuleError
from engine.reasoning import rulecache
from engine.reasoning.rulebook import default_rules_dir

ROOT = Path(__file__).resolve().parent.parent
SMITH = ROOT / "cases/7th-cir/smith-v-finkley-2021.yaml"


def _decide(rules: Path, cache: Path) -> dict:
    env = {**os.environ, "APPEALABLE_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-m", "engine", "decide", str(SMITH), "--rules", str(rules), "--format", "json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout)


def test_an_edited_rule_is_seen_by_the_next_command(tmp_path):
    rules, cache = tmp_path / "rules", tmp_path / "cache"
    shutil.copytree(default_rules_dir(), rules)
    first = _decide(rules, cache)
    assert len(list(cache.glob("rulebook-*.pickle"))) == 1
    assert _decide(rules, cache) == first  # from the cache: the same decision
    fired = first["trace"][0]
    path = next(p for p in rules.rglob("*.yaml") if f"id: {fired['rule']}" in p.read_text())
    path.write_text(path.read_text().replace(fired["title"], "An edited title, seen through the cache."))
    second = _decide(rules, cache)
    assert second["trace"][0]["title"] == "An edited title, seen through the cache."
    assert len(list(cache.glob("rulebook-*.pickle"))) == 2  # a new key, not a stale hit


def test_a_rulebook_with_problems_is_never_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("APPEALABLE_CACHE_DIR", str(tmp_path / "cache"))
    bad = tmp_path / "bad.yaml"
    source = (default_rules_dir() / "jurisdiction" / "disposition.yaml").read_text()
    bad.write_text(source.replace("pin: ", "pin: '' #", 1))
    with pytest.raises(RuleError):
        rulecache.load_checked_rulebook([bad])
    assert not list((tmp_path / "cache").glob("rulebook-*.pickle"))


def test_an_unreadable_cache_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("APPEALABLE_CACHE_DIR", str(tmp_path))
    book = rulecache.load_checked_rulebook()
    [cached] = tmp_path.glob("rulebook-*.pickle")
    cached.write_bytes(b"not a pickle")
    again = rulecache.load_checked_rulebook()
    assert [r.id for r in again.rules] == [r.id for r in book.rules]
