"""Every metric gives the same result on DuckDB and on Spark local[2] (marker ``spark``).

The metric SQL is written once in DuckDB's dialect and transpiled for Spark by
sqlglot; this suite is what keeps it inside the subset both engines share.
Skips, saying why, when pyspark or Java is missing.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fondly.export import export_corpus_tables
from fondly.metrics import compute
from fondly.metrics.engines import SparkEngine, spark_session, to_spark_sql
from fondly.store import Store
from tests.synthetic import demo_corpus

pytestmark = pytest.mark.spark


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One Spark session for the whole test session (starting one takes seconds)."""
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install 'fondly[spark]'")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java 17+ on PATH, and none was found")
    session = spark_session(tmp_path_factory.mktemp("spark-warehouse"))
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """A demo-like store: its DuckDB result and its Parquet export."""
    folder = tmp_path_factory.mktemp("corpus")
    with Store(folder / "store.duckdb") as store:
        demo_corpus(store, n_people=3, n_messages=1500, seed=11)
        expected = compute(store)
        export_corpus_tables(store, folder / "parquet")
    return expected, folder / "parquet"


def assert_close(a: Any, b: Any, path: str = "$") -> None:
    """Equal, with floats allowed a relative difference of 1e-9 (sums run in another order)."""
    if isinstance(a, float) or isinstance(b, float):
        assert a is not None and b is not None, f"{path}: {a!r} != {b!r}"
        assert math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9), f"{path}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), f"{path}: keys differ"
        for key in a:
            assert_close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_close(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def test_every_metric_matches_duckdb(spark: Any, corpus: tuple[dict[str, Any], Path]) -> None:
    expected, parquet = corpus
    actual = compute(None, engine=SparkEngine(spark, parquet))
    assert expected["relationships"], "the corpus should have relationships"
    assert_close(expected, actual)


def test_quantile_cont_becomes_spark_percentile() -> None:
    sql = to_spark_sql("SELECT quantile_cont(x, 0.9) AS q FROM t")
    assert "PERCENTILE(X, 0.9)" in sql.upper().replace("`", "")
