"""``compute``: run every registered metric and assemble the contract dict.

The work splits in two. SQL (units, then one query for the summed metrics and
one per median or idiom metric) turns messages into small aggregated rows: per
relationship, person, month and "in the last 30 days" flag, the sums a value and
its interval need. Python then only adds those rows up (:mod:`._blocks`), so the
same assembly serves DuckDB and Spark, and the parity test compares engines on
exactly what a report shows.
"""

from __future__ import annotations

import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

import pyarrow as pa

from fondly._defaults import DEFAULT_GAP_MINUTES, RECENT_MS, TURN_GAP_MS
from fondly._errors import UsageError
from fondly.metrics import coverage, idioms, kept, missing
from fondly.metrics._blocks import (
    Volume,
    empty,
    median_metric,
    split_by_metric,
    sum_metric,
)
from fondly.metrics.engines import DuckDBEngine, Engine
from fondly.metrics.registry import Metric, metrics, units
from fondly.metrics.stats import Z95
from fondly.store import Store

SCHEMA = "fondly.metrics/1"

FUNCTION_WORD_CATEGORIES = (
    "ppron", "ipron", "article", "prep", "auxverb", "adverb", "conj", "negate", "quant",
)  # fmt: skip
"""The ``fw_*`` columns of the features contract, in the order of the brief (R4)."""

# The message_features contract (DEVELOPERS.md): name -> SQL type. Booleans are
# read as 1/0/NULL integers so that "not scored" stays apart from "no".
FEATURE_TYPES: dict[str, str] = {
    "lang": "TEXT",
    "n_words": "INTEGER",
    "sentiment": "DOUBLE",
    "is_question": "BOOLEAN",
    "question_kind": "TEXT",
    "is_followup": "BOOLEAN",
    "affection": "BOOLEAN",
    "missing": "BOOLEAN",
    "reminder": "BOOLEAN",
    "gratitude": "BOOLEAN",
    "apology": "BOOLEAN",
    "laughter": "BOOLEAN",
    "support": "BOOLEAN",
    "encouragement": "BOOLEAN",
    "disclosure_emotional": "BOOLEAN",
    "disclosure_info": "BOOLEAN",
    "distress": "BOOLEAN",
    "good_news": "BOOLEAN",
    "enthusiasm": "BOOLEAN",
    "passive_ack": "BOOLEAN",
    "plan": "BOOLEAN",
    "future_talk": "BOOLEAN",
    "reminiscence": "BOOLEAN",
    "novelty": "BOOLEAN",
    "negativity": "BOOLEAN",
    "hostility": "BOOLEAN",
    "we_words": "INTEGER",
    "i_words": "INTEGER",
    "you_words": "INTEGER",
    # the nine language-style-matching categories (Ireland & Pennebaker 2010)
    **{f"fw_{c}": "INTEGER" for c in FUNCTION_WORD_CATEGORIES},
}
_FLAGS = [name for name, kind in FEATURE_TYPES.items() if kind == "BOOLEAN"]
_COUNTS = ["we_words", "i_words", "you_words", *(f"fw_{c}" for c in FUNCTION_WORD_CATEGORIES)]
"""Word counts carried on each message for the style unit (we-talk, LSM, partner questions)."""


def _flag_alias(name: str) -> str:
    return "question" if name == "is_question" else name


_READ_ONCE = frozenset({"idiom_messages"})
"""Units read by one statement only: views, so they are not stored."""


