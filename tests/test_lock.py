"""The environment the tests run in is the one the lock pins.

A development venv once drifted to DuckDB 2.0.1 while the lock pinned 1.5.5: every figure
in bench/README.md was measured on a version no user gets, and a 22-minute report on
1.5.5 went unseen. ``make install`` reinstalls only when the lock changes, so a package
upgraded by hand stays; this test names it.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parent.parent / "requirements.lock"


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonicalize_name(name)] = version.split(";", 1)[0].strip()
    return pins


def test_the_lock_pins_duckdb() -> None:
    assert "duckdb" in _pins()


def test_every_installed_locked_package_has_its_locked_version() -> None:
    installed: dict[str, str] = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if dist.metadata["Name"]
    }
    drifted = {
        name: f"{installed[name]} installed, {pinned} locked"
        for name, pinned in _pins().items()
        if name in installed and installed[name] != pinned
    }
    if drifted:
        pytest.fail(f"the venv differs from requirements.lock (run `make clean test`): {drifted}")
