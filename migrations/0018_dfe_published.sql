-- 0018_dfe_published.sql: the DfE's published statistics as comparators.
--
-- `csperf comparators import FILE...` reads the DfE's "explore education
-- statistics" (EES) CSV files as published. What a file holds is data, not
-- code: dfe_file_kind recognises a file by its columns, dfe_measure maps a
-- measure column (and the values of the file's filter columns) to an
-- indicator id. A new release or a new file is a few rows here (or in a
-- later migration), no code. docs/COMPARATORS.md says which file and column
-- feeds which indicator.

-- A published figure may be no figure: the DfE's symbol says why (c
-- suppressed, x not available, z not applicable, u low reliability, k fewer
-- than 0.5, low, and `blank` for an empty cell). Never a 0.
ALTER TABLE comparator ALTER COLUMN value DROP NOT NULL;
ALTER TABLE comparator ADD COLUMN symbol text
    CHECK (symbol IN ('c', 'x', 'z', 'u', 'k', 'low', 'blank'));
ALTER TABLE comparator ADD CONSTRAINT comparator_value_or_symbol
    CHECK ((value IS NULL) <> (symbol IS NULL));
-- The release a figure comes from: the DfE file's latest year (a B1 file
-- of 2013 to 2025 is release 2025). A figure from a newer release replaces
-- the same figure from an older one; an older release never replaces a newer.
ALTER TABLE comparator ADD COLUMN release text NOT NULL DEFAULT '';
-- A council's own published figure: area_type 'council', area its LA code.
ALTER TABLE comparator DROP CONSTRAINT comparator_area_type_check;
ALTER TABLE comparator ADD CONSTRAINT comparator_area_type_check
    CHECK (area_type IN ('england', 'wales', 'region', 'statistical_neighbours', 'other',
                         'council'));
-- A scorecard reads a few periods' figures of every area type (and ranks
-- every council's): by period first.
CREATE INDEX comparator_period ON comparator (period, area_type, indicator_id);

-- Each local authority as the DfE files name it: its region, for the
-- region comparator of a council whose own record names none.
CREATE TABLE dfe_local_authority (
    la_code      text PRIMARY KEY CHECK (la_code ~ '^[A-Za-z0-9]{3,9}$'),
    new_la_code  text NOT NULL DEFAULT '',
    name         text NOT NULL,
    region       text NOT NULL DEFAULT '',
    release      text NOT NULL DEFAULT ''
);

-- The DfE's statistical neighbour model: ten neighbours per LA, closest
-- first, by old (three-digit) LA code.
CREATE TABLE dfe_neighbour (
    la_code    text NOT NULL CHECK (la_code ~ '^[A-Za-z0-9]{3,9}$'),
    position   int NOT NULL CHECK (position BETWEEN 1 AND 10),
    neighbour  text NOT NULL CHECK (neighbour ~ '^[A-Za-z0-9]{3,9}$'),
    closeness  text NOT NULL DEFAULT '',
    model      text NOT NULL,
    PRIMARY KEY (la_code, position)
);

-- What kind of file a header is: every column of `columns` is in it. The
-- kind whose columns match and are the most wins.
CREATE TABLE dfe_file_kind (
    kind     text PRIMARY KEY,
    title    text NOT NULL,        -- the release and file, for the figures' source
    columns  text[] NOT NULL CHECK (cardinality(columns) > 0),
    neighbours boolean NOT NULL DEFAULT false   -- the statistical neighbour model
);

-- A measure column, in the rows whose filter columns hold `filters`
-- ({"column": "value", ...}, all of them), is the figure of indicator_id,
-- multiplied by scale (a proportion 0.69 of a percent indicator: 100).
CREATE TABLE dfe_measure (
    kind            text NOT NULL REFERENCES dfe_file_kind (kind) ON DELETE CASCADE,
    indicator_id    text NOT NULL,
    measure_column  text NOT NULL,
    filters         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(filters) = 'object'),
    unit            text NOT NULL CHECK (unit IN ('count', 'percent', 'rate', 'days', 'number')),
    scale           numeric NOT NULL DEFAULT 1,
    note            text NOT NULL DEFAULT '',
    PRIMARY KEY (kind, indicator_id, measure_column, filters)
);

INSERT INTO dfe_file_kind (kind, title, columns, neighbours) VALUES
('cin_b1', 'DfE Children in need, file B1 (children in need and episodes)',
 '{time_period,time_identifier,geographic_level,category,At31_episodes,Started_episodes}', false),
('cin_c1', 'DfE Children in need, file C1 (referrals and re-referrals)',
 '{time_period,time_identifier,geographic_level,referral_count,rereferral_percent}', false),
('cin_c3', 'DfE Children in need, file C3 (factors identified at the end of assessment)',
 '{time_period,time_identifier,geographic_level,Episodes_with_assessment_factor}', false),
