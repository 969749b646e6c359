"""Run independent evaluations across processes, results in input order.

Each worker process compiles the rulebook once (its own durable Host) and keeps it for every
task it is given; with one job everything runs in this process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from engine.reasoning.decide import Engine

T = TypeVar("T")
R = TypeVar("R")
_WORKER: Engine | None = None


def _init(rule_paths: list[str] | None, backend: str) -> None:
    global _WORKER
    _WORKER = Engine(rule_paths=rule_paths, backend=backend)


def _call(task: tuple[Callable[[Engine, Any], Any], Any]) -> Any:
    fn, item = task
    assert _WORKER is not None
    return fn(_WORKER, item)


def run_all(
    fn: Callable[[Engine, T], R],
    items: Sequence[T],
    jobs: int = 1,
    engine: Engine | None = None,
    rule_paths: list[str | Path] | None = None,
    backend: str = "durable",
) -> list[R]:
    """fn(engine, item) for every item; in order; across `jobs` processes when jobs > 1."""
    if jobs <= 1 or len(items) <= 1:
        engine = engine or Engine(rule_paths=rule_paths, backend=backend)
        return [fn(engine, item) for item in items]
    from concurrent.futures import ProcessPoolExecutor  # only when parallel: it imports multiprocessing

    paths = [str(p) for p in rule_paths] if rule_paths else None
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(paths, backend)) as pool:
        return list(pool.map(_call, [(fn, item) for item in items], chunksize=max(1, len(items) // (jobs * 4))))
