"""Constants several layers share, defined once (the CLI, the facade and metrics read them).

They say what a conversation is, so a report, the app and ``fondly report`` agree.
"""

from __future__ import annotations

DEFAULT_GAP_MINUTES = 120
"""The silence that ends a session unless the user picks another (psychology.md section 1)."""

TURN_GAP_MS = 10 * 60_000
"""Bubbles from one sender less than 10 minutes apart form one turn (psychology.md section 1)."""

RECENT_MS = 30 * 86_400_000
""""Lately" in metrics: the last 30 days before a relationship's latest message."""
