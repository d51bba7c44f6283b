-- 0007_finance.sql: placement costs that finance systems pull, linked to the
-- scorecards (issue 7; docs/FINANCE.md).
--
-- 1. Record schema version 2: a cost line says what kind of placement it pays
--    for (placement_category, the same codes as a budget line's) and the
--    locality it is managed in. New columns, and the view again with them at
--    its end (server/store/record_tables.c writes this block;
--    tests/unit/test_record_tables.c keeps it equal to the schema).
-- 2. What a cost line comes to over some days, in pence: the one computation
--    that GetPlacementCosts, ExportPlacementCosts and the cost_sum indicators
--    (FN01, FN03 and their variants) share, so that their totals agree to the
--    penny.
-- 3. The finance indicators: the forecast out-turn of each placement category,
--    linked to its budget line (GetExceptions' budget criterion), and the
--    provider splits of FN03 unlinked from the budget lines that budgets no
--    longer have.

-- BEGIN csperf-schema-ddl version 2
-- placement_cost: the fields of record schema version 2
ALTER TABLE rec_placement_cost ADD COLUMN placement_category text;
ALTER TABLE rec_placement_cost ADD COLUMN locality text;
CREATE OR REPLACE VIEW placement_cost AS
    SELECT council, load_id, child_id, placement_ref, episode_start_date, provider, weekly_cost, start_date, end_date, health_contribution, education_contribution, placement_category, locality
    FROM rec_placement_cost WHERE is_current;

-- END csperf-schema-ddl

-- ---------------------------------------------------------------------------
-- Money. A weekly amount costs a seventh of itself a day, every calendar day
-- (29 February too). Over `days` days it comes to weekly x days / 7 pounds,
-- rounded to the penny half away from zero, once per cost line and stretch of
-- days: sums of these whole pennies reconcile exactly, however they are
-- grouped. The product is given 10 decimal places before the division so that
-- the quotient is exact enough to round once (numeric division keeps at least
-- the dividend's scale; a weekly cost has at most 6).

CREATE FUNCTION placement_cost_pence(weekly numeric, days integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT round((coalesce($1, 0) * greatest($2, 0) * 100)::numeric(40, 10) / 7)::bigint $$;

-- A cost line's net cost over `days` days, in pence: its weekly cost less the
-- health and education contributions, each rounded as above, so that the
-- gross, the contributions and the net reconcile too.
CREATE FUNCTION placement_cost_net_pence(weekly numeric, health numeric, education numeric,
                                         days integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT placement_cost_pence($1, $4) - placement_cost_pence($2, $4)
                 - placement_cost_pence($3, $4) $$;

-- ---------------------------------------------------------------------------
-- Finance indicators.
--
-- FN01 and FN03, version 2: the same rule, said as GetPlacementCosts computes
-- it (the engine sums whole pennies per cost line since this migration).
-- FN03I, FN03A, FN03O, version 2: budget lines are placement categories now
-- (budget placement_category takes the codes of placement_cost's), so the
-- provider splits are no longer compared with a budget line; the new FN03IF
-- to FN03OT are, one per category.

INSERT INTO indicator_version (indicator_id, version, title, stage, unit, polarity, kind, params,
    period_types, targets, corporate_risk, budget_line, small_number_threshold, definition,
    source, sort_order) VALUES

('FN01', 2, 'Placement spend', 'finance', 'pounds', 'none',
 'cost_sum', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'What placements cost in the period: for each cost line, its weekly cost less the health and education contributions, a seventh a day for each day of the period it covers, in whole pennies per cost line. The year to date to a month''s end is GetPlacementCosts'' actual spend as at that day.',
 'Cardiff Q4 2018-19 (financial reporting linked to placements)', 1001),

('FN03', 2, 'Forecast placement out-turn for the year', 'finance', 'pounds', 'down',
 'cost_sum', '{}',
 '{year}', '{}', NULL, NULL, 0,
 'FN01 over the whole financial year: cost lines still open run to 31 March at their current weekly cost, so that before the year ends the figure is the out-turn forecast on today''s commitments (and marked provisional): GetPlacementCosts'' forecast (actual plus committed) as at the latest data. Compared with the sum of the year''s budget lines.',
 'Norfolk, January 2019 (exception criterion 3: adversely affecting the budget); Cardiff Q4 2018-19', 1008),

('FN03I', 2, 'Forecast placement out-turn: in-house', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "provider", "in": ["PR1"]}]}',
 '{year}', '{}', NULL, NULL, 0,
 'FN03 for placements the council provides itself (PR1). Budget lines are by placement category: see FN03IF to FN03OT.',
 'Norfolk, January 2019 (exception criterion 3)', 1009),

('FN03A', 2, 'Forecast placement out-turn: independent providers', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "provider", "in": ["PR4", "PR5"]}]}',
 '{year}', '{}', 'CR-SUFFICIENCY', NULL, 0,
 'FN03 for placements with private (PR4) and voluntary (PR5) providers. Budget lines are by placement category: see FN03IF to FN03OT.',
 'Norfolk, January 2019 (exception criterion 3)', 1010),