('cin_c4', 'DfE Children in need, file C4 (section 47 enquiries and initial child protection conferences)',
 '{time_period,time_identifier,geographic_level,Section47,ICPC}', false),
('cin_cpp_at31', 'DfE Children in need, child protection plans at 31 March (files D1, D5)',
 '{time_period,time_identifier,geographic_level,CPP_At31}', false),
('cin_d3', 'DfE Children in need, file D3 (second or subsequent child protection plans)',
 '{time_period,time_identifier,geographic_level,CPP_subsequent_percent}', false),
('cla_numbers', 'DfE Children looked after, numbers and rates per 10,000 children',
 '{time_period,time_identifier,geographic_level,population_estimate,number,rate_per_10000}', false),
('cla_stability', 'DfE Children looked after, placement stability',
 '{time_period,time_identifier,geographic_level,cla_group,placement_stability,children_percent}', false),
('care_leavers_activity', 'DfE Children looked after, care leavers'' activity',
 '{time_period,time_identifier,geographic_level,care_leaver_age,breakdown,care_leaver_percent}', false),
('care_leavers_accommodation', 'DfE Children looked after, care leavers'' accommodation',
 '{time_period,time_identifier,geographic_level,care_leaver_age,accommodation_suitability,care_leaver_percent}', false),
('sn_model', 'DfE Children''s services statistical neighbours',
 '{old_la_code,SN_1,SN_2,SN_3,SN_4,SN_5,SN_6,SN_7,SN_8,SN_9,SN_10}', true);

INSERT INTO dfe_measure (kind, indicator_id, measure_column, filters, unit, scale, note) VALUES
('cin_b1', 'CN03', 'At31_episodes', '{"category": "Children in Need"}', 'count', 1,
 'Children in need at 31 March (episodes open at 31 March).'),
('cin_c1', 'FD03', 'referral_count', '{}', 'count', 1, 'Referrals in the year.'),
('cin_c1', 'FD05', 'rereferral_percent', '{}', 'percent', 1,
 'Referrals within 12 months of a previous referral, percent of referrals.'),
('cin_c3', 'CN04', 'Episodes_with_assessment_factor', '{}', 'count', 1,
 'Assessments with factors identified at their end: the breakdown''s own figure, a count.'),
('cin_c4', 'CP01', 'Section47', '{}', 'count', 1, 'Section 47 enquiries in the year.'),
('cin_c4', 'CP02', 'ICPC', '{}', 'count', 1, 'Initial child protection conferences in the year.'),
('cin_cpp_at31', 'CP04', 'CPP_At31', '{}', 'count', 1,
 'Children on a child protection plan at 31 March.'),
('cin_d3', 'CP05', 'CPP_subsequent_percent', '{}', 'percent', 1,
 'Child protection plans starting in the year that are a second or subsequent plan.'),
('cla_numbers', 'LA01', 'number', '{"population_count": "Children looked after at 31 March each year"}',
 'count', 1, 'Children looked after at 31 March (the file names its filter column population_count).'),
('cla_numbers', 'LA01R', 'rate_per_10000', '{"population_count": "Children looked after at 31 March each year"}',
 'rate', 1, 'Children looked after at 31 March per 10,000 children under 18.'),
('cla_numbers', 'LA02S', 'number', '{"population_count": "Children starting to be looked after each year"}',
 'count', 1, 'Children who started to be looked after in the year.'),
('cla_numbers', 'LA02E', 'number', '{"population_count": "Children ceasing to be looked after each year"}',
 'count', 1, 'Children who ceased to be looked after in the year.'),
('cla_stability', 'LA05', 'children_percent',
 '{"cla_group": "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years", "placement_stability": "Living with the same carer for at least 2 years"}',
 'percent', 1, 'Long-term stability.'),
('cla_stability', 'LA06', 'children_percent',
 '{"cla_group": "CLA on 31 March", "placement_stability": "With 3 or more placements during the year"}',
 'percent', 1, 'Short-term stability: 3 or more placements in the year.'),
('care_leavers_activity', 'CL01', 'care_leaver_percent',
 '{"care_leaver_age": "19 to 21 years", "breakdown": "Total in education, employment or training"}',
 'percent', 1, 'Care leavers aged 19 to 21 in education, employment or training.'),
('care_leavers_accommodation', 'CL02', 'care_leaver_percent',
 '{"care_leaver_age": "19 to 21 years", "accommodation_suitability": "Accommodation considered suitable"}',
 'percent', 1, 'Care leavers aged 19 to 21 in suitable accommodation.');

-- Scorecards read the neighbour model and the LAs' regions: a change to
-- them empties every csperfd's read cache, as a change to comparator does
-- (0011_change_notify.sql).
CREATE TRIGGER csperf_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON dfe_neighbour
    FOR EACH STATEMENT EXECUTE FUNCTION csperf_notify_change();
CREATE TRIGGER csperf_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON dfe_local_authority FOR EACH STATEMENT EXECUTE FUNCTION csperf_notify_change();
