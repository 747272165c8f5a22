"""`fondly annotate`: plain lines or JSON lines in, one JSON record of features per text out."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from fondly.cli import cli
from fondly.features.registry import columns


def records(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_plain_lines_from_stdin() -> None:
    result = CliRunner().invoke(cli, ["annotate"], input="thank you so much\nhahaha\n")
    assert result.exit_code == 0, result.output
    out = records(result.stdout)
    assert [r["gratitude"] for r in out] == [True, False]
    assert out[1]["laughter"] is True
    assert list(out[0]) == list(columns())
    assert out[0]["is_followup"] is None


def test_jsonl_file(tmp_path: Path) -> None:
    path = tmp_path / "texts.jsonl"
    lines = [{"id": 1, "text": "I miss you"}, {"id": 2, "text": "Te extraño"}]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", "utf-8")
    result = CliRunner().invoke(cli, ["annotate", str(path)])
    assert result.exit_code == 0, result.output
    assert [r["missing"] for r in records(result.stdout)] == [True, True]


def test_bad_jsonl_names_the_line_not_the_text(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n{"text": "secret words\n', "utf-8")
    result = CliRunner().invoke(cli, ["annotate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2:" in result.output
    assert "secret" not in result.output
