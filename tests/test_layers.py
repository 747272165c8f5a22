"""One pipeline: the CLI and the app reach the pipeline layers only through fondly.Fondly.

Imports are read from the source (also those inside functions, where the CLI keeps
its lazy imports), so a command that calls the metrics, features or ingest layers
itself, and so could run the steps in its own order, fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import fondly

PACKAGE = Path(fondly.__file__).parent
FORBIDDEN = ("fondly.metrics", "fondly.features", "fondly.ingest", "fondly.insights")
FRONT_ENDS = sorted([*(PACKAGE / "cli").glob("*.py"), *(PACKAGE / "app").glob("*.py")])


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def reaches(module: str, layer: str) -> bool:
    return module == layer or module.startswith(layer + ".")


@pytest.mark.parametrize("path", FRONT_ENDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_front_ends_go_through_the_facade(path: Path) -> None:
    bad = sorted(m for m in imported_modules(path) for layer in FORBIDDEN if reaches(m, layer))
    assert not bad, f"{path.name} imports {bad}: call fondly.Fondly instead"


def test_the_facade_does_not_import_the_cli() -> None:
    for path in (PACKAGE / "api.py", PACKAGE / "export.py", PACKAGE / "people.py"):
        assert not [m for m in imported_modules(path) if reaches(m, "fondly.cli")], path


def test_the_rule_catches_a_lazy_import(tmp_path: Path) -> None:
    sample = tmp_path / "cmd.py"
    sample.write_text("def f():\n    from fondly.metrics import compute\n", encoding="utf-8")
    assert any(reaches(m, "fondly.metrics") for m in imported_modules(sample))


def test_test_support_is_not_in_the_package() -> None:
    assert not (PACKAGE / "metrics" / "synthetic.py").exists()
