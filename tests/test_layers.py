"""The folders show the architecture: imports point down interfaces -> analysis -> reasoning -> input."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parent.parent / "engine"
LAYERS = ("input", "reasoning", "analysis", "interfaces")  # lowest first


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == "engine" and parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    return None


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append(node.module)
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names]
    return out


@pytest.mark.parametrize("layer", LAYERS)
def test_every_import_points_down(layer: str) -> None:
    here = LAYERS.index(layer)
    upward = []
    for path in sorted((ENGINE / layer).rglob("*.py")):
        for module in _imports(path):
            target = _layer(module)
            if target is not None and target > here:
                upward.append(f"{path.relative_to(ENGINE)} imports {module}")
    assert not upward, "imports that point up a layer:\n" + "\n".join(upward)


def test_engine_root_holds_only_the_public_api() -> None:
    flat = sorted(p.name for p in ENGINE.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py"]
