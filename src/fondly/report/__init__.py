"""The faces of a report: a Rich scorecard for the terminal and a self-contained HTML file.

Both draw the data from :func:`fondly.insights.build_insights` and nothing else, so the
terminal, the HTML and ``--json`` always agree.
"""

from fondly.report.terminal import as_insights, render_overview, render_person

__all__ = ["as_insights", "render_overview", "render_person"]
