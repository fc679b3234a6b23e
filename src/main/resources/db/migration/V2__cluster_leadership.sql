-- Leadership of a cluster of routers (issue 12, presence.cluster.mode = database): one row per source
-- or sink (namespace "source-<id>" / "sink-<name>") with the epoch of its current leadership, bumped
-- by every takeover. Every commit a leader makes checks, in its transaction, that the epoch it holds
-- is still this one (PostgreSQL: the row is read FOR SHARE, so a takeover waits for that commit), so
-- a router that lost its lock while paused can never commit afterwards. Unused, and harmless, on the
-- embedded store and in the other modes.
CREATE TABLE cluster_leadership (
    namespace VARCHAR(200)             PRIMARY KEY,
    epoch     BIGINT                   NOT NULL,
    leader    VARCHAR(200)             NOT NULL,
    since     TIMESTAMP WITH TIME ZONE NOT NULL
);
