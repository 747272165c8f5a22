"""The scorecard's row definitions (``data/rows.tsv``), checked against the metric registry.

Each practice's headline metric is named by its exact id, next to a plain label, the unit
in words and what good looks like, so a reader never sees a negativity rate under
"Positivity" without being told, and a renamed metric fails at load instead of silently
leaving its row empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from fondly.metrics.registry import PRACTICES as REGISTRY_PRACTICES
from fondly.metrics.registry import metrics as registered_metrics


@dataclass(frozen=True)
class Row:
    practice: str
    metric: str
    label: str
    unit: str
    good: str
    citation: str


def known_metric_ids() -> frozenset[str]:
    """Every metric id the registry knows, plus the missing index."""
    return frozenset(m.id for m in registered_metrics()) | {"missing_index"}


def check_ids(ids: tuple[str, ...], where: str) -> None:
    """Fail loudly when a data table names a metric the registry does not have."""
    unknown = sorted(set(ids) - known_metric_ids())
    if unknown:
        raise ValueError(f"{where} names unknown metric ids {unknown}")


@lru_cache(maxsize=1)
def rows() -> dict[str, Row]:
    """practice -> its row definition, in scorecard order."""
    text = resources.files("fondly.insights").joinpath("data/rows.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    out: dict[str, Row] = {}
    for line in lines[1:]:
        row = Row(**dict(zip(header, line.split("\t"), strict=True)))
        if row.practice not in REGISTRY_PRACTICES:
            raise ValueError(f"rows.tsv: unknown practice {row.practice!r}")
        out[row.practice] = row
    check_ids(tuple(r.metric for r in out.values()), "rows.tsv")
    return out
