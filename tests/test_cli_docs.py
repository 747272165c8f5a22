"""Every command is documented: help text with an example, and a current docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from fondly.cli._docs import help_text, iter_commands, render

COMMANDS = iter_commands()
DOCS = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_help_ends_with_an_example(name: str, command: click.Command) -> None:
    text = help_text(name, command)
    assert command.help, f"{name} has no help text"
    assert "Example:" in text, f"{name}'s help has no Example block"
    assert name.split()[0] == "fondly"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[c[0] for c in COMMANDS])
def test_command_is_in_the_reference(name: str, command: click.Command) -> None:
    assert f"## {name}\n" in DOCS.read_text(encoding="utf-8")


def test_reference_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run python -m fondly.cli._docs > docs/cli.md"
    )
