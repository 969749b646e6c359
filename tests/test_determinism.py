"""Same input, same bytes; long runs and threads give the answers fresh processes give."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import threading

from engine.input.casefile import load_fact_pattern
from engine.input.samples import sample
from engine.interfaces.render import to_json
from engine.reasoning.decide import Engine
from tests.conftest import ROOT, SMITH, run_cli

PATTERNS = sample(200, seed=5)


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 1e6


def _fresh_process_answers(seed: int, n: int) -> list[str]:
    code = (
        "import json, sys\n"
        "from engine.reasoning.decide import Engine\nfrom engine.input.samples import sample\n"
        f"e = Engine()\nprint(json.dumps([e.decide(fp).disposition + '/' + e.decide(fp).outcome for fp in sample({n}, seed={seed})]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    )
    return json.loads(out.stdout)


def test_json_is_byte_identical_100_times_and_across_processes(engine):
    from engine.analysis.precedents import decide_with_precedents
    from engine.input.casefile import load_fact_pattern

    fp = load_fact_pattern(SMITH)[0]
    outputs = {to_json(decide_with_precedents(engine, fp)) for _ in range(100)}  # as `decide` prints it
    assert len(outputs) == 1
    cli = {run_cli("decide", str(SMITH), "--format", "json").stdout for _ in range(3)}
    assert cli == {outputs.pop() + "\n"}


def test_ten_thousand_evaluations_match_fresh_processes_and_memory_stays_flat():
    engine = Engine()
    fresh = _fresh_process_answers(5, len(PATTERNS))
    for fp in PATTERNS[:50]:  # warm up caches and allocator before measuring
        engine.decide(fp)
    start = _rss_mb()
    for i in range(10_000):
        fp = PATTERNS[i % len(PATTERNS)]
        d = engine.decide(fp)
        assert f"{d.disposition}/{d.outcome}" == fresh[i % len(PATTERNS)], i
    growth = _rss_mb() - start
    print(f"memory growth over 10,000 evaluations: {growth:.2f} MB")
    assert growth < 10


def test_eight_threads_give_the_answers_one_thread_gives(engine):
    expected = [to_json(engine.decide(fp)) for fp in PATTERNS[:40]]
    results: dict[int, list[str]] = {}

    def work(n: int) -> None:
        results[n] = [to_json(engine.decide(fp)) for fp in PATTERNS[:40]]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(results[n] == expected for n in range(8))


def test_a_decision_travels_between_processes_with_its_factors(engine):
    """`test --jobs N` and `decide --jobs N` pickle decisions; the factors, found lazily, go with them."""
    decision = engine.decide(load_fact_pattern(SMITH)[0])
    copy = pickle.loads(pickle.dumps(decision))
    assert copy.factors == decision.factors and copy.factors
    assert [f.rule_id for f in copy.factor_trace] == [f.rule_id for f in decision.factor_trace]
    assert copy.as_dict() == decision.as_dict()
