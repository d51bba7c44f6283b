-- 0010_incremental_compute.sql: what a council's values were computed from,
-- so that a load recomputes only the periods it can change
-- (server/compute.c, server/store/compute.c).

-- The state the last whole-catalogue recompute left: the council's newest
-- load it saw (loads after it are what the next recompute must account
-- for), the first day of the periods it computed, and the council's latest
-- data date (values of periods ending after it are provisional); the
-- council's nation it counted working days in; and the first period end it
-- recomputed (NULL: every period). Written only by whole-catalogue
-- recomputes; a definition's own recompute leaves them alone.
ALTER TABLE compute_run
    ADD COLUMN through_load bigint,
    ADD COLUMN periods_from date,
    ADD COLUMN state_data_to date,
    ADD COLUMN state_nation text,
    ADD COLUMN recomputed_from date;

-- The definition version whose values are complete, for every period, in a
-- council: an indicator missing here (new, changed, or failed last time) is
-- recomputed in full.
CREATE TABLE compute_indicator (
    council        text NOT NULL REFERENCES council (la_code),
    indicator_id   text NOT NULL,
    version        integer NOT NULL,
    PRIMARY KEY (council, indicator_id)
);

-- Changes the next recompute must account for that no remaining load shows:
-- a load about to be deleted notes the earliest date of its rows and of the
-- versions its deletion makes current again. `since` NULL: every period.
-- A note is kept while its load still exists (its deletion has not happened
-- yet, or failed), so that it is never lost to a recompute that ran first.
CREATE TABLE compute_pending (
    id             bigserial PRIMARY KEY,
    council        text NOT NULL REFERENCES council (la_code),
    load_id        bigint NOT NULL,
    since          date,
    noted_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX compute_pending_council ON compute_pending (council);
