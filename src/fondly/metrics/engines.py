"""Where metric SQL runs: DuckDB over the store (default) or Spark over Parquet.

Both engines take the same DuckDB-dialect SQL. Spark receives it transpiled by
sqlglot, plus one rewrite sqlglot gets wrong (``quantile_cont`` becomes Spark's
exact ``percentile``, the same linear interpolation). Metric SQL therefore
stays in the subset the two share; the parity tests hold both to it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from fondly._errors import MissingExtra
from fondly.store import Store

# Tokens: runs of letters (with inner apostrophes) or one emoji, case-folded.
# Written for RE2 (DuckDB) and java.util.regex (Spark), which agree on \p{L} and \x{...}.
TOKEN_PATTERN = r"\p{L}+(?:'\p{L}+)*|[\x{1F300}-\x{1FAFF}\x{2600}-\x{27BF}]"
TOKEN_COLUMNS = "text_id"

BASE_TABLES = ("messages", "handles", "people", "conversations", "message_features")
"""The store tables metrics read; ``fondly export corpus`` writes these and chat membership
(fondly.export.CORPUS_TABLES)."""


class Engine(Protocol):
    """What ``compute`` needs from an engine."""

    name: str

    def columns(self, table: str) -> list[str]:
        """Column names of a base table."""
        ...

    def materialize(self, name: str, sql: str, *, lazy: bool = False) -> None:
        """Make the result of ``sql`` available to later SQL as ``name``.

        ``lazy`` asks for a view (read once, not worth storing) instead of a table.
        """
        ...

    def fetch(self, sql: str) -> pa.Table:
        """Run a query and return every row."""
        ...

    def cleanup(self, names: list[str]) -> None:
        """Drop what ``materialize`` made."""
        ...

    def materialize_tokens(self, name: str, source: str) -> None:
        """Split the (already case-folded) ``text`` of ``source`` into numbered tokens as ``name``.

        The one engine-specific step: exploding a list needs each engine's own
        syntax. Columns: the source's (minus text), ``pos``, ``tok``, and flags
        ``common`` (a very common word) and ``is_word`` (letters, not emoji).
        """
        ...


class DuckDBEngine:
    """Runs metric SQL on the store's own connection.

    Units become TEMP tables: each is read by many metrics, and recomputing the
    turn and session windows per metric would multiply the cost by twenty.
    Temp tables live in memory beside the store, so a read-only store works too.
    """

    name = "duckdb"

    def __init__(self, store: Store) -> None:
        self.store = store
        self._kinds: dict[str, str] = {}

    def columns(self, table: str) -> list[str]:
        return self.store.columns(table)

    def materialize(self, name: str, sql: str, *, lazy: bool = False) -> None:
        kind = "VIEW" if lazy else "TABLE"
        self._kinds[name] = kind
        self.store.execute(f"CREATE OR REPLACE TEMP {kind} {name} AS {sql}")

    def fetch(self, sql: str) -> pa.Table:
        return self.store.arrow(sql)

    def cleanup(self, names: list[str]) -> None:
        for name in names:
            kind = self._kinds.pop(name, "TABLE")
            self.store.execute(f"DROP {kind} IF EXISTS temp.{name}")

    def materialize_tokens(self, name: str, source: str) -> None:
        pattern = TOKEN_PATTERN.replace("'", "''")
        self.materialize(
            name,
            f"""
            SELECT {TOKEN_COLUMNS}, pos, tok,
                   CASE WHEN tok IN ({common_words_sql()}) THEN 1 ELSE 0 END AS common,
                   CASE WHEN regexp_matches(tok, '^\\p{{L}}') THEN 1 ELSE 0 END AS is_word
            FROM (
                SELECT {TOKEN_COLUMNS}, unnest(range(len(toks))) AS pos, unnest(toks) AS tok
                FROM (SELECT {TOKEN_COLUMNS}, regexp_extract_all(text, '{pattern}') AS toks
                      FROM {source})
            )
            """,
        )


def common_words_sql() -> str:
    """The common-word list as a SQL IN-list (fondly.metrics.idioms.COMMON)."""
    from fondly.metrics.idioms import COMMON

    return ", ".join("'" + w.replace("'", "''") + "'" for w in sorted(COMMON))


def to_spark_sql(sql: str) -> str:
    """DuckDB-dialect SQL as Spark SQL."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="duckdb")

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.PercentileCont) and node.args.get("expression") is not None:
            return exp.Anonymous(
                this="percentile", expressions=[node.this.copy(), node.expression.copy()]
            )
        return node

    return tree.transform(rewrite).sql(dialect="spark")