def _params(engine: Engine, me_id: int, other_id: int | None, gap_minutes: int) -> dict[str, str]:
    """Template values for the unit and metric SQL (all literals, never user text)."""
    dm_columns = ["f.sentiment AS sentiment"]
    for flag in _FLAGS:
        # A cast keeps NULL (not scored) apart from 0 (no) and costs less than a CASE.
        dm_columns.append(f"CAST(f.{flag} AS INTEGER) AS {_flag_alias(flag)}")
    dm_columns.extend(f"f.{name} AS {name}" for name in _COUNTS)
    dm_columns.append(
        "CASE WHEN f.disclosure_emotional OR f.disclosure_info THEN 1 "
        "WHEN NOT f.disclosure_emotional OR NOT f.disclosure_info THEN 0 END AS disclosure_any"
    )
    turn_flags = [f"max({_flag_alias(flag)}) AS {_flag_alias(flag)}" for flag in _FLAGS]
    turn_flags.append("max(disclosure_any) AS disclosure_any")
    single_flags = [f"{_flag_alias(flag)}" for flag in _FLAGS] + ["disclosure_any"]
    return {
        "me_id": str(int(me_id)),
        "gap_ms": str(int(gap_minutes) * 60_000),
        "turn_gap_ms": str(TURN_GAP_MS),
        "person_filter": "" if other_id is None else f"AND other_id = {int(other_id)}",
        "feature_columns": ",\n           ".join(dm_columns),
        "turn_flags": ",\n       ".join(turn_flags),
        "single_turn_flags": ",\n       ".join(single_flags),
        "elsewhere_ratio": f"CAST({float(idioms.ELSEWHERE_RATIO)!r} AS DOUBLE)",
        "dm_messages": "messages",
        "kept_answers": "",
    }


def render(sql: str, params: dict[str, str]) -> str:
    """Fill ``{{name}}`` placeholders and drop the header comments."""
    for key, value in params.items():
        sql = sql.replace("{{" + key + "}}", value)
    return "\n".join(line for line in sql.splitlines() if not line.startswith("--"))


def features_sql(engine: Engine) -> str:
    """The features table with every contract column, NULL where the layer has not filled it.

    Metrics must work before (and while) the features layer fills
    ``message_features``; a missing column reads as "not scored".
    """
    present = set(engine.columns("message_features"))
    columns = ["message_id"]
    for name, kind in FEATURE_TYPES.items():
        columns.append(name if name in present else f"CAST(NULL AS {kind}) AS {name}")
    return f"SELECT {', '.join(columns)} FROM message_features"


def _aggregate_sql(metric_sql: str) -> str:
    return f"""
        SELECT r.other_id, r.who, r.month,
               CASE WHEN r.start_ms >= rel.last_ms - {RECENT_MS} THEN 1 ELSE 0 END AS recent,
               count(*) AS n_rows,
               sum(r.num) AS num, sum(r.den) AS den,
               sum(r.num * r.num) AS num2, sum(r.num * r.den) AS numden,
               sum(r.den * r.den) AS den2,
               max(r.evidence_id) AS evidence_id
        FROM ({metric_sql}) r
        JOIN relationships rel ON rel.other_id = r.other_id
        GROUP BY r.other_id, r.who, r.month,
                 CASE WHEN r.start_ms >= rel.last_ms - {RECENT_MS} THEN 1 ELSE 0 END
    """


EVIDENCE_PER_PERSON = 6
"""Evidence candidates kept per person and metric: the newest cells' ids.

Three are shown, alternating between people; twice that leaves room for a
message that is the evidence of two cells (a month split by the recent flag).
"""


def _cell_sums_sql(metric_sql: str, *, grain: str = "row") -> str:
    """One metric's cells with their sums: :func:`_aggregate_sql`, or a ``cell``-grain
    metric's own counts (k hits among n events: what a share's value and Wilson
    interval need). Columns are cast to one type each so that every metric's
    cells can stand in one UNION.
    """
    if grain == "cell":
        # k hits among n events, as the sums of k rows of 1 and n - k rows of 0
        sums = f"""
            SELECT other_id, who, month, recent, n AS n_rows, k AS num, n AS den,
                   k AS num2, k AS numden, n AS den2, evidence_id
            FROM ({metric_sql}) c
        """
    else:
        sums = _aggregate_sql(metric_sql)
    return f"""
        SELECT other_id, who, month, CAST(recent AS INTEGER) AS recent,
               CAST(n_rows AS BIGINT) AS n_rows, CAST(num AS DOUBLE) AS num,
               CAST(den AS DOUBLE) AS den, CAST(num2 AS DOUBLE) AS num2,
               CAST(numden AS DOUBLE) AS numden, CAST(den2 AS DOUBLE) AS den2,
               CAST(evidence_id AS VARCHAR) AS evidence_id
        FROM ({sums}) g
    """


