-- 0006_comparators.sql: what a council's figures are compared with.
--
-- Published comparators (England, a region, statistical neighbours as the
-- DfE publishes them) are loaded as figures; a council's statistical
-- neighbours, as LA codes, let csperf compute their average itself from the
-- councils it holds.

ALTER TABLE council ADD COLUMN region text;

CREATE TABLE council_neighbour (
    council    text NOT NULL REFERENCES council (la_code) ON DELETE CASCADE,
    neighbour  text NOT NULL CHECK (neighbour ~ '^[A-Za-z0-9]{3,9}$'),
    PRIMARY KEY (council, neighbour),
    CHECK (council <> neighbour)
);

CREATE TABLE comparator (
    indicator_id  text NOT NULL,
    area_type     text NOT NULL CHECK (area_type IN ('england', 'wales', 'region',
                      'statistical_neighbours', 'other')),
    area          text NOT NULL,      -- 'England', 'West Midlands', a council's LA code for its SN
    period        text NOT NULL,      -- a period label: 2017-18, 2018-19:Q2, ...
    value         numeric NOT NULL,
    source        text NOT NULL,
    loaded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (indicator_id, area_type, area, period)
);
