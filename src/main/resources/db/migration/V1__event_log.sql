-- The router's whole memory (issue 9): last known state per source and extension, the ordered event
-- log, and one position per sink. One set of SQL for SQLite (embedded default) and PostgreSQL 15+;
-- ${bytes} is BLOB on SQLite and BYTEA on PostgreSQL. JSON columns hold deflate-compressed UTF-8
-- (a quarter of the bytes, so a poll with 1% of 100,000 extensions changed writes under 2 MB).

-- One row: the log's head. Appenders take positions with
--   UPDATE log_head SET position = position + n WHERE id = 1 RETURNING position
-- inside their transaction, so the row lock serialises appenders until they commit: a transaction
-- that commits later always holds larger positions, and a reader that has seen position P never
-- misses an event committed afterwards with a smaller one (the outbox pitfall of plain sequences).
CREATE TABLE log_head (
    id       INTEGER PRIMARY KEY,
    position BIGINT  NOT NULL
);
INSERT INTO log_head (id, position) VALUES (1, 0);

-- Per source: sequence of its last source event, DOWN flag, failures counted when it went down,
-- vendor (connector id) and the last good poll that committed something (epoch ms).
CREATE TABLE source_state (
    source_id      VARCHAR(64) PRIMARY KEY,
    vendor         VARCHAR(64),
    sequence       BIGINT      NOT NULL,
    down           BOOLEAN     NOT NULL,
    failures       INTEGER     NOT NULL,
    last_good_poll BIGINT
);

-- Per source and extension: sequence of its last event and its last significant state
-- (compressed ExtensionPresence JSON; NULL for a removed extension, a tombstone that keeps the
-- sequence, so a returning extension never reuses an event id).
CREATE TABLE extension_state (
    source_id VARCHAR(64)  NOT NULL,
    extension VARCHAR(128) NOT NULL,
    sequence  BIGINT       NOT NULL,
    presence  ${bytes},
    PRIMARY KEY (source_id, extension)
);

-- The event log: global position in commit order, the event's identity and its exact JSON
-- (compressed) as every sink delivers it.
CREATE TABLE event_log (
    position   BIGINT       PRIMARY KEY,
    source_id  VARCHAR(64)  NOT NULL,
    extension  VARCHAR(128),
    sequence   BIGINT       NOT NULL,
    type       VARCHAR(64)  NOT NULL,
    event_time BIGINT       NOT NULL,
    json       ${bytes}     NOT NULL
);
CREATE INDEX event_log_time ON event_log (event_time);
CREATE INDEX event_log_source ON event_log (source_id, position);

-- Per named sink: the last position it has finished with (delivered, filtered out, dead-lettered).
CREATE TABLE sink_position (
    sink       VARCHAR(128) PRIMARY KEY,
    position   BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL
);
