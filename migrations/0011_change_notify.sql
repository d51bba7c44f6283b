-- 0011_change_notify.sql: tell every csperfd when what it caches changes
-- (issue 10; docs/SCALING.md, "Caches and several csperfd").
--
-- Each csperfd keeps a cache of scorecard and exception replies and of
-- verified tokens, and LISTENs on the channel csperf_change. A statement
-- that changes a table those depend on sends NOTIFY csperf_change with the
-- table's name, from inside its own transaction: PostgreSQL delivers it to
-- every listener when, and only if, that transaction commits, whichever
-- csperfd (or psql session) made the change. Statement-level triggers: one
-- notification per statement, and PostgreSQL folds repeats of the same
-- payload within a transaction into one, so a load that writes 60,000 values
-- sends a handful.
--
-- Tables: indicator_value (a recompute), indicator_version (PutIndicator),
-- compute_run (the data-to date), comparator, council_neighbour and council
-- (comparators load, PutCouncil), load (a load or DeleteLoad: the record
-- tables behind the budget criterion of exceptions), council_wal_position
-- (read-your-writes on replicas moves on) and access_token (a revocation).

CREATE FUNCTION csperf_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('csperf_change', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['indicator_value', 'indicator_version', 'compute_run',
                             'comparator', 'council_neighbour', 'council', 'load',
                             'council_wal_position', 'access_token']
    LOOP
        EXECUTE format('CREATE TRIGGER csperf_notify_change'
                       ' AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I'
                       ' FOR EACH STATEMENT EXECUTE FUNCTION csperf_notify_change()', t);
    END LOOP;
END;
$$;
