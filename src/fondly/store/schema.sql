-- fondly's canonical store, schema version 1. Documented in docs/schema.md.
-- Every duration is computed on ts_ms (UTC epoch milliseconds); every hour/day/month
-- bucket on ts_local (the wall clock the sender saw). See docs/schema.md for why.

CREATE TABLE IF NOT EXISTS schema_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS import_ids START 1;
CREATE TABLE IF NOT EXISTS imports (
    import_id        INTEGER PRIMARY KEY,
    file_path        TEXT NOT NULL,
    file_sha256      TEXT NOT NULL,
    format           TEXT NOT NULL,
    imported_at      TIMESTAMP NOT NULL,
    tz               TEXT,
    n_conversations  INTEGER NOT NULL,
    n_messages_seen  BIGINT NOT NULL,
    n_messages_added BIGINT NOT NULL
);

CREATE SEQUENCE IF NOT EXISTS person_ids START 1;
CREATE TABLE IF NOT EXISTS people (
    person_id INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    is_me     BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE SEQUENCE IF NOT EXISTS handle_ids START 1;
CREATE TABLE IF NOT EXISTS handles (
    handle_id    INTEGER PRIMARY KEY,
    platform     TEXT NOT NULL,
    handle       TEXT NOT NULL,
    display_name TEXT,
    phone        TEXT,
    email        TEXT,
    person_id    INTEGER NOT NULL,
    -- the person made for this handle when first seen: `people split` goes back to it
    origin_person_id INTEGER NOT NULL,
    UNIQUE (platform, handle)
);

CREATE SEQUENCE IF NOT EXISTS conversation_ids START 1;
CREATE TABLE IF NOT EXISTS conversations (
    conversation_id INTEGER PRIMARY KEY,
    platform        TEXT NOT NULL,
    conv_key        TEXT NOT NULL,
    title           TEXT NOT NULL,
    is_group        BOOLEAN NOT NULL,
    first_import_id INTEGER,
    UNIQUE (platform, conv_key)
);

CREATE TABLE IF NOT EXISTS conversation_members (
    conversation_id INTEGER NOT NULL,
    handle_id       INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, handle_id)
);

-- No primary key: a 1M-row import dedupes with one anti-join on message_id,
-- which is much cheaper than maintaining an ART index row by row.
CREATE TABLE IF NOT EXISTS messages (
    message_id      TEXT NOT NULL,
    conversation_id INTEGER NOT NULL,
    handle_id       INTEGER,
    ts_ms           BIGINT NOT NULL,
    ts_local        TIMESTAMP NOT NULL,
    tz_offset_min   SMALLINT NOT NULL,
    seq             BIGINT NOT NULL,
    kind            TEXT NOT NULL,
    media_type      TEXT,
    text            TEXT,
    edited          BOOLEAN NOT NULL DEFAULT FALSE,
    reply_to        TEXT,
    source_id       TEXT,
    import_id       INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS reactions (
    message_id TEXT NOT NULL,
    handle_id  INTEGER NOT NULL,
    reaction   TEXT NOT NULL,
    import_id  INTEGER NOT NULL
);

-- Per-message features (fondly.features): one row per message, one column per
-- feature; feature_versions says which detector version filled each column.
CREATE TABLE IF NOT EXISTS message_features (
    message_id TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS feature_versions (
    feature TEXT PRIMARY KEY,
    version TEXT NOT NULL
);

-- The person each message's sender is, after merges: what metrics read.
CREATE OR REPLACE VIEW messages_people AS
SELECT m.*, h.person_id, h.platform
FROM messages m
LEFT JOIN handles h ON h.handle_id = m.handle_id;
