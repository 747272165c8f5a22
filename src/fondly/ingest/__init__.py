"""The small step between importers and the store: write parsed chats atomically.

One ``fondly import`` is one transaction. Parsed messages stream into a staging
table in Arrow batches (memory stays flat whatever the file size); stable ids,
the UTC instant, the wall clock and the zone offset are then computed in SQL
in one pass, and only messages whose id the store lacks are inserted. So the
same file twice adds nothing, and a newer export of a chat adds only what is new.

One module per job: ``_units`` (planning and running an import, unit by unit),
``_stage`` (streaming parsed chats into staging tables), ``_copies`` (a chat copied
under another key joins the stored chat holding its messages), ``_merge`` (ids,
instants and the insert of what is new) and ``_identity`` (handles, people, who the
user is);
``fondly.ingest_each`` runs each file in its own transaction. The names callers use
are re-exported here.
"""

from __future__ import annotations

from fondly.ingest._identity import mark_me_handle, resolve_me, set_me, upsert_handle
from fondly.ingest._stage import BATCH_ROWS, Progress
from fondly.ingest._units import (
    ImportResult,
    ImportSummary,
    import_paths,
    local_zone_name,
    plan,
    unreadable,
)
from fondly.model import ParsedMessage

__all__ = [
    "BATCH_ROWS",
    "ImportResult",
    "ImportSummary",
    "ParsedMessage",
    "Progress",
    "import_paths",
    "local_zone_name",
    "mark_me_handle",
    "plan",
    "resolve_me",
    "set_me",
    "unreadable",
    "upsert_handle",
]
