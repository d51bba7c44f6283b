-- 0008_council_wal_position.sql: read-your-writes on streaming replicas
-- (issue 10; docs/SCALING.md).
--
-- After a load, a deletion or a recompute of a council commits, csperfd
-- records the primary's WAL insert position here. A read of that council is
-- served by a replica only once the replica's pg_last_wal_replay_lsn() has
-- passed it; otherwise by the primary. One row per council, only ever moved
-- forward. No foreign key: a council's row may be written before the council
-- row's own transaction is visible to a replica, and nothing reads it but
-- the router.

CREATE TABLE council_wal_position (
    council     text PRIMARY KEY,
    lsn         pg_lsn NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE council_wal_position IS
    'The primary''s WAL position after each council''s latest write: replicas serve its reads once they have replayed past it.';
