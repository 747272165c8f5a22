"""Progress bars for the steps that take seconds on a large store.

One helper so that every command draws the same bar the same way: on stderr
(stdout carries reports and JSON), with a known total when the step has one
(units to keep, steps of a report, bytes of the export files being read) and a
running count when it does not until the step announces one (messages still to
score), gone when the step ends, and silent when
stderr is not a terminal: a script, a pipe or a test sees nothing. A step
counted in ``"bytes"`` shows megabytes ("12.3/53.0 MB").

The layers below the CLI take a plain ``Callable[[int], None]`` (how many more
units of work are done) and never import this module or Rich.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Advance = Callable[[int], None]
"""Called with how many more units of a step are done."""


class Bar:
    """What :func:`bar` yields: call it with units done; ``expect(n)`` grows the total by n.

    A step that learns its size only once it starts (features: the messages still to
    score) announces it through ``expect``; until then, or without it, the bar counts.
    """

    def __init__(self, advance: Advance | None = None, grow: Advance | None = None) -> None:
        self._advance = advance
        self._grow = grow

    def __call__(self, n: int) -> None:
        if self._advance is not None:
            self._advance(n)

    def expect(self, n: int) -> None:
        """The step has ``n`` more units to do than announced so far."""
        if self._grow is not None:
            self._grow(n)


def _count(done: float, total: float | None, unit: str) -> str:
    """ "done/total unit" as a bar's count column shows it; bytes as megabytes."""
    if unit == "bytes":
        shown = f"{done / 1e6:.1f}" + (f"/{total / 1e6:.1f}" if total is not None else "")
        return shown + " MB"
    shown = f"{int(done)}" + (f"/{int(total)}" if total is not None else "")
    return f"{shown} {unit}".rstrip()


def _count_column(unit: str | None = None) -> Any:
    """A Rich column that draws :func:`_count` (``unit``: fixed, else the task's field)."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class Count(ProgressColumn):
        def render(self, task: Any) -> Text:
            named = unit if unit is not None else str(task.fields.get("unit", ""))
            return Text(_count(task.completed, task.total, named), style="progress.download")

    return Count()


@contextmanager
def bar(console: Any, label: str, total: int | None = None, unit: str = "") -> Iterator[Bar]:
    """A transient bar named ``label`` on ``console`` while the block runs; yields a :class:`Bar`.

    Args:
        console: a Rich console on stderr (``fondly.cli._common.stderr_console``).
        label: what the step does, in the user's words ("preparing reports").
        total: how many units the step has, when known; None draws a running count
            until the step announces one with ``Bar.expect``.
        unit: the word after the count ("messages"), if any.
    """
    if not getattr(console, "is_terminal", False):
        yield Bar()
        return
    from rich.progress import BarColumn, Progress, TextColumn

    columns: list[Any] = [TextColumn(label), BarColumn(), _count_column(unit)]
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(label, total=total)

        def advance(n: int) -> None:
            progress.advance(task, n)

        def grow(n: int) -> None:
            known = progress.tasks[0].total
            progress.update(task, total=(known or 0) + n)

        yield Bar(advance, grow)


Step = Callable[..., Bar]
"""What :func:`steps` yields: ``step(label, unit="")`` makes the :class:`Bar` of one step."""


@contextmanager
def steps(console: Any) -> Iterator[Step]:
    """One transient display for the several steps of a command (Rich draws one at a time).

    Each ``step(label, unit="")`` is a :class:`Bar` whose line appears at its first call:
    a count until the step announces its size with ``Bar.expect``, a bar after. Silent,
    like :func:`bar`, when ``console`` is not a terminal.
    """
    if not getattr(console, "is_terminal", False):
        yield lambda label, unit="": Bar()
        return
    from rich.progress import BarColumn, Progress, TaskID, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        _count_column(),
        console=console,
        transient=True,
    ) as progress:

        def step(label: str, unit: str = "") -> Bar:
            made: list[TaskID] = []

            def task() -> TaskID:
                if not made:
                    made.append(progress.add_task(label, total=None, unit=unit))
                return made[0]

            def advance(n: int) -> None:
                progress.advance(task(), n)

            def grow(n: int) -> None:
                tid = task()
                known = next(t.total for t in progress.tasks if t.id == tid)
                progress.update(tid, total=(known or 0) + n)

            return Bar(advance, grow)

        yield step
