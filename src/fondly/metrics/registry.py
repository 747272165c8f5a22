"""The metric registry: every metric is one ``.sql`` file with a header block.

A header is a run of ``-- key: value`` comment lines at the top of the file
(continuation lines start with ``--`` and two spaces); a bare ``--`` line ends
it, so the comments after it explain the SQL without leaking into the report.
Keeping the definition, its citation and its minimum data next to the SQL means a reviewer reads one
file to check a metric, and the report can cite the study without a second
source of truth that could drift.

Units (``sql/units/``) are the shared building blocks (turns, sessions,
replies, silences); metrics (``sql/*.sql``) read only units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

PRACTICES = (
    "presence",
    "positivity",
    "care",
    "disclosure",
    "rhythm",
    "growth",
    "reminders",
    "meaningful",
    "shared",
    "cheering",
)
"""The ten practices of the brief, in the order reports show them."""

KINDS = ("share", "ratio", "median", "count", "python")
"""How rows become a value: see ``fondly.metrics.assemble``."""

GRAINS = ("row", "cell")
"""What a metric's SQL returns: one row per event (``row``: other_id, who, month,
start_ms, num, den, evidence_id), or, for shares, one row per person, month and recent
flag already counted (``cell``: other_id, who, month, recent, n events, k hits,
evidence_id; a count is the sum of k). Cells come from units that count many metrics in one pass
(``turn_cells``, ``reply_cells``, ``volume``): one scan instead of one per metric."""

_REQUIRED = ("metric", "name", "practice", "kind", "unit", "direction", "citation", "min_n")


@dataclass(frozen=True)
class Metric:
    """One registered metric: its SQL and what a report needs to present it."""

    id: str
    name: str
    practice: str
    kind: str
    unit: str
    direction: str
    citation: str
    min_n: int
    description: str
    sql: str
    grain: str = "row"

    def info(self) -> dict[str, object]:
        """The descriptive fields of the metrics contract (DEVELOPERS.md)."""
        return {
            "id": self.id,
            "name": self.name,
            "practice": self.practice,
            "kind": self.kind,
            "unit": self.unit,
            "direction": self.direction,
            "citation": self.citation,
            "min_n": self.min_n,
            "description": self.description,
        }


@dataclass(frozen=True)
class Unit:
    """A shared building block, materialised once per computation."""

    name: str
    sql: str


def parse_header(text: str, source: str) -> dict[str, str]:
    """The ``-- key: value`` block at the top of a SQL file."""
    fields: dict[str, str] = {}
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        body = line[2:]
        if not body.strip():
            break  # a bare "--" ends the header: what follows is a SQL comment
        if body.startswith("   ") and last is not None:
            fields[last] += " " + body.strip()
            continue
        key, sep, value = body.strip().partition(":")
        if sep and key and " " not in key:
            last = key.strip()
            fields[last] = value.strip()
        elif last is not None and body.strip():
            fields[last] += " " + body.strip()
    missing = [k for k in _REQUIRED if k not in fields]
    if missing:
        raise ValueError(f"{source}: metric header lacks {', '.join(missing)}")
    return fields


def _sql_files(folder: str) -> list[tuple[str, str]]:
    root = resources.files("fondly.metrics").joinpath(folder)
    return sorted(
        (entry.name, entry.read_text("utf-8"))
        for entry in root.iterdir()
        if entry.name.endswith(".sql")
    )


@cache
def units() -> tuple[Unit, ...]:
    """The units in dependency order (their file names start with a number)."""
    found = []
    for name, text in _sql_files("sql/units"):
        unit_name = name.split("_", 1)[1].removesuffix(".sql")
        found.append(Unit(unit_name, text))
    return tuple(found)


@cache
def metrics() -> tuple[Metric, ...]:
    """Every registered metric, in practice order then file order."""
    found = []
    for name, text in _sql_files("sql"):
        fields = parse_header(text, name)
        if fields["metric"] != name.removesuffix(".sql"):
            raise ValueError(f"{name}: header names metric {fields['metric']!r}")
        if fields["practice"] not in PRACTICES:
            raise ValueError(f"{name}: unknown practice {fields['practice']!r}")
        if fields["kind"] not in KINDS:
            raise ValueError(f"{name}: unknown kind {fields['kind']!r}")
        if fields.get("grain", "row") not in GRAINS or (
            fields.get("grain") == "cell" and fields["kind"] not in ("share", "count")
        ):
            raise ValueError(f"{name}: grain {fields.get('grain')!r} does not fit kind")
        found.append(
            Metric(
                id=fields["metric"],
                name=fields["name"],
                practice=fields["practice"],
                kind=fields["kind"],
                unit=fields["unit"],
                direction=fields["direction"],
                citation=fields["citation"],
                min_n=int(fields["min_n"]),
                description=fields.get("description", ""),
                sql=text,
                grain=fields.get("grain", "row"),
            )
        )
    found.sort(key=lambda m: PRACTICES.index(m.practice))
    return tuple(found)


def get(metric_id: str) -> Metric:
    """One metric by id (KeyError when unknown)."""
    for metric in metrics():
        if metric.id == metric_id:
            return metric
    raise KeyError(metric_id)
