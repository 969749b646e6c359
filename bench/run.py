"""make bench: where the time goes, measured in one run, written to bench/results.json.

Figures: CLI cold start; one in-process evaluation of Smith (durable, the engine of record, and
the plain-Python evaluator); the whole case corpus; what-if on Smith; batch throughput over
10,000 generated fact patterns (one process and all cores); memory growth over many
evaluations; and the floor of durable_rules itself (one fact in, state deleted), so the
engine's overhead shows as a ratio to it.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.web import api_decide_latency  # noqa: E402
from engine.analysis.regression import load_cases, run_case  # noqa: E402
from engine.analysis.whatif import what_if  # noqa: E402
from engine.input.casefile import load_fact_pattern  # noqa: E402
from engine.input.samples import sample  # noqa: E402
from engine.reasoning.decide import Engine  # noqa: E402

SMITH = ROOT / "cases/7th-cir/smith-v-finkley-2021.yaml"
BATCH = int(os.environ.get("BENCH_BATCH", "10000"))
MEMORY_RUNS = int(os.environ.get("BENCH_MEMORY_RUNS", "100000"))
TARGETS = {
    "cli_cold_start_s": 0.6,
    "smith_eval_median_us": 1000,
    "regression_s": 1.0,
    "what_if_s": 0.5,
    "batch_all_cores_per_s": 2000,
    "memory_growth_mb_per_100k": 5.0,
    "engine_to_floor_ratio": 10.0,
    "api_decide_p95_ms": 50.0,
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cli_cold_start(runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).parent / "appealable"), "decide", str(SMITH)], check=True, capture_output=True
        )
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def eval_times(engine: Engine, fp, n: int = 300, fresh: bool = True) -> list[float]:
    for _ in range(20):
        engine.decide(fp)
    out = []
    for _ in range(n):
        if fresh:
            engine._merits_cache.clear()
        t = time.perf_counter()
        engine.decide(fp)
        out.append((time.perf_counter() - t) * 1e6)
    return out


def durable_floor(n: int = 2000) -> float:
    """Microseconds for durable_rules alone: one rule, one fact asserted, state deleted."""
    from durable import engine as durable

    class Host(durable.Host):
        def _run(self):  # no background threads, as in engine/runtime.py
            return None

    host = Host()
    host.register_rulesets({"floor": {"r": {"all": [{"m": {"type": "x"}}], "run": lambda c: None}}})
    times = []
    for i in range(n):
        t = time.perf_counter()
        host.assert_fact("floor", {"type": "x", "id": 1, "sid": f"s{i}"})
        host.delete_state("floor", f"s{i}")
        times.append((time.perf_counter() - t) * 1e6)
    return statistics.median(times)


def _batch_worker(args: tuple[int, int, str]) -> tuple[int, float]:
    """Evaluate n generated patterns; return (n, seconds spent evaluating, generation excluded)."""
    seed, n, backend = args
    engine = Engine(backend=backend)
    fps = sample(n, seed=seed)
    t = time.perf_counter()
    for fp in fps:
        engine.decide(fp)
    return n, time.perf_counter() - t


def batch(backend: str, jobs: int, n: int) -> float:
    """Evaluations per second over n generated patterns (generation excluded)."""
    per = n // jobs
    if jobs == 1:
        engine = Engine(backend=backend)
        fps = sample(n, seed=1)
        t = time.perf_counter()
        for fp in fps:
            engine.decide(fp)
        return n / (time.perf_counter() - t)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(_batch_worker, [(i, per, backend) for i in range(jobs)]))
    # all workers run at once: the batch takes as long as the slowest one
    return sum(n for n, _ in results) / max(s for _, s in results)


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def memory_growth(backend: str, runs: int) -> float:
    engine = Engine(backend=backend)
    fps = sample(500, seed=3)
    for fp in fps:
        engine.decide(fp)
    start = rss_mb()
    for i in range(runs):
        engine.decide(fps[i % len(fps)])
    return rss_mb() - start


def main() -> None:
    cores = os.cpu_count() or 1
    durable_engine = Engine()
    python_engine = Engine(durable_engine.rulebook, backend="python")
    smith = load_fact_pattern(SMITH)[0]
    r: dict[str, float | int | str] = {"python": platform.python_version(), "cores": cores, "batch": BATCH}

    r["cli_cold_start_s"] = cli_cold_start()
    d = eval_times(durable_engine, smith)
    r["smith_eval_median_us"] = statistics.median(d)
    r["smith_eval_p95_us"] = percentile(d, 95)
    dw = eval_times(durable_engine, smith, fresh=False)
    r["smith_eval_warm_cache_median_us"] = statistics.median(dw)
    p = eval_times(python_engine, smith)
    r["smith_eval_python_median_us"] = statistics.median(p)
    r["smith_eval_python_p95_us"] = percentile(p, 95)

    cases = load_cases([ROOT / "cases"])
    t = time.perf_counter()
    results = [run_case(durable_engine, case, path) for path, case in cases]
    r["regression_s"] = time.perf_counter() - t
    r["regression_cases"] = len(results)

    times = []
    for _ in range(5):
        durable_engine._merits_cache.clear()
        python_engine._merits_cache.clear()
        t = time.perf_counter()
        what_if(durable_engine, smith, search=python_engine)
        times.append(time.perf_counter() - t)
    r["what_if_s"] = statistics.median(times)

    r["batch_one_core_python_per_s"] = batch("python", 1, BATCH)
    r["batch_all_cores_python_per_s"] = batch("python", cores, BATCH)
    r["batch_one_core_durable_per_s"] = batch("durable", 1, BATCH // 5)
    r["batch_all_cores_durable_per_s"] = batch("durable", cores, BATCH // 5)
    r["batch_all_cores_per_s"] = r["batch_all_cores_python_per_s"]

    r["memory_growth_mb_python"] = memory_growth("python", MEMORY_RUNS)
    r["memory_runs_python"] = MEMORY_RUNS
    r["memory_growth_mb_durable"] = memory_growth("durable", MEMORY_RUNS // 5)
    r["memory_runs_durable"] = MEMORY_RUNS // 5
    # RSS growth is not linear in the number of runs (allocator pools fill, then stay flat), so the
    # figure compared with the target is the larger growth actually measured, not an extrapolation.
    r["memory_growth_mb_per_100k"] = max(r["memory_growth_mb_python"], r["memory_growth_mb_durable"])
    r["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    r["durable_floor_us"] = durable_floor()
    r["engine_to_floor_ratio"] = r["smith_eval_median_us"] / r["durable_floor_us"]
    r.update(api_decide_latency())

    rows = [
        ("CLI cold start, decide Smith (median of 7)", f"{r['cli_cold_start_s']:.3f} s", "cli_cold_start_s"),
        (
            "one evaluation of Smith, durable (median / p95)",
            f"{r['smith_eval_median_us']:.0f} / {r['smith_eval_p95_us']:.0f} us",
            "smith_eval_median_us",
        ),
        ("  same, merits cache warm (median)", f"{r['smith_eval_warm_cache_median_us']:.0f} us", None),
        (
            "  same, Python evaluator (median / p95)",
            f"{r['smith_eval_python_median_us']:.0f} / {r['smith_eval_python_p95_us']:.0f} us",
            None,
        ),
        (
            f"whole cases/ regression, durable ({r['regression_cases']} cases)",
            f"{r['regression_s']:.3f} s",
            "regression_s",
        ),
        ("what-if on Smith (Python screens, durable confirms)", f"{r['what_if_s']:.3f} s", "what_if_s"),
        (f"batch of {BATCH}, Python evaluator, 1 core", f"{r['batch_one_core_python_per_s']:.0f} /s", None),
        (
            f"batch of {BATCH}, Python evaluator, {cores} cores",
            f"{r['batch_all_cores_python_per_s']:.0f} /s",
            "batch_all_cores_per_s",
        ),
        (
            f"batch of {BATCH // 5}, durable, 1 core / {cores} cores",
            f"{r['batch_one_core_durable_per_s']:.0f} / {r['batch_all_cores_durable_per_s']:.0f} /s",
            None,
        ),
        (
            f"memory growth: Python over {MEMORY_RUNS}, durable over {MEMORY_RUNS // 5}",
            f"{r['memory_growth_mb_python']:.2f} / {r['memory_growth_mb_durable']:.2f} MB",
            "memory_growth_mb_per_100k",
        ),
        ("durable_rules floor (1 fact in, state deleted)", f"{r['durable_floor_us']:.1f} us", None),
        ("engine / floor ratio (durable Smith median)", f"{r['engine_to_floor_ratio']:.0f}x", "engine_to_floor_ratio"),
        (
            "POST /api/decide on Smith, appealable serve (req/s; p50 / p95)",
            f"{r['api_decide_requests_per_s']:.0f}/s; {r['api_decide_p50_ms']:.1f} / {r['api_decide_p95_ms']:.1f} ms",
            "api_decide_p95_ms",
        ),
    ]
    print(f"{'figure':<58} {'value':>22}  target")
    for label, value, key in rows:
        target = ""
        if key:
            limit = TARGETS[key]
            ok = r[key] >= limit if key == "batch_all_cores_per_s" else r[key] <= limit
            target = f"{'>=' if key == 'batch_all_cores_per_s' else '<'} {limit}  {'met' if ok else 'MISSED'}"
        print(f"{label:<58} {value:>22}  {target}")
    r["targets"] = TARGETS
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(r, indent=2, sort_keys=True) + "\n")
    print(f"\nwritten to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
