"""Relationship metrics: one SQL file per metric, run on DuckDB or Spark.

``compute(store)`` returns every metric for every relationship of the user in
the shape documented in docs/metrics.md (schema ``fondly.metrics/1``).
"""

from fondly.metrics._compute import SCHEMA, compute, keep_units
from fondly.metrics.registry import PRACTICES, Metric, metrics

__all__ = ["PRACTICES", "SCHEMA", "Metric", "compute", "keep_units", "metrics"]
