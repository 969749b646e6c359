"""make bench: where the time goes, measured in one run, written to bench/results.json.

Every target is a ratio or a rate measured in the same run as its yardstick, so machine noise
cancels: one Smith evaluation against the floor of durable_rules itself (one fact asserted,
one firing, state deleted), on durable and on the Python evaluator; batch throughput over
generated fact patterns (one process and all cores) beside the floor; the CLI's cold start
against a bare `python -c pass`; a growth series over patterns with 1-16 disputes and
arguments (table, and bench/growth.png when matplotlib, the `bench` extra, is installed).
The whole measurement runs twice (BENCH_RUNS); the figures of record are the mean of the runs
and `variation` says how far apart the runs were. Also: the corpus regression, what-if, memory
growth over many evaluations, and the web API's figures when bench/api.py provides them.

Two diagnostic figures say how low the two floors under the targets lie: the time a Smith
evaluation spends inside durable_rules' C engine alone, and the time to import the CLI alone.
An evaluation is the decision; the factors (features for comparing cases) are found when first
read, so a figure here does not include them (`decide` on the command line does).
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

from bench import growth  # noqa: E402
from engine.analysis.regression import load_cases, run_case  # noqa: E402
from engine.analysis.whatif import what_if  # noqa: E402
from engine.input.casefile import load_fact_pattern  # noqa: E402
from engine.input.samples import sample  # noqa: E402
from engine.reasoning.decide import Engine  # noqa: E402

SMITH = ROOT / "cases/7th-cir/smith-v-finkley-2021.yaml"
BATCH = int(os.environ.get("BENCH_BATCH", "10000"))
MEMORY_RUNS = int(os.environ.get("BENCH_MEMORY_RUNS", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "2"))
# (figure, "max" or "min", limit): each figure is a ratio or a rate, not a machine-bound time
TARGETS: dict[str, tuple[str, float]] = {
    "durable_to_floor_ratio": ("max", 20.0),
    "python_to_floor_ratio": ("max", 5.0),
    "batch_all_cores_python_per_s": ("min", 10000.0),
    "batch_all_cores_durable_per_s": ("min", 2000.0),
    "cli_to_python_ratio": ("max", 6.0),
    "growth_worst_slope_python": ("max", 1.0),
    "growth_worst_slope_durable": ("max", 1.0),
    "memory_growth_mb_per_100k": ("max", 5.0),
    "api_decide_p95_ms": ("max", 50.0),  # the web layer's own target (bench/web.py)
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cold_start(command: list[str], runs: int = 9) -> float:
    """Median seconds for a whole process, start to exit."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def cli_cold_start() -> tuple[float, float]:
    """(CLI deciding Smith, bare `python -c pass`), interleaved so both see the same machine."""
    cli = [str(Path(sys.executable).parent / "appealable"), "decide", str(SMITH)]
    subprocess.run(cli, check=True, capture_output=True, cwd=ROOT)  # fills the rulebook cache
    pairs = [(cold_start(cli, 3), cold_start([sys.executable, "-c", "pass"], 3)) for _ in range(3)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def durable_c_share(engine: Engine, fp, n: int = 300) -> float:
    """Microseconds per Smith evaluation spent inside durable_rules' C engine alone: the least the
    durable path can cost with this rulebook, however little Python surrounds it."""
    import durable_rules_engine as durable

    spent = [0.0]
    names = ("assert_fact", "assert_facts", "retract_fact", "retract_facts", "start_action_for_state")
    names += ("complete_and_start_action", "delete_state", "create_ruleset")
    originals = {name: getattr(durable, name) for name in names}

    def timed(call):
        def run(*args):
            t = time.perf_counter()
            try:
                return call(*args)
            finally:
                spent[0] += time.perf_counter() - t

        return run

    try:
        for name, call in originals.items():
            setattr(durable, name, timed(call))
        eval_times(engine, fp, n=20)
        spent[0] = 0.0
        eval_times(engine, fp, n=n)  # the same measurement as the Smith figure, warm-up excluded
    finally:
        for name, call in originals.items():
            setattr(durable, name, call)
    return spent[0] / n * 1e6


def output_floor(engine: Engine, fp, n: int = 300) -> float:
    """Microseconds to build only what a Smith decision must hand back, with no rule matched: the
    base facts and one firing record per firing in its trace (the trace is part of the answer).
    Any evaluator in this Python pays at least this much per evaluation."""
    from engine.reasoning.facts import base_facts
    from engine.reasoning.runtime import fire

    decision = engine.decide(fp)
    firings = [(engine.rulebook.by_id[f.rule_id], f.matched, f.evaluation) for f in decision.trace]
    firings += [(engine.rulebook.by_id[f.rule_id], f.matched, f.evaluation) for f in decision.merits_trace]
    times = []
    for _ in range(n):
        t = time.perf_counter()
        base_facts(fp)
        for rule, matched, evaluation in firings:
            fire(rule, matched, evaluation)
        times.append((time.perf_counter() - t) * 1e6)
    return statistics.median(times)


def eval_times(engine: Engine, fp, n: int = 300, fresh: bool = True) -> list[float]:
    for _ in range(20 if n > 20 else 0):
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


def measure(durable_engine: Engine, python_engine: Engine, smith, cores: int) -> dict[str, float]:
    """One run of every timed figure."""
    r: dict[str, float] = {}
    r["cli_cold_start_s"], r["python_pass_s"] = cli_cold_start()
    r["cli_to_python_ratio"] = r["cli_cold_start_s"] / r["python_pass_s"]
    # the imports alone (pydantic and the models it builds at import): a floor under any cold start
    r["cli_import_only_s"] = cold_start([sys.executable, "-c", "import engine.interfaces.cli"], 5)
    r["cli_import_to_python_ratio"] = r["cli_import_only_s"] / r["python_pass_s"]
    r["durable_floor_us"] = durable_floor()
    d = eval_times(durable_engine, smith)
    r["smith_eval_median_us"] = statistics.median(d)
    r["smith_eval_p95_us"] = percentile(d, 95)
    r["smith_eval_warm_cache_median_us"] = statistics.median(eval_times(durable_engine, smith, fresh=False))
    p = eval_times(python_engine, smith)
    r["smith_eval_python_median_us"] = statistics.median(p)
    r["smith_eval_python_p95_us"] = percentile(p, 95)
    r["durable_floor_after_us"] = durable_floor()  # the floor again: noise shows as a gap
    floor = (r["durable_floor_us"] + r["durable_floor_after_us"]) / 2
    r["durable_to_floor_ratio"] = r["smith_eval_median_us"] / floor
    r["python_to_floor_ratio"] = r["smith_eval_python_median_us"] / floor
    r["durable_c_engine_us"] = durable_c_share(durable_engine, smith)
    r["python_output_floor_us"] = output_floor(python_engine, smith)
    r["python_output_floor_to_floor_ratio"] = r["python_output_floor_us"] / floor
    r["durable_c_engine_to_floor_ratio"] = r["durable_c_engine_us"] / floor

    cases = load_cases([ROOT / "cases"])
    t = time.perf_counter()
    for path, case in cases:
        run_case(durable_engine, case, path)
    r["regression_s"] = time.perf_counter() - t
    r["regression_cases"] = len(cases)
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
    r["batch_python_evals_per_floor"] = r["batch_all_cores_python_per_s"] * floor / 1e6

    rows = growth.series({"python": python_engine, "durable": durable_engine})
    for row in rows:
        for key in ("python_us", "durable_us", "python_slope", "durable_slope"):
            if key in row:
                r[f"growth_{row['disputes']}_{key}"] = row[key]
    r["growth_worst_slope_python"] = growth.worst_slope(rows, "python")
    r["growth_worst_slope_durable"] = growth.worst_slope(rows, "durable")
    r["_growth_rows"] = rows  # type: ignore[assignment]
    return r


def bench_api_figures() -> dict[str, float] | None:
    """The web layer's API figures: bench/web.py (POST /api/decide against `appealable serve`),
    or a bench/api.py exposing bench_api(); None when neither is present."""
    try:
        from bench.web import api_decide_latency
    except ImportError:
        try:
            from bench.api import bench_api  # type: ignore[import-not-found]
        except ImportError:
            return None
        return bench_api()
    return api_decide_latency()


def combine(runs: list[dict[str, float]]) -> tuple[dict[str, float], dict[str, float]]:
    """Figures of record (mean of the runs) and each figure's spread: (max - min) / mean."""
    record, variation = {}, {}
    for key in runs[0]:
        if key.startswith("_"):
            continue
        values = [run[key] for run in runs]
        mean = statistics.fmean(values)
        record[key] = mean
        variation[key] = (max(values) - min(values)) / mean if mean else 0.0
    return record, variation


def verdict(r: dict[str, float], key: str) -> str:
    sense, limit = TARGETS[key]
    ok = r[key] <= limit if sense == "max" else r[key] >= limit
    return f"{'<=' if sense == 'max' else '>='} {limit:g}  {'met' if ok else 'MISSED'}"


def main() -> None:
    cores = os.cpu_count() or 1
    durable_engine = Engine()
    python_engine = Engine(durable_engine.rulebook, backend="python")
    smith = load_fact_pattern(SMITH)[0]
    runs = [measure(durable_engine, python_engine, smith, cores) for _ in range(RUNS)]
    r, variation = combine(runs)
    r["memory_growth_mb_python"] = memory_growth("python", MEMORY_RUNS)
    r["memory_growth_mb_durable"] = memory_growth("durable", MEMORY_RUNS // 5)
    # RSS growth is not linear in the number of runs (allocator pools fill, then stay flat), so the
    # figure compared with the target is the larger growth actually measured, not an extrapolation.
    r["memory_growth_mb_per_100k"] = max(r["memory_growth_mb_python"], r["memory_growth_mb_durable"])
    r["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    drawn = growth.plot(runs[0]["_growth_rows"], ["python", "durable"], ROOT / "bench" / "growth.png")

    floor = r["durable_floor_us"]
    rows = [
        ("durable_rules floor (1 fact in, 1 firing, state deleted)", f"{floor:.1f} us", None),
        ("  the floor again, after the Smith runs", f"{r['durable_floor_after_us']:.1f} us", None),
        (
            "one evaluation of Smith, durable (median / p95)",
            f"{r['smith_eval_median_us']:.0f} / {r['smith_eval_p95_us']:.0f} us",
            None,
        ),
        ("  durable / floor", f"{r['durable_to_floor_ratio']:.1f}x", "durable_to_floor_ratio"),
        (
            "  of which inside durable's C engine alone (/ floor)",
            f"{r['durable_c_engine_us']:.0f} us = {r['durable_c_engine_to_floor_ratio']:.1f}x",
            None,
        ),
        ("  same, merits cache warm (median)", f"{r['smith_eval_warm_cache_median_us']:.0f} us", None),
        (
            "one evaluation of Smith, Python evaluator (median / p95)",
            f"{r['smith_eval_python_median_us']:.0f} / {r['smith_eval_python_p95_us']:.0f} us",
            None,
        ),
        ("  Python / floor", f"{r['python_to_floor_ratio']:.1f}x", "python_to_floor_ratio"),
        (
            "  of which building its facts and firing records alone (/ floor)",
            f"{r['python_output_floor_us']:.0f} us = {r['python_output_floor_to_floor_ratio']:.1f}x",
            None,
        ),
        (f"batch of {BATCH}, Python evaluator, 1 core", f"{r['batch_one_core_python_per_s']:.0f} /s", None),
        (
            f"batch of {BATCH}, Python evaluator, {cores} cores",
            f"{r['batch_all_cores_python_per_s']:.0f} /s",
            "batch_all_cores_python_per_s",
        ),
        ("  evaluations per floor-time (rate x floor)", f"{r['batch_python_evals_per_floor']:.2f}", None),
        (f"batch of {BATCH // 5}, durable, 1 core", f"{r['batch_one_core_durable_per_s']:.0f} /s", None),
        (
            f"batch of {BATCH // 5}, durable, {cores} cores",
            f"{r['batch_all_cores_durable_per_s']:.0f} /s",
            "batch_all_cores_durable_per_s",
        ),
        ("CLI cold start, decide Smith (median)", f"{r['cli_cold_start_s'] * 1000:.0f} ms", None),
        ("  bare python -c pass (median)", f"{r['python_pass_s'] * 1000:.0f} ms", None),
        ("  CLI / python", f"{r['cli_to_python_ratio']:.1f}x", "cli_to_python_ratio"),
        (
            "  importing the CLI alone (/ python)",
            f"{r['cli_import_only_s'] * 1000:.0f} ms = {r['cli_import_to_python_ratio']:.1f}x",
            None,
        ),
        (
            "growth: worst log-log slope vs disputes x arguments, Python",
            f"{r['growth_worst_slope_python']:.2f}",
            "growth_worst_slope_python",
        ),
        ("  same, durable", f"{r['growth_worst_slope_durable']:.2f}", "growth_worst_slope_durable"),
        (f"whole cases/ regression, durable ({r['regression_cases']:.0f} cases)", f"{r['regression_s']:.3f} s", None),
        ("what-if on Smith (Python screens, durable confirms)", f"{r['what_if_s']:.3f} s", None),
        (
            f"memory growth: Python over {MEMORY_RUNS}, durable over {MEMORY_RUNS // 5}",
            f"{r['memory_growth_mb_python']:.2f} / {r['memory_growth_mb_durable']:.2f} MB",
            "memory_growth_mb_per_100k",
        ),
    ]
    print(f"{'figure':<62} {'value':>16}  {'spread':>6}  target")
    for label, value, key in rows:
        spread = variation.get(key) if key else None
        print(
            f"{label:<62} {value:>16}  {f'{spread:.0%}' if spread is not None else '':>6}  {verdict(r, key) if key else ''}"
        )
    print("\ngrowth (one pattern per size; median microseconds per evaluation; slope vs the size before)")
    print(f"{'n':>3} {'d x a':>6} {'Python us':>10} {'slope':>6} {'durable us':>11} {'slope':>6}")
    for row in runs[0]["_growth_rows"]:
        ps, ds = row.get("python_slope"), row.get("durable_slope")
        print(
            f"{row['disputes']:>3} {row['size']:>6} {row['python_us']:>10.0f} {'' if ps is None else f'{ps:.2f}':>6}"
            f" {row['durable_us']:>11.0f} {'' if ds is None else f'{ds:.2f}':>6}"
        )
    if drawn:
        print("plot: bench/growth.png")
    api = bench_api_figures()
    if api:
        print("\nweb API (bench/web.py)")
        for key, value in api.items():
            mark = f"  {verdict({key: value}, key)}" if key in TARGETS else ""
            print(f"  {key:<60} {value:>12.1f}{mark}")
        r.update({k if k.startswith("api_") else f"api_{k}": v for k, v in api.items()})
    out = {
        "machine": {"python": platform.python_version(), "cores": cores, "platform": platform.platform()},
        "python": platform.python_version(),
        "cores": cores,
        "batch": BATCH,
        "runs": RUNS,
        "record": "mean of the runs",
        **r,
        "variation": variation,
        "each_run": [{k: v for k, v in run.items() if not k.startswith("_")} for run in runs],
        "growth": runs[0]["_growth_rows"],
        "targets": {k: {"sense": sense, "limit": limit} for k, (sense, limit) in TARGETS.items()},
        "met": {k: verdict(r, k).endswith("met") for k in TARGETS if k in r},
    }
    path = ROOT / "bench" / "results.json"
    path.write_text(json.dumps(out, indent=2, sort_keys=True) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