def spark_session(warehouse: str | Path | None = None) -> Any:
    """A local Spark session configured for fondly (UTC, quiet, no UI).

    Raises:
        MissingExtra: when pyspark is not installed.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingExtra("spark", "running metrics on Spark") from None
    # Spark spills shuffle blocks and checkpoints (message text) to its local folder and
    # the JVM's temp folder: both go to the store's scratch folder while one is open
    # (removed on exit, and by the next run after a kill), never to a shared /tmp.
    from fondly._private import scratch_dir

    local = tempfile.mkdtemp(prefix="fondly-spark-", dir=scratch_dir())
    warehouse = warehouse or local
    session = (
        SparkSession.builder.master("local[2]")
        .appName("fondly-metrics")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(warehouse))
        # Corpora that fit one machine are small for Spark: few partitions keep
        # each of the ~40 queries from scheduling hundreds of empty tasks.
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.local.dir", local)
        .config("spark.driver.extraJavaOptions", f"-Duser.timezone=UTC -Djava.io.tmpdir={local}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """Runs metric SQL on Spark over a Parquet export (``fondly export corpus``).

    Args:
        spark: a SparkSession (see :func:`spark_session`).
        corpus: the folder holding ``<table>.parquet`` for each base table.
    """

    name = "spark"

    def __init__(self, spark: Any, corpus: str | Path) -> None:
        self.spark = spark
        self.corpus = Path(corpus)
        self._frames: dict[str, Any] = {}
        for table in BASE_TABLES:
            frame = spark.read.parquet(str(self.corpus / f"{table}.parquet"))
            frame.createOrReplaceTempView(table)
            self._frames[table] = frame

    def columns(self, table: str) -> list[str]:
        return list(self._frames[table].columns)

    def materialize(self, name: str, sql: str, *, lazy: bool = False) -> None:
        frame = self.spark.sql(to_spark_sql(sql))
        if not lazy:
            # Computed now and cut from its plan: a cached view still carries
            # its whole plan into every query that reads it, and with units
            # built on units (tokens -> phrases -> counts) the analyser ran out
            # of heap on the inside-jokes query.
            frame = frame.localCheckpoint(eager=True)
        frame.createOrReplaceTempView(name)
        self._frames[name] = frame

    def fetch(self, sql: str) -> pa.Table:
        frame = self.spark.sql(to_spark_sql(sql))
        names = frame.columns
        rows = frame.collect()
        return pa.table({n: [row[i] for row in rows] for i, n in enumerate(names)})

    def materialize_tokens(self, name: str, source: str) -> None:
        # Spark string literals unescape backslashes, so the pattern's are doubled.
        pattern = TOKEN_PATTERN.replace("\\", "\\\\").replace("'", "\\'")
        frame = self.spark.sql(
            f"""
            SELECT {TOKEN_COLUMNS}, pos, tok,
                   CASE WHEN tok IN ({common_words_sql()}) THEN 1 ELSE 0 END AS common,
                   CASE WHEN tok RLIKE '^\\\\p{{L}}' THEN 1 ELSE 0 END AS is_word
            FROM (SELECT {TOKEN_COLUMNS}, regexp_extract_all(text, '{pattern}', 0) AS toks
                  FROM {source}) s
            LATERAL VIEW posexplode(toks) p AS pos, tok
            """
        ).localCheckpoint(eager=True)
        frame.createOrReplaceTempView(name)
        self._frames[name] = frame

    def cleanup(self, names: list[str]) -> None:
        for name in names:
            frame = self._frames.pop(name, None)
            if frame is not None:
                frame.unpersist()
            self.spark.catalog.dropTempView(name)
