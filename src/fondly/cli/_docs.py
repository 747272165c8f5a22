"""Generate docs/cli.md from the commands' own ``--help``, so the reference cannot drift.

Run ``python -m fondly.cli._docs > docs/cli.md`` after changing a command; a test
fails when the checked-in file differs from what this prints.
"""

from __future__ import annotations

import click

from fondly.cli import cli
from fondly.cli._common import CONTEXT_SETTINGS


def iter_commands(
    group: click.Group = cli, prefix: str = "fondly"
) -> list[tuple[str, click.Command]]:
    """Every command and subcommand as ``(full name, command)``, in help order."""
    found: list[tuple[str, click.Command]] = []
    ctx = click.Context(group, info_name=prefix)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        full = f"{prefix} {name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found.extend(iter_commands(command, full))
    return found


def help_text(full_name: str, command: click.Command) -> str:
    """The help a user sees for ``full_name --help``.

    The context chain starts at the root group, as in a real invocation, so that
    inherited settings (``-h`` as well as ``--help``) are the same whatever ran first:
    Click caches each command's help option the first time it is built.
    """
    parts = full_name.split()
    ctx = click.Context(cli, info_name=parts[0], **CONTEXT_SETTINGS)  # type: ignore[arg-type]
    group: click.Command = cli
    for name in parts[1:]:
        assert isinstance(group, click.Group)
        sub = group.get_command(ctx, name)
        assert sub is not None
        ctx = click.Context(sub, info_name=name, parent=ctx, terminal_width=100)
        group = sub
    return command.get_help(ctx)


def render() -> str:
    lines = [
        "# fondly command reference",
        "",
        "Generated from `--help` by `python -m fondly.cli._docs > docs/cli.md`;",
        "do not edit by hand.",
        "",
    ]
    for full, command in iter_commands():
        lines += [f"## {full}", "", "```", help_text(full, command).rstrip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