('FN03O', 2, 'Forecast placement out-turn: other providers', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "provider", "in": ["PR0", "PR2", "PR3"]}]}',
 '{year}', '{}', NULL, NULL, 0,
 'FN03 for placements provided by parents, other councils or other public bodies (PR0, PR2, PR3). Budget lines are by placement category: see FN03IF to FN03OT.',
 'Norfolk, January 2019 (exception criterion 3)', 1011),

('FN03IF', 1, 'Forecast placement out-turn: in-house foster care', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "placement_category", "in": ["in_house_foster"]}]}',
 '{year}', '{}', NULL, 'in_house_foster', 0,
 'FN03 for cost lines of placement category in_house_foster, against the budget line in_house_foster: over budget when the forecast is above it.',
 'Norfolk, January 2019 (exception criterion 3); Cardiff Q4 2018-19', 1013),

('FN03AF', 1, 'Forecast placement out-turn: agency foster care', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "placement_category", "in": ["agency_foster"]}]}',
 '{year}', '{}', 'CR-SUFFICIENCY', 'agency_foster', 0,
 'FN03 for cost lines of placement category agency_foster, against the budget line agency_foster.',
 'Norfolk, January 2019 (exception criterion 3); Cardiff Q4 2018-19', 1014),

('FN03RE', 1, 'Forecast placement out-turn: residential care', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "placement_category", "in": ["residential"]}]}',
 '{year}', '{}', 'CR-SUFFICIENCY', 'residential', 0,
 'FN03 for cost lines of placement category residential, against the budget line residential.',
 'Norfolk, January 2019 (exception criterion 3); Cardiff Q4 2018-19', 1015),

('FN03SE', 1, 'Forecast placement out-turn: secure accommodation', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "placement_category", "in": ["secure"]}]}',
 '{year}', '{}', NULL, 'secure', 0,
 'FN03 for cost lines of placement category secure, against the budget line secure.',
 'Norfolk, January 2019 (exception criterion 3); Cardiff Q4 2018-19', 1016),

('FN03SI', 1, 'Forecast placement out-turn: semi-independent living', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "placement_category", "in": ["semi_independent"]}]}',
 '{year}', '{}', NULL, 'semi_independent', 0,
 'FN03 for cost lines of placement category semi_independent, against the budget line semi_independent.',
 'Norfolk, January 2019 (exception criterion 3); Cardiff Q4 2018-19', 1017),

('FN03OT', 1, 'Forecast placement out-turn: other placements', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "placement_category", "in": ["other"]}]}',
 '{year}', '{}', NULL, 'other', 0,
 'FN03 for cost lines of placement category other (family and friends care, and anything else the council pays for), against the budget line other.',
 'Norfolk, January 2019 (exception criterion 3); Cardiff Q4 2018-19', 1018);