def _cells_sql(metrics_sql: dict[str, tuple[str, str]]) -> str:
    """The cells of many sum metrics in one query: ``metrics_sql`` maps a metric id to its
    SQL and grain.

    Each cell carries its message count (for enough_data). Only the newest
    :data:`EVIDENCE_PER_PERSON` evidence ids per metric and person survive:
    ranking the cells here spares Python a sort of every cell. One query for
    all of them, because each query has a fixed cost (a join, a window and a
    sort over a few thousand cells cost ~25 ms, ten times the cells' own
    scan) that thirty-one metrics paid one by one. Rows come sorted by
    metric, person, month and recent flag.
    """
    branches = "\n        UNION ALL\n".join(
        f"SELECT '{metric_id}' AS metric, s.* FROM ({_cell_sums_sql(sql, grain=grain)}) s"
        for metric_id, (sql, grain) in metrics_sql.items()
    )
    has_evidence = "CASE WHEN a.evidence_id IS NULL OR a.evidence_id = '' THEN 0 ELSE 1 END"
    return f"""
        SELECT a.metric, a.other_id, a.who, a.month, a.recent, a.n_rows, a.num, a.den,
               a.num2, a.numden, a.den2, coalesce(v.n, 0) AS msgs,
               CASE WHEN {has_evidence} = 1 AND ROW_NUMBER() OVER (
                        PARTITION BY a.metric, a.other_id, a.who, {has_evidence}
                        ORDER BY a.month DESC, a.evidence_id DESC) <= {EVIDENCE_PER_PERSON}
                    THEN a.evidence_id END AS evidence_id
        FROM ({branches}) a
        LEFT JOIN volume v ON v.other_id = a.other_id AND v.who = a.who
                          AND v.month = a.month AND v.recent = a.recent
        ORDER BY a.metric, a.other_id, a.who, a.month, a.recent
    """


def _median_sql(metric_sql: str) -> str:
    """Median per person and window, with an interval and the middle row's id where shown.

    Cells are each month, ``*`` (all time) and ``recent`` (the last 30 days).
    Monthly cells feed the series, which show no interval, so a plain grouped
    median serves them; only ``*`` and ``recent`` rank their rows, for the
    distribution-free binomial interval (see stats.py; 1-based ranks
    ``max(1, floor(n/2 - z*sqrt(n)/2))`` and ``min(n, ceil(n/2 + z*sqrt(n)/2) + 1)``)
    and for the evidence message nearest the median.
    """
    half = f"{Z95} * sqrt(CAST(n AS DOUBLE)) / 2"
    return f"""
        WITH r AS (
            SELECT r.other_id, r.who, r.month, r.num, r.evidence_id,
                   CASE WHEN r.start_ms >= rel.last_ms - {RECENT_MS} THEN 1 ELSE 0 END AS recent
            FROM ({metric_sql}) r
            JOIN relationships rel ON rel.other_id = r.other_id
            WHERE r.num IS NOT NULL
        ), cells AS (
            SELECT other_id, who, '*' AS cell, num, evidence_id FROM r
            UNION ALL
            SELECT other_id, who, 'recent' AS cell, num, evidence_id FROM r WHERE recent = 1
        ), ranked AS (
            SELECT cells.*,
                   ROW_NUMBER() OVER (PARTITION BY other_id, who, cell
                                      ORDER BY num, evidence_id) AS rn,
                   COUNT(*) OVER (PARTITION BY other_id, who, cell) AS n
            FROM cells
        )
        SELECT other_id, who, cell, n, median(num) AS med,
               max(CASE WHEN rn = greatest(1, floor(CAST(n AS DOUBLE) / 2 - {half}))
                        THEN num END) AS lo,
               max(CASE WHEN rn = least(n, ceil(CAST(n AS DOUBLE) / 2 + {half}) + 1)
                        THEN num END) AS hi,
               max(CASE WHEN rn = floor((CAST(n AS DOUBLE) + 1) / 2) THEN evidence_id END)
                   AS evidence_id
        FROM ranked
        GROUP BY other_id, who, cell, n
        UNION ALL
        SELECT other_id, who, month AS cell, count(*) AS n, median(num) AS med,
               CAST(NULL AS DOUBLE) AS lo, CAST(NULL AS DOUBLE) AS hi,
               CAST(NULL AS VARCHAR) AS evidence_id
        FROM r
        GROUP BY other_id, who, month
    """


