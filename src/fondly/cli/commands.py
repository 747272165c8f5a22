"""The list of top-level commands, in the order ``fondly --help`` shows them."""

from __future__ import annotations

import importlib

import click

_MODULES = [
    "import_cmd",
    "forget_cmd",
    "browse_cmd",
    "features_cmd",
    "report_cmd",
    "export_cmd",
    "demo_cmd",
    "app_cmd",
]


def _collect() -> list[click.Command]:
    found: list[click.Command] = []
    for name in _MODULES:
        module = importlib.import_module(f"fondly.cli.{name}")
        found.extend(module.COMMANDS)
    return found


ALL = _collect()
