-- 0025_values_statistics.sql: fresh statistics of indicator_value after a
-- council's first values (issue 23).
--
-- A council's first recompute writes its values straight in (tens of
-- thousands of rows). Until autovacuum analyses the table again, which on a
-- store of many councils may be long (its threshold is a tenth of the
-- table), the planner's statistics do not know the council: it estimates
-- one row for it, and the next recompute (the council's next load)
-- compares each batch of values through the period index, reading every
-- value of the council for each batch: at 3,000 children 52 to 85 ms a
-- batch, about 700 ms for a recompute that takes 500 ms once analysed
-- (docs/PERFORMANCE.md). csperfd calls this after such a recompute, once its
-- reply is sent. csperf_app may not ANALYZE a table it does not own: the
-- function is SECURITY DEFINER, owned by the schema owner, with a fixed
-- search_path, and analyses that one table and nothing else.
CREATE FUNCTION csperf_analyze_values() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    ANALYZE public.indicator_value;
END
$$;
REVOKE ALL ON FUNCTION csperf_analyze_values() FROM PUBLIC;
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'csperf_app') THEN
        GRANT EXECUTE ON FUNCTION csperf_analyze_values() TO csperf_app;
    END IF;
END
$$;