def _rows(table: Any) -> list[dict[str, Any]]:
    """Rows as dicts, built column-wise (much faster than Table.to_pylist for many rows)."""
    names = table.column_names
    columns = [table.column(n).to_pylist() for n in names]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _resolve_person(engine: Engine, person: int | str | None) -> int | None:
    """A person id, checked; a name only by exact match (an engine without a store,
    e.g. Spark over Parquet; with a store, fondly.people.find_person decides)."""
    if person is None:
        return None
    if isinstance(person, int) or (isinstance(person, str) and person.isdigit()):
        rows = _rows(engine.fetch(f"SELECT person_id FROM people WHERE person_id = {int(person)}"))
    else:
        escaped = person.replace("'", "''").lower()
        rows = _rows(engine.fetch(f"SELECT person_id FROM people WHERE lower(name) = '{escaped}'"))
    if len(rows) != 1:
        raise UsageError(f"no single person matches {person!r}; see `fondly people list`")
    return int(rows[0]["person_id"])


REPORT_MEMORY = os.environ.get("FONDLY_REPORT_MEMORY", "300MB")
"""DuckDB's memory limit while a report computes over a file store ("" for none).

Without it, computing the overview of 150 relationships of ~7k messages took DuckDB
past 1.1 GiB of RSS (its hash tables grow to what the machine allows); with it DuckDB
keeps to the limit and spills to the scratch folder when it must: ~620 MiB in about
the same time (bench/README.md). 300 MB rather than 500 MB since DuckDB 1.5.5: a report
on one 1M-message chat peaked at 940 MiB under 500 MB, 730 MiB under 300 MB, for ~0.4 s."""


