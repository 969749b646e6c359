"""Fuzzing the loader: no malformed input hangs it or raises anything but InputError."""

from __future__ import annotations

import random
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.input.casefile import load_fact_pattern
from engine.input.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "cases").rglob("*.yaml"))[:12] + sorted(
    (Path(__file__).parent / "fixtures" / "bad").glob("*.yaml")
)


def _load(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    started = time.perf_counter()
    try:
        load_fact_pattern(path)
    except InputError as exc:
        assert exc.problems and all(str(p).startswith(str(path)) for p in exc.problems)
    assert time.perf_counter() - started < 5, "the loader must not hang"


def _mutate(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(5)
        pos = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            del buf[pos % len(buf)]
        elif op == 1:
            buf[pos:pos] = bytes([rng.randrange(256)])
        elif op == 2:
            buf[pos:pos] = rng.choice(
                [b":", b"- ", b"{", b"[", b"&a ", b"*a", b"!!python/object ", b"\t", b"'", b'"', b"\n  "]
            )
        elif op == 3 and buf:
            start = rng.randrange(len(buf))
            buf[pos:pos] = buf[start : start + rng.randint(1, 40)]
        else:
            lines = bytes(buf).split(b"\n")
            rng.shuffle(lines)
            buf = bytearray(b"\n".join(lines))
    return bytes(buf)


def test_mutations_of_real_files_only_raise_input_error(tmp_path):
    rng = random.Random(2021)
    for i in range(1500):
        seed = SEEDS[i % len(SEEDS)].read_bytes()
        _load(tmp_path, _mutate(rng, seed))


def test_pathological_shapes(tmp_path):
    for data in (
        b"[" * 50_000,
        b"{a: " * 20_000,
        b"- " * 30_000 + b"x",
        b"a: " + b"x" * 900_000,
        b"\x00\x01\x02",
        b"---\na: 1\n---\nb: 2\n",
        b"%YAML 9.9\n---\na: 1\n",
        b"a: !!binary ZZZ\n",
    ):
        _load(tmp_path, data)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path_factory, data):
    _load(tmp_path_factory.mktemp("fz"), data)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!#'\"\n |>%@`,?")), max_size=200))
def test_random_yaml_like_text(tmp_path_factory, text):
    _load(tmp_path_factory.mktemp("fz"), text.encode())
