"""Scorecard rows and suggestion signals name metrics by exact id, checked at load."""

from __future__ import annotations

import pytest

from fondly.insights import _rows, _suggest
from fondly.insights._rows import rows
from fondly.metrics.registry import PRACTICES, metrics


def test_every_practice_has_a_declared_headline_that_exists() -> None:
    ids = {m.id: m for m in metrics()}
    declared = rows()
    assert set(declared) == set(PRACTICES)
    for practice, row in declared.items():
        assert row.metric in ids, row.metric
        assert ids[row.metric].practice == practice, row.metric
        assert row.label and row.unit and row.good and row.citation


def test_every_suggestion_signal_names_existing_metrics() -> None:
    ids = {m.id for m in metrics()}
    for sig in _suggest.signals():
        assert sig.metrics, sig.signal
        assert set(sig.metrics) <= ids, sig.signal


def test_a_renamed_metric_fails_at_load(monkeypatch: pytest.MonkeyPatch) -> None:
    real = _rows.known_metric_ids()
    monkeypatch.setattr(_rows, "known_metric_ids", lambda: real - {"followup_questions"})
    rows.cache_clear()
    _suggest.signals.cache_clear()
    try:
        with pytest.raises(ValueError, match="followup_questions"):
            rows()
        with pytest.raises(ValueError, match="followup_questions"):
            _suggest.signals()
    finally:
        monkeypatch.undo()
        rows.cache_clear()
        _suggest.signals.cache_clear()


def test_no_keyword_matching_is_left() -> None:
    import fondly.insights as insights

    assert not hasattr(insights, "_HEADLINE_KEYWORDS")
