"""One pipeline: the CLI and the app reach the pipeline layers only through fondly.Fondly.

Imports are read from the source (also those inside functions, where the CLI keeps
its lazy imports), so a command that calls the metrics, features or ingest layers
itself, and so could run the steps in its own order, fails here. Insights read only
the metrics result and the metrics layer's ChatReader: SQL text, store calls or an
import of the store in ``fondly/insights`` fail here too.
"""

from __future__ import annotations

import ast
import re
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
    facade = sorted((PACKAGE / "api").glob("*.py"))
    assert facade, "fondly/api/ holds the facade's modules"
    for path in (*facade, PACKAGE / "export.py", PACKAGE / "people.py"):
        assert not [m for m in imported_modules(path) if reaches(m, "fondly.cli")], path


def test_the_rule_catches_a_lazy_import(tmp_path: Path) -> None:
    sample = tmp_path / "cmd.py"
    sample.write_text("def f():\n    from fondly.metrics import compute\n", encoding="utf-8")
    assert any(reaches(m, "fondly.metrics") for m in imported_modules(sample))


def test_test_support_is_not_in_the_package() -> None:
    assert not (PACKAGE / "metrics" / "synthetic.py").exists()


# -- insights read only the metrics result (and the metrics layer's ChatReader) ----------------

INSIGHTS = sorted((PACKAGE / "insights").rglob("*.py"))
SQL_IN_TEXT = re.compile(
    r"\b(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TEMP\s+)?(TABLE|VIEW)|"
    r"GROUP\s+BY|ORDER\s+BY|JOIN|WITH\s+\w+\s+AS\s*\()\b|\bFROM\s+\w+\s+(WHERE|JOIN|GROUP)\b"
)
STORE_CALLS = {"query", "query_dicts", "execute", "arrow", "register", "unregister", "sql"}


def sql_in(path: Path) -> list[str]:
    """String constants (f-string parts too) that read as SQL: keywords written as SQL is."""
    return [
        node.value.strip()[:60]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and SQL_IN_TEXT.search(node.value)
    ]


def store_calls(path: Path) -> list[str]:
    """Calls of a store's methods (``x.query(...)``, ``x.execute(...)``...)."""
    return [
        f"{node.func.attr}() on line {node.lineno}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in STORE_CALLS
    ]


@pytest.mark.parametrize("path", INSIGHTS, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_insights_hold_no_sql_and_never_touch_the_store(path: Path) -> None:
    imports = sorted(
        m
        for m in imported_modules(path)
        for layer in ("fondly.store", "duckdb")
        if reaches(m, layer)
    )
    assert not imports, f"{path.name} imports {imports}: read through fondly.metrics.reader"
    assert not sql_in(path), f"{path.name} holds SQL {sql_in(path)}: move it to the metrics layer"
    assert not store_calls(path), f"{path.name} calls {store_calls(path)} on the store"


def test_the_insights_rules_catch_sql_and_store_calls(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text(
        "def f(store, ids):\n"
        "    marks = ', '.join('?' for _ in ids)\n"
        "    return store.query(f'SELECT text FROM messages WHERE id IN ({marks})', ids)\n",
        encoding="utf-8",
    )
    assert sql_in(sample) and store_calls(sample) == ["query() on line 3"]
    prose = tmp_path / "prose.py"
    prose.write_text('"""Read from the metrics result; select the messages from them."""\n')
    assert not sql_in(prose) and not store_calls(prose)
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def f():\n    import duckdb\n    from fondly.store import Store\n")
    assert {"duckdb", "fondly.store", "fondly.store.Store"} <= imported_modules(lazy)
