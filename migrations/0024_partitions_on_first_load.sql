-- 0024_partitions_on_first_load.sql: a council's partition of a rec_* table
-- is made by its first load of that type, not for every type when the
-- council row is inserted (issue 23).
--
-- The trigger of 0009 made a council's 24 partitions (and their 48 indexes)
-- inside its first load's transaction, whatever the load held: a CIN census
-- fills 7 of them, and the DDL of the other 17 was a third of what a first
-- census of 3,000 children waited for before its records went in (about
-- 100 ms of DDL; docs/PERFORMANCE.md). The load now calls
-- csperf_record_partition for each type it brings, in its transaction,
-- before its first row of the type (server/store/loads.c); a council that
-- never loads a type has no partition of it, and a read of that type finds
-- no rows, as before. csperf_council_partitions stays: a migration that
-- adds a record type still makes its partition for every existing council.
--
-- Like 0009's function, this one is SECURITY DEFINER (csperfd serves as
-- csperf_app, which may not run DDL), with a fixed search_path, names going
-- through format('%I'), and the partition made as a table then attached
-- (SHARE UPDATE EXCLUSIVE on the parent: other councils keep reading and
-- loading while it is made).

-- Makes council's partition of record_table when it is missing; true when
-- it made it.
CREATE FUNCTION csperf_record_partition(record_table text, council text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    partition_name text;
BEGIN
    -- la_code's own check, again: the code becomes part of a name.
    IF council IS NULL OR council !~ '^[A-Za-z0-9]{3,9}$' THEN
        RAISE EXCEPTION 'council code % cannot name a partition', quote_nullable(council)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = 'public' AND c.relkind = 'p'
                     AND c.relname LIKE 'rec\_%' AND c.relname = record_table) THEN
        RAISE EXCEPTION '% is not a record table', quote_nullable(record_table)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    partition_name := record_table || '_' || council;
    IF EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relname = partition_name) THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE public.%I (LIKE public.%I INCLUDING DEFAULTS)',
                   partition_name, record_table);
    EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I FOR VALUES IN (%L)',
                   record_table, partition_name, council);
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION csperf_record_partition(text, text) FROM PUBLIC;
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'csperf_app') THEN
        GRANT EXECUTE ON FUNCTION csperf_record_partition(text, text) TO csperf_app;
    END IF;
END
$$;

DROP TRIGGER council_partitions ON council;
DROP FUNCTION csperf_council_made();
