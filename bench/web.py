"""POST /api/decide on Smith against a real `appealable serve`: requests per second, p50 and p95.

One client on one keep-alive connection (the lock serialises evaluations anyway), after a warm-up,
for a bounded number of requests against 127.0.0.1 only; the server is stopped at the end.
Called from bench/run.py; runnable alone: `python bench/web.py`.
"""

from __future__ import annotations

import http.client
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMITH = ROOT / "cases/7th-cir/smith-v-finkley-2021.yaml"
TARGET_P95_MS = 50.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def api_decide_latency(requests: int = 300, warmup: int = 20) -> dict[str, float]:
    """Start the workbench, time POST /api/decide on Smith, stop it; figures in requests/s and ms."""
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "appealable"), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("appealable serve did not start") from None
                time.sleep(0.1)
        body = SMITH.read_bytes()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        times = []
        for i in range(warmup + requests):
            t = time.perf_counter()
            conn.request("POST", "/api/decide", body=body, headers={"Content-Type": "application/yaml"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"POST /api/decide answered {response.status}")
            if i >= warmup:
                times.append(time.perf_counter() - t)
        conn.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {
        "api_decide_requests_per_s": len(times) / sum(times),
        "api_decide_p50_ms": statistics.median(times) * 1000,
        "api_decide_p95_ms": _percentile(times, 95) * 1000,
        "api_decide_requests": len(times),
    }


if __name__ == "__main__":
    r = api_decide_latency()
    print(
        f"POST /api/decide on Smith: {r['api_decide_requests_per_s']:.0f} requests/s, "
        f"p50 {r['api_decide_p50_ms']:.1f} ms, p95 {r['api_decide_p95_ms']:.1f} ms (target p95 < {TARGET_P95_MS} ms)"
    )
