"""The checked rulebook, cached on disk: a command's start-up should not re-read every rule file.

Loading and validating the rule files is the largest piece of a cold `appealable decide` that
is not Python importing itself (about 40 ms of YAML with line marks and model validation,
against under 2 ms to unpickle the result; more when lint runs its solver). A rulebook that loaded and passed lint is pickled
under a key hashed from the content and path of every rule file and from the engine sources
that read and lint them, so editing a rule, adding or removing a file, or changing the engine
all miss the cache; nothing is ever invalidated by time. A rulebook with problems is never
cached (the problems are reported every time). The cache lives in APPEALABLE_CACHE_DIR, else
$XDG_CACHE_HOME/appealable, else ~/.cache/appealable: a directory of the user's own, since
unpickling trusts the file. Any failure to read or write it falls back to loading the files.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from engine.input.errors import RuleError
from engine.reasoning.rulebook import RuleBook, load_rulebook, rule_files

FORMAT = b"appealable-rulebook-2"


def cache_dir() -> Path:
    if explicit := os.environ.get("APPEALABLE_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "appealable"


def cache_key(files: list[Path], conflicts: bool = True) -> str:
    """A hash of every rule file (path and bytes), of the lint asked for, and of the engine code
    that reads and checks them (every module of the input and reasoning layers)."""
    digest = hashlib.sha256(FORMAT + (b"+conflicts" if conflicts else b""))
    digest.update(sys.version.encode())
    engine_root = Path(__file__).resolve().parents[1]
    for source in sorted([*engine_root.glob("input/*.py"), *engine_root.glob("reasoning/*.py")]):
        digest.update(source.read_bytes())
    for path in files:
        digest.update(str(path.resolve()).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def load_checked_rulebook(paths: list[str | Path] | None = None, conflicts: bool = True) -> RuleBook:
    """The rulebook from the rule files named (default rules/), loaded and linted, or RuleError.

    conflicts: also run lint's solver checks (see engine/reasoning/lint.py).
    """
    files = rule_files(paths)
    try:
        target = cache_dir() / f"rulebook-{cache_key(files, conflicts)}.pickle"
    except OSError:  # a rule file that cannot be read: let the loader report it
        target = None
    if target is not None and target.is_file():
        try:
            with target.open("rb") as f:
                book = pickle.load(f)
            if isinstance(book, RuleBook):
                return book
        except Exception:  # a truncated or foreign file: rebuild it
            pass
    from engine.reasoning.lint import lint  # only on a miss: lint and its vocabulary are large

    book = load_rulebook(paths)
    problems = lint(book, conflicts=conflicts)
    if problems:
        raise RuleError(problems)
    if target is not None:
        _store(target, book)
    return book


def _store(target: Path, book) -> None:
    """Write atomically (a temporary file renamed), so a concurrent reader never sees half a file."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".rulebook-", delete=False) as f:
            pickle.dump(book, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, target)
    except OSError:
        pass  # a read-only home: run without the cache


def content_key(kind: str, files: list[Path], extra: str = "") -> str:
    """A hash of the named files' paths and bytes, for caches of results derived from them."""
    digest = hashlib.sha256(f"{kind}\0{extra}\0{sys.version}".encode())
    for path in files:
        digest.update(str(path.resolve()).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def cached(name: str, build):
    """`build()`'s result, from the cache directory when present (written atomically otherwise)."""
    target = cache_dir() / f"{name}.pickle"
    if target.is_file():
        try:
            with target.open("rb") as f:
                return pickle.load(f)
        except Exception:  # a truncated or foreign file: rebuild it
            pass
    value = build()
    _store(target, value)
    return value
