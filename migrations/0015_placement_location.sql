-- 0015_placement_location.sql: where a child is placed (issue 17).
--
-- 1. Record schema version 3: an episode of care says whether its placement
--    is inside or outside the council's boundary (SSDA903 PL_LOCATION, IN or
--    OUT) and the local authority it is in (PL_LA). New columns, and the
--    view again with them at its end (server/store/record_tables.c writes
--    this block; tests/unit/test_record_tables.c keeps it equal to the
--    schema).
-- 2. LA13 (placed inside the council's boundary), `reported` until now for
--    want of those fields, becomes computed: a new version of the indicator
--    (the version before stays in indicator_version; values keep the version
--    they were computed with). docs/indicators.md, "Rules and choices", says
--    why it is counted so.

-- BEGIN csperf-schema-ddl version 3
-- la_episode: the fields of record schema version 3
ALTER TABLE rec_la_episode ADD COLUMN placement_location text;
ALTER TABLE rec_la_episode ADD COLUMN placement_la text;
CREATE OR REPLACE VIEW la_episode AS
    SELECT council, load_id, child_id, start_date, new_episode_reason, legal_status, category_of_need, placement_type, placement_provider, end_date, end_reason, placement_change_reason, home_postcode, placement_postcode, urn, placement_location, placement_la
    FROM rec_la_episode WHERE is_current;

-- END csperf-schema-ddl

INSERT INTO indicator_version (indicator_id, version, title, stage, unit, polarity, kind, params,
    period_types, targets, corporate_risk, budget_line, small_number_threshold, definition,
    source, sort_order, created_by)
SELECT i.indicator_id, i.version + 1, i.title, i.stage, i.unit, i.polarity,
       'snapshot_proportion',
       '{"record": "la_episode", "start": "start_date", "end": "end_date", "where": [{"field": "legal_status", "not_in": ["V3", "V4"]}, {"field": "placement_location", "is_null": false}], "numerator": [{"field": "placement_location", "in": ["IN"]}], "children": true}'::jsonb,
       i.period_types, i.targets, i.corporate_risk, i.budget_line, i.small_number_threshold,
       'Children looked after at period end (as LA01: not on short breaks) whose placement is inside the council''s boundary (the open episode''s PL_LOCATION is IN), of the children looked after then whose episode records where the placement is (PL_LOCATION IN or OUT). A return that records it for every episode gives the DfE''s share; one that records it for none gives no figure rather than 0%.',
       'DfE SSDA903 (PL_LOCATION, location of placement: inside or outside the council boundary; children looked after at 31 March by location of placement, "Children looked after in England including adoptions"); Cardiff Q4 2018-19 (56.6%)',
       i.sort_order, 'migration 0015'
FROM indicator i
WHERE i.indicator_id = 'LA13';