def compute(
    store: Store | None,
    person: int | str | None = None,
    *,
    gap_minutes: int = DEFAULT_GAP_MINUTES,
    engine: Engine | None = None,
    use_kept: bool = True,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Every metric for every relationship of the user (or only ``person``).

    Args:
        store: the store to read (ignored when ``engine`` is given).
        person: a person id or exact name to limit the result to one relationship.
        gap_minutes: the shortest silence that separates conversations (sessions); a pair
            that answers slowly gets a longer one (the dm unit, docs/metrics.md).
        engine: where to run the SQL; DuckDB over ``store`` by default.
        use_kept: read the units the store keeps when they are current (see
            :mod:`.kept`); False rebuilds every unit, as the tests and the bench
            do to compare the two paths.
        progress: called with 1 as each unit is ready and once more when the
            result is assembled (:func:`steps` in all).

    Returns:
        The dict described in docs/metrics.md (schema ``fondly.metrics/1``).
    """
    limited = engine is None and store is not None and store.path != ":memory:"
    if not (limited and REPORT_MEMORY) or store is None:
        return _compute(store, person, gap_minutes, engine, use_kept, progress)
    with store.memory_limit(REPORT_MEMORY):
        return _compute(store, person, gap_minutes, engine, use_kept, progress)


def _compute(
    store: Store | None,
    person: int | str | None,
    gap_minutes: int,
    engine: Engine | None,
    use_kept: bool,
    progress: Callable[[int], None] | None,
) -> dict[str, Any]:
    if engine is None:
        if store is None:
            raise UsageError("compute() needs a store or an engine")
        engine = DuckDBEngine(store)
    me_rows = _rows(engine.fetch("SELECT person_id, name FROM people WHERE is_me"))
    if not me_rows:
        return {"schema": SCHEMA, "me": None, "relationships": []}
    me_id = int(me_rows[0]["person_id"])
    if isinstance(person, str) and not person.isdigit() and store is not None:
        from fondly.people import find_person  # the one lookup, where there is a store

        person = find_person(store, person)
    other_id = _resolve_person(engine, person)
    params = _params(engine, me_id, other_id, gap_minutes)
    unit_sqls = _unit_sqls(params)
    from_store: set[str] = set()
    if use_kept:
        # the kept units are the whole store's: compare them with its SQL, not one person's
        whole = (
            unit_sqls if other_id is None else _unit_sqls(_params(engine, me_id, None, gap_minutes))
        )
        from_store = _kept_units(engine, whole)
    made: list[str] = []
    try:
        engine.materialize("features", features_sql(engine), lazy=True)
        made.append("features")
        for unit in units():
            if unit.name in from_store:
                # a view, filtered for one relationship: copying its rows into a
                # temp table cost more than the filter (rows are stored by relationship)
                sql = kept.select(unit.name, me_id, other_id)
                engine.materialize(unit.name, sql, lazy=True)
            else:
                engine.materialize(unit.name, unit_sqls[unit.name], lazy=unit.name in _READ_ONCE)
            made.append(unit.name)
            if unit.name == "idiom_texts":
                # the engine-specific step; later units (idiom_grams) read the tokens
                engine.materialize_tokens("idiom_tokens", "idiom_texts")
                made.append("idiom_tokens")
            if progress:
                progress(1)
        result = _assemble(engine, me_rows[0], params, gap_minutes)
        if progress:
            progress(1)
        return result
    finally:
        engine.cleanup(list(reversed(made)))


def steps() -> int:
    """How many times :func:`compute` calls its ``progress``: the total of a progress bar."""
    return len(units()) + 1


def _unit_sqls(params: dict[str, str]) -> dict[str, str]:
    """Every unit's SQL, rendered with ``params``, by unit name."""
    return {unit.name: render(unit.sql, params) for unit in units()}


def _kept_units(engine: Engine, whole_store_sqls: dict[str, str]) -> set[str]:
    """The units to read from the store's kept tables: all of :data:`kept.KEPT` when
    they are current, none otherwise. One relationship's report reads its own rows of
    them (units never mix relationships; sleep windows are per person)."""
    if not isinstance(engine, DuckDBEngine):
        return set()
    if kept.current(engine.store, whole_store_sqls, features_sql(engine)):
        return set(kept.KEPT)
    return set()


def keep_units(
    store: Store,
    *,
    gap_minutes: int = DEFAULT_GAP_MINUTES,
    progress: Callable[[int], None] | None = None,
    rebuild: bool = False,
) -> bool:
    """Save the units every report starts from into the store (see :mod:`.kept`).

    Called when an import or a features run has changed the store. Returns
    whether units were kept: a store with no user ("me") has none to keep.
    ``progress`` is called with 1 as each of :data:`kept.KEPT` is saved. After an
    import that only added newer messages the units are updated, not rebuilt, unless
    ``rebuild`` (``fondly features --force``).
    """
    engine = DuckDBEngine(store)
    me_rows = _rows(engine.fetch("SELECT person_id FROM people WHERE is_me"))
    if not me_rows:
        kept.drop(store)
        return False
    params = _params(engine, int(me_rows[0]["person_id"]), None, gap_minutes)
    tail_params = params | {
        "dm_messages": f"(SELECT * FROM messages WHERE {kept.TAIL_FILTER})",
        "kept_answers": kept.KEPT_ANSWERS,
    }
    kept.save(
        store,
        _unit_sqls(params),
        features_sql(engine),
        progress=progress,
        dm_tail_sql=render(next(u.sql for u in units() if u.name == "dm"), tail_params),
        rebuild=rebuild,
    )
    return True


class _Fetcher(Protocol):
    def fetch(self, sql: str) -> pa.Table: ...


class _Ahead:
    """Runs an engine's queries in order on one worker thread, ahead of their use.

    Engines compute without holding the GIL, so while the worker runs the next
    metric's SQL this thread turns the previous one's rows into blocks; the two
    halves overlap instead of adding up. One worker, because a connection runs
    one statement at a time: every fetch, queued or not, goes through it.
    """

    def __init__(self, engine: _Fetcher, pool: ThreadPoolExecutor) -> None:
        self._engine = engine
        self._pool = pool
        self._queued: dict[str, deque[Future[pa.Table]]] = defaultdict(deque)

    def queue(self, sqls: Iterable[str]) -> None:
        for sql in sqls:
            self._queued[sql].append(self._pool.submit(self._engine.fetch, sql))

    def fetch(self, sql: str) -> pa.Table:
        waiting = self._queued.get(sql)
        if waiting:
            return waiting.popleft().result()
        return self._pool.submit(self._engine.fetch, sql).result()


_RELATIONSHIPS_SQL = """
    SELECT r.other_id, p.name, r.n_messages, r.n_me, r.n_them, r.first_local, r.last_local
    FROM relationships r JOIN people p ON p.person_id = r.other_id
    ORDER BY r.n_messages DESC, r.other_id
"""
_DYADS_SQL = "SELECT conversation_id, other_id, platform FROM dyads"
_SILENCES_SQL = "SELECT * FROM silences"


def _metric_queries(metric: Metric, params: dict[str, str]) -> list[str]:
    """The queries whose results assemble a median or python ``metric``, in reading order.

    Share, ratio and count metrics are read together: see :func:`_sum_metrics_sql`.
    """
    sql = render(metric.sql, params)
    if metric.kind == "python":
        return [sql, _IDIOM_VOLUME_SQL]
    if metric.kind == "median":
        return [_median_sql(sql)]
    raise ValueError(f"{metric.id}: a {metric.kind} metric is read by _sum_metrics_sql")


def _summed_kind(metric: Metric) -> bool:
    return metric.kind not in ("median", "python")


def _sum_metrics_sql(params: dict[str, str]) -> str:
    """The one query that reads every share, ratio and count metric's cells."""
    return _cells_sql(
        {m.id: (render(m.sql, params), m.grain) for m in metrics() if _summed_kind(m)}
    )


def _assemble(
    engine: Engine, me: dict[str, Any], params: dict[str, str], gap_minutes: int
) -> dict[str, Any]:
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fondly-metrics")
    try:
        ahead = _Ahead(engine, pool)
        # The sum metrics' cells come first: Python assembles them while the
        # costlier median and idiom queries run.
        ahead.queue(
            [_RELATIONSHIPS_SQL, _DYADS_SQL, _VOLUME_SQL, _BY_GAP_SQL, coverage.SQL, _SILENCES_SQL]
        )
        ahead.queue([_sum_metrics_sql(params)])
        for metric in metrics():
            if not _summed_kind(metric):
                ahead.queue(_metric_queries(metric, params))
        return _assemble_from(ahead, me, params, gap_minutes)
    finally:
        # Wait for the worker: compute() drops the unit tables right after.
        pool.shutdown(wait=True, cancel_futures=True)


def _assemble_from(
    engine: _Fetcher, me: dict[str, Any], params: dict[str, str], gap_minutes: int
) -> dict[str, Any]:
    rel_rows = _rows(engine.fetch(_RELATIONSHIPS_SQL))
    convs: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in _rows(engine.fetch(_DYADS_SQL)):
        convs[int(row["other_id"])].append((int(row["conversation_id"]), str(row["platform"])))
    volume = _message_counts(engine)
    by_gap = _sessions_by_gap(engine)
    # The missing index needs only the silences: scoring it now fills the wait for the
    # metric queries instead of adding to the end.
    languages = coverage.coverage(_rows(engine.fetch(coverage.SQL)))
    unread = {oid: block["not_read"] for oid, block in languages.items() if block["not_read"]}
    episodes = missing.episodes_by_pair(_rows(engine.fetch(_SILENCES_SQL)))
    missing_index = {}
    for rel in rel_rows:
        oid = int(rel["other_id"])
        mine = episodes.get(oid, [])
        if oid in unread:  # language not read: the index rests on its timing parts
            mine = coverage.strip_episode_text(mine)
        missing_index[oid] = missing.missing_index(mine, seed=oid)
        if oid in unread:
            missing_index[oid] = coverage.mark_missing_index(missing_index[oid], unread[oid])

    per_metric: dict[str, dict[int, dict[str, Any]]] = {}
    summed = split_by_metric(engine.fetch(_sum_metrics_sql(params)))
    for metric in metrics():
        if _summed_kind(metric):
            per_metric[metric.id] = sum_metric(metric, summed[metric.id], volume)
            continue
        queries = _metric_queries(metric, params)
        if metric.kind == "python":
            per_metric[metric.id] = idioms.inside_jokes(
                _rows(engine.fetch(queries[0])), _rows(engine.fetch(queries[1]))
            )
        else:
            per_metric[metric.id] = median_metric(metric, _rows(engine.fetch(queries[0])), volume)
    evidence_who = _evidence_owners(engine, per_metric)

    relationships = []
    for rel in rel_rows:
        oid = int(rel["other_id"])
        metric_out = {}
        for metric in metrics():
            result = per_metric[metric.id].get(oid) or empty(metric)
            result["evidence"] = [
                {
                    "message_id": mid,
                    "who": who if who in ("me", "them") else evidence_who.get(mid, "them"),
                }
                for mid, who in result.pop("_evidence", [])
            ]
            metric_out[metric.id] = {**metric.info(), **result}
            if oid in unread:
                metric_out[metric.id] = coverage.mark_not_read(metric_out[metric.id], unread[oid])
        conv_list = sorted(convs[oid])
        relationships.append(
            {
                "person": {
                    "person_id": oid,
                    "name": rel["name"],
                    "platforms": sorted({p for _, p in conv_list}),
                },
                "conversations": [c for c, _ in conv_list],
                "n_messages": int(rel["n_messages"]),
                "n_me": int(rel["n_me"]),
                "n_them": int(rel["n_them"]),
                "first": _iso(rel["first_local"]),
                "last": _iso(rel["last_local"]),
                "sessions_by_gap": by_gap.get(oid, {}),
                "gap_minutes": gap_minutes,
                "metrics": metric_out,
                "missing_index": missing_index[oid],
                "language": languages.get(oid) or coverage.empty_block(),
            }
        )
    return {
        "schema": SCHEMA,
        "me": {"person_id": int(me["person_id"]), "name": me["name"]},
        "relationships": relationships,
    }


_IDIOM_VOLUME_SQL = """
    SELECT other_id, sum(n) AS pair_msgs
    FROM idiom_uses WHERE other_id IS NOT NULL GROUP BY other_id
"""


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


_VOLUME_SQL = "SELECT other_id, who, month, recent, n FROM volume WHERE who <> 'pair'"
_BY_GAP_SQL = """
    SELECT other_id, sessions_30m AS s30, sessions_gap AS sg, sessions_6h AS s360
    FROM relationships
"""


def _message_counts(engine: _Fetcher) -> Volume:
    rows = _rows(engine.fetch(_VOLUME_SQL))
    volume: Volume = defaultdict(int)
    for row in rows:
        key = (int(row["other_id"]), row["who"], row["month"], int(row["recent"]))
        volume[key] += int(row["n"])
        volume[(key[0], "pair", key[2], key[3])] += int(row["n"])
    return volume


def _sessions_by_gap(engine: _Fetcher) -> dict[int, dict[str, int]]:
    """Session counts at 30 min, the chosen gap and 6 h: the sensitivity section 1 asks for."""
    rows = _rows(engine.fetch(_BY_GAP_SQL))
    return {
        int(r["other_id"]): {"30m": int(r["s30"]), "gap": int(r["sg"]), "6h": int(r["s360"])}
        for r in rows
    }


def _evidence_owners(
    engine: _Fetcher, per_metric: dict[str, dict[int, dict[str, Any]]]
) -> dict[str, str]:
    """Who wrote the evidence messages of 'pair' cells (idioms included): the cell cannot say.

    A me/them cell's evidence is a message that person wrote (the registry's
    contract, tests/test_metrics.py checks it), so only the rest is looked up.
    """
    ids = sorted(
        {
            mid
            for results in per_metric.values()
            for r in results.values()
            for mid, who in r.get("_evidence", [])
            if who not in ("me", "them")
        }
    )
    if not ids:
        return {}
    # One query: each IN-list query scans dm, so chunking cost a scan per 500 ids.
    listed = ", ".join("'" + i.replace("'", "''") + "'" for i in ids)
    table = engine.fetch(f"SELECT message_id, who FROM dm WHERE message_id IN ({listed})")
    return dict(
        zip(table.column("message_id").to_pylist(), table.column("who").to_pylist(), strict=True)
    )
