"""The package as a user installs it: a wheel (not editable) decides Smith from outside the checkout.

The wheel is built offline (--no-build-isolation) and installed --no-deps into a fresh virtual
environment that borrows this one's dependencies through a .pth line (so nothing is downloaded),
then run from a temporary directory where no rules/ or cases/ folder exists.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SMITH


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    built = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        str(ROOT),
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(tmp / "dist"),
        cwd=tmp,
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp / "dist").glob("appealable-*.whl"))
    venv = tmp / "venv"
    made = run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=tmp)
    assert made.returncode == 0, made.stderr
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "borrowed-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    py = venv / "bin" / "python"
    got = run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(py),
        "install",
        "--no-deps",
        "--no-index",
        "-q",
        str(wheel),
        cwd=tmp,
    )
    assert got.returncode == 0, got.stderr
    return venv


def test_installed_package_decides_smith_outside_the_checkout(installed, tmp_path):
    where = run(
        str(installed / "bin" / "python"),
        "-c",
        "import engine, engine.reasoning.rulebook as r; print(engine.__file__); print(r.default_rules_dir())",
        cwd=tmp_path,
    )
    package, rules = where.stdout.split()
    assert package.startswith(str(installed)) and rules.startswith(str(installed)), where.stdout
    cli = installed / "bin" / "appealable"
    decided = run(str(cli), "decide", str(SMITH), "--format", "json", cwd=tmp_path)
    assert decided.returncode == 0, decided.stderr
    checkout = run(sys.executable, "-m", "engine", "decide", str(SMITH), "--format", "json", cwd=ROOT)
    assert decided.stdout == checkout.stdout
    piped = subprocess.run(
        [str(cli), "decide", "-"], input=SMITH.read_text(encoding="utf-8"), cwd=tmp_path, capture_output=True, text=True
    )
    assert piped.returncode == 0 and piped.stdout.startswith("NOT APPEALABLE")
    lint = run(str(cli), "lint", cwd=tmp_path)
    assert lint.returncode == 0 and "no problems" in lint.stdout
    assert "--host" in run(str(cli), "serve", "--help", cwd=tmp_path).stdout


def test_installed_workbench_finds_its_templates_and_corpus(installed, tmp_path):
    code = (
        "from fastapi.testclient import TestClient\n"
        "from engine.interfaces.web.app import create_app\n"
        "c = TestClient(create_app())\n"
        "print(c.get('/').status_code, c.get('/static/app.css').status_code, c.get('/healthz').json()['cases'] > 40)\n"
    )
    got = run(str(installed / "bin" / "python"), "-W", "ignore", "-c", code, cwd=tmp_path)
    assert got.stdout.split() == ["200", "200", "True"], got.stderr


def test_wheel_contents(installed):
    wheel_dir = next(installed.parent.glob("dist"))
    names = zipfile.ZipFile(next(wheel_dir.glob("*.whl"))).namelist()
    assert "engine/rules/jurisdiction/separability.yaml" in names
    assert "engine/cases/7th-cir/smith-v-finkley-2021.yaml" in names
    for asset in ("questions.yaml", "templates/decision.html", "static/app.css", "static/app.js"):
        assert f"engine/interfaces/web/{asset}" in names
