"""The terminal report prints names and quotes as text: no escape, bidi override or markup acts.

Names reach the report's headline, reasons and captions as well as its tables, so the
check runs the whole report on a chat with a hostile name, not the name cells alone.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from fondly.cli import cli

HOSTILE = "[bold]Ali\u202eexe.txt\x1b[2J"


def _chat(path: Path) -> Path:
    lines = []
    for month in range(1, 13):
        for day in range(1, 29):
            when = f"{day:02d}/{month:02d}/2024"
            lines.append(f"{when}, 09:00 - Jo: morning! how are you?")
            lines.append(f"{when}, 09:05 - {HOSTILE}: I got the job!!! \u202eso happy\x1b[31m x")
            lines.append(f"{when}, 09:07 - Jo: ok")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_the_whole_report_prints_hostile_text_literally(tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(tmp_path / "s.duckdb")]
    chat = _chat(tmp_path / "WhatsApp Chat with Ali.txt")
    done = runner.invoke(cli, [*db, "import", str(chat), "--me", "Jo", "--tz", "UTC"])
    assert done.exit_code == 0, done.output
    for args in (["report"], ["report", "[bold]Ali"]):
        shown = runner.invoke(cli, [*db, *args], terminal_width=160)
        assert shown.exit_code == 0, (args, shown.output)
        assert "\x1b" not in shown.output and "\u202e" not in shown.output, args
        assert "[bold]Ali" in shown.output, args  # markup stays literal text
