-- 0019_dfe_combined_measures.sql: a dfe_measure rule may combine columns of
-- a row, as data: the figure is
--   (measure_column + plus_columns...) / (per_columns...) * scale
-- and, with no per_columns, (measure_column + plus_columns...) * scale.
-- A part published as a symbol makes the figure no figure with that symbol;
-- a ratio whose denominator is 0 is no figure, symbol z (not applicable).
-- A rate per 10,000 is a ratio with scale 10000; a percent, scale 100.

ALTER TABLE dfe_measure
    ADD COLUMN plus_columns text[] NOT NULL DEFAULT '{}'
        CHECK (cardinality(plus_columns) <= 8),
    ADD COLUMN per_columns text[] NOT NULL DEFAULT '{}'
        CHECK (cardinality(per_columns) <= 8);

-- File C4 publishes section 47 enquiries, initial conferences, and the
-- conferences by working days from the start of the enquiry in four bands.
INSERT INTO dfe_measure (kind, indicator_id, measure_column, filters, unit, scale, note,
                         plus_columns, per_columns) VALUES
('cin_c4', 'CP02P', 'ICPC', '{}', 'percent', 100,
 'Initial child protection conferences per 100 section 47 enquiries in the year (ICPC / Section47).',
 '{}', '{Section47}'),
('cin_c4', 'CP03', 'Duration_0-10_days', '{}', 'percent', 100,
 'Initial conferences held within 15 working days of the start of the section 47 enquiry, percent '
 'of those with a duration: (0-10 + 11-15 days) / (all four duration bands).',
 '{Duration_11-15_days}',
 '{Duration_0-10_days,Duration_11-15_days,Duration_16-20_days,Duration_21+_days}');
