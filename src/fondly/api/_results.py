"""The facade's typed results: small dataclasses whose ``to_dict()`` is the CLI's JSON.

Every verb of :class:`fondly.Fondly` answers with one of these (or a list of them), so
a notebook, the CLI's ``--json`` and the web app read the same shapes (docs/metrics.md,
docs/cli.md). Tables for research come as Arrow, which pandas (``table.to_pandas()``)
and polars (``polars.from_arrow(table)``) read without copying.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class FileImported:
    """What importing one file (or one thread of a multi-chat export) did."""

    source: str
    format: str
    chats: int
    seen: int
    added: int
    already_imported: bool
    titles: list[str]
    error: str | None
    skipped: str | None
    notes: list[str]
    unread: list[str]
    import_id: int | None
    not_utf8: list[str] = field(default_factory=list)
    """``FILE:LINE`` of lines with bytes that are not UTF-8 (imported with U+FFFD)."""
    not_utf8_count: int = 0

    @property
    def status(self) -> str:
        """One word for the summary: failed, skipped, already imported or imported."""
        if self.error is not None:
            return "failed"
        if self.skipped is not None:
            return "skipped"
        return "already imported" if self.already_imported else "imported"

    def to_dict(self) -> dict[str, Any]:
        """The shape of one item of ``fondly import --json``'s ``imports``."""
        out = asdict(self)
        # The order fondly import --json has always printed: conversations third.
        return {k: out["chats"] if k == "conversations" else out[k] for k in _FILE_KEYS}


_FILE_KEYS = (
    "source", "format", "conversations", "seen", "added", "already_imported", "titles",
    "error", "skipped", "notes", "unread", "import_id",
)  # fmt: skip


@dataclass(frozen=True)
class ImportReport:
    """What an import did: one entry per file, who "me" is, and the features computed."""

    files: list[FileImported]
    me: str | None
    me_candidates: list[str]
    probably_me: list[dict[str, Any]]
    timezone: str
    features_computed: int
    tz_assumed: bool = False

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def failed(self) -> list[FileImported]:
        return [f for f in self.files if f.error is not None]

    def to_dict(self) -> dict[str, Any]:
        """The JSON ``fondly import --json`` prints."""
        return {
            "imports": [f.to_dict() for f in self.files],
            "me": self.me,
            "me_candidates": list(self.me_candidates),
            "probably_me": [dict(p) for p in self.probably_me],
            "timezone": self.timezone,
            "features_computed": self.features_computed,
        }


@dataclass(frozen=True)
class Chat:
    """One imported chat (``fondly chats --json``)."""

    id: int
    platform: str
    title: str
    is_group: bool
    messages: int
    first: str | None
    last: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Person:
    """One person across every app (``fondly people --json``)."""

    person_id: int
    name: str
    is_me: bool
    platforms: str
    handles: str
    messages: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Import:
    """One imported file (``fondly forget`` without arguments lists them)."""

    import_id: int
    file_path: str
    format: str
    imported_at: str
    messages_added: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Message:
    """One message as the search and the conversation view show it."""

    message_id: str
    conversation_id: int
    chat: str
    sender: str | None
    is_me: bool
    ts_local: str | None
    kind: str
    text: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Report:
    """Metrics and insights for the user's relationships (``fondly report --json``).

    ``metrics`` is the ``fondly.metrics/1`` result, ``insights`` what the reports draw:
    the overview and, per relationship, scorecard, missing index and suggestions.
    """

    metrics: dict[str, Any]
    insights: dict[str, Any]

    @property
    def relationships(self) -> list[dict[str, Any]]:
        """The insights of each relationship, in the metrics' order."""
        return list(self.insights.get("relationships") or [])

    def relationship(self, person_id: int) -> dict[str, Any] | None:
        """The insights of the relationship with one person, if the report has it."""
        return next((r for r in self.relationships if r.get("person_id") == person_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON ``fondly report --json`` prints: the metrics plus ``insights``."""
        return self.metrics | {"insights": self.insights}

    def metrics_frame(self) -> pa.Table:
        """Every metric value as one long Arrow table, a row per person, metric and side.

        Columns: person_id, person, metric_id, practice, side ('me', 'them' or
        'pair'), value, n, lo, hi, enough_data. ``.to_pandas()`` or
        ``polars.from_arrow(...)`` give a DataFrame.
        """
        import pyarrow as pa

        rows: list[dict[str, Any]] = []
        for rel in self.metrics.get("relationships") or []:
            person = rel.get("person") or {}
            for metric_id, metric in sorted((rel.get("metrics") or {}).items()):
                for side in ("me", "them", "pair"):
                    cell = metric.get(side)
                    if not cell:
                        continue
                    interval = cell.get("interval") or [None, None]
                    rows.append(
                        {
                            "person_id": person.get("person_id"),
                            "person": person.get("name"),
                            "metric_id": metric.get("id") or metric_id,
                            "practice": metric.get("practice"),
                            "side": side,
                            "value": _number(cell.get("value")),
                            "n": cell.get("n"),
                            "lo": _number(interval[0]),
                            "hi": _number(interval[1]),
                            "enough_data": bool(cell.get("enough_data")),
                        }
                    )
        schema = pa.schema(
            [
                ("person_id", pa.int64()),
                ("person", pa.string()),
                ("metric_id", pa.string()),
                ("practice", pa.string()),
                ("side", pa.string()),
                ("value", pa.float64()),
                ("n", pa.int64()),
                ("lo", pa.float64()),
                ("hi", pa.float64()),
                ("enough_data", pa.bool_()),
            ]
        )
        return pa.Table.from_pylist(rows, schema=schema)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)
