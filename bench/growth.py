"""Growth series: time per evaluation against the size of the fact pattern.

One generated pattern per size n (n disputes, n arguments, every argument relying on every
dispute, so n * n reliance links); each dispute states both versions of the scene, so each
genuine one costs two merits evaluations. The question is whether the time grows no faster
than disputes x arguments: the log-log slope between successive sizes says it (1 is linear).
"""

from __future__ import annotations

import math
import random
import statistics
import time
from pathlib import Path
from typing import Any

from engine.input.model import FactPattern
from engine.reasoning.decide import Engine

SIZES = (1, 2, 4, 8, 16)
VIDEO = ("none", "ambiguous", "blatantly_contradicts_plaintiff", "none")
FACTORS = ("immediate_threat", "resistance", "armed", "crime_severity")


def pattern(n: int, seed: int = 7) -> FactPattern:
    """n disputes and n arguments, deterministic; the mix of video and reliance repeats every few."""
    rng = random.Random(seed)
    keys = [f"d{i}" for i in range(n)]
    disputes: list[dict[str, Any]] = [
        {
            "key": k,
            "about": f"dispute {i}",
            "bears_on": [FACTORS[i % len(FACTORS)]],
            "video": VIDEO[i % len(VIDEO)],
            "plaintiff_scene": {"threatening_movement": False, "surrendering": rng.random() < 0.7},
            "defendant_scene": {"threatening_movement": True, "surrendering": False},
        }
        for i, k in enumerate(keys)
    ]
    arguments = [
        {
            "key": f"a{j}",
            "prong": ("violation", "clearly_established")[j % 2],
            "accepts_plaintiff_version": j % 3 == 0,
            "relies_on": [
                {"dispute": k, "reliance": ("essential", "passing")[(i + j) % 2]} for i, k in enumerate(keys)
            ],
        }
        for j in range(n)
    ]
    return FactPattern.model_validate(
        {
            "case": {"court": "7th-cir", "posture": "summary_judgment", "appeal_from": "interlocutory"},
            "claim": {"kind": "excessive_force", "force": "deadly"},
            "order": {
                "ruling": "denied",
                "defense": "qualified_immunity",
                "basis": "factual_disputes",
                "disputes_named": keys[::2],
                "jury_could_find": True,
            },
            "disputes": disputes,
            "arguments": arguments,
            "scene": {"believed_armed": True, "resistance": "passive", "crime_severity": "serious"},
        }
    )


def time_per_evaluation(engine: Engine, fp: FactPattern, runs: int) -> float:
    """Median microseconds per decision, merits cache cleared each time (every evaluation paid)."""
    engine.decide(fp)
    times = []
    for _ in range(runs):
        engine._merits_cache.clear()
        t = time.perf_counter()
        engine.decide(fp)
        times.append((time.perf_counter() - t) * 1e6)
    return statistics.median(times)


def series(engines: dict[str, Engine], runs: int = 30) -> list[dict[str, Any]]:
    rows = []
    for n in SIZES:
        fp = pattern(n)
        row: dict[str, Any] = {"disputes": n, "arguments": n, "size": n * n}
        for name, engine in engines.items():
            row[f"{name}_us"] = time_per_evaluation(engine, fp, max(5, runs // n))
        rows.append(row)
    for prev, row in zip(rows, rows[1:], strict=False):
        for name in engines:
            row[f"{name}_slope"] = math.log(row[f"{name}_us"] / prev[f"{name}_us"]) / math.log(
                row["size"] / prev["size"]
            )
    return rows


def worst_slope(rows: list[dict[str, Any]], name: str) -> float:
    return max(r[f"{name}_slope"] for r in rows if f"{name}_slope" in r)


def plot(rows: list[dict[str, Any]], names: list[str], path: Path) -> bool:
    """Draw the series (log-log, with a linear reference); False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sizes = [r["size"] for r in rows]
    fig, ax = plt.subplots(figsize=(6, 4))
    for name in names:
        times = [r[f"{name}_us"] / 1000 for r in rows]
        ax.plot(sizes, times, marker="o", label=name)
        ax.plot(sizes, [times[0] * s / sizes[0] for s in sizes], linestyle=":", color="grey")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("disputes x arguments (n x n)")
    ax.set_ylabel("ms per evaluation")
    ax.set_title("Growth of one evaluation (dotted: linear from n = 1)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return True
