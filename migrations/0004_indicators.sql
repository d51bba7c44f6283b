-- 0004_indicators.sql: the working-day calendar, indicator definitions with
-- their history, and the computed values that scorecards read.

-- ---------------------------------------------------------------------------
-- Calendar: every day from 2010 to 2035 for each nation, with its bank
-- holiday if any. wd_index counts the working days before the day, so the
-- working days from a (inclusive) to b (exclusive) are
-- wd_index(b) - wd_index(a), as numpy's busday_count counts them.

CREATE TABLE calendar_day (
    nation        text NOT NULL CHECK (nation IN ('england', 'wales')),
    day           date NOT NULL,
    is_working    boolean NOT NULL,
    holiday       text,
    wd_index      integer NOT NULL,
    PRIMARY KEY (nation, day)
);

-- Easter Sunday (the anonymous Gregorian algorithm).
CREATE FUNCTION csperf_easter(year integer) RETURNS date
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    a int := year % 19; b int := year / 100; c int := year % 100;
    d int := b / 4; e int := b % 4; f int := (b + 8) / 25;
    g int := (b - f + 1) / 3; h int := (19 * a + b - d - g + 15) % 30;
    i int := c / 4; k int := c % 4; l int := (32 + 2 * e + 2 * i - h - k) % 7;
    m int := (a + 11 * h + 22 * l) / 451;
    month int := (h + l - 7 * m + 114) / 31;
    day int := ((h + l - 7 * m + 114) % 31) + 1;
BEGIN
    RETURN make_date(year, month, day);
END $$;

-- The first (n = 1) or last (n = -1) given weekday (ISO: 1 = Monday) of a month.
CREATE FUNCTION csperf_nth_weekday(year integer, month integer, isodow integer, n integer)
RETURNS date LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    d date;
BEGIN
    IF n > 0 THEN
        d := make_date(year, month, 1);
        WHILE extract(isodow FROM d) <> isodow LOOP d := d + 1; END LOOP;
        RETURN d + 7 * (n - 1);
    END IF;
    d := (make_date(year, month, 1) + interval '1 month')::date - 1;
    WHILE extract(isodow FROM d) <> isodow LOOP d := d - 1; END LOOP;
    RETURN d;
END $$;

-- The bank holidays of England and Wales in a year, with the substitute days
-- for New Year, Christmas and Boxing Day falling at a weekend, and the
-- one-off changes proclaimed since 2010.
CREATE FUNCTION csperf_bank_holidays(year integer)
RETURNS TABLE (day date, name text) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    new_year date := make_date(year, 1, 1);
    christmas date := make_date(year, 12, 25);
    boxing date := make_date(year, 12, 26);
    easter date := csperf_easter(year);
BEGIN
    day := CASE extract(isodow FROM new_year) WHEN 6 THEN new_year + 2
                                             WHEN 7 THEN new_year + 1 ELSE new_year END;
    name := 'New Year''s Day'; RETURN NEXT;
    day := easter - 2; name := 'Good Friday'; RETURN NEXT;
    day := easter + 1; name := 'Easter Monday'; RETURN NEXT;
    day := CASE year WHEN 2020 THEN make_date(2020, 5, 8)
                     ELSE csperf_nth_weekday(year, 5, 1, 1) END;
    name := 'Early May bank holiday'; RETURN NEXT;
    day := CASE year WHEN 2012 THEN make_date(2012, 6, 4)
                     WHEN 2022 THEN make_date(2022, 6, 2)
                     ELSE csperf_nth_weekday(year, 5, 1, -1) END;
    name := 'Spring bank holiday'; RETURN NEXT;
    day := csperf_nth_weekday(year, 8, 1, -1); name := 'Summer bank holiday'; RETURN NEXT;
    -- Christmas and Boxing Day: a weekend day moves to the next free weekday.
    IF extract(isodow FROM christmas) = 6 THEN
        day := christmas + 2; name := 'Christmas Day'; RETURN NEXT;
        day := christmas + 3; name := 'Boxing Day'; RETURN NEXT;
    ELSIF extract(isodow FROM christmas) = 7 THEN
        day := christmas + 2; name := 'Christmas Day'; RETURN NEXT;
        day := boxing; name := 'Boxing Day'; RETURN NEXT;
    ELSIF extract(isodow FROM christmas) = 5 THEN
        day := christmas; name := 'Christmas Day'; RETURN NEXT;
        day := boxing + 2; name := 'Boxing Day'; RETURN NEXT;
    ELSE
        day := christmas; name := 'Christmas Day'; RETURN NEXT;
        day := boxing; name := 'Boxing Day'; RETURN NEXT;
    END IF;
    -- One-off bank holidays.
    IF year = 2011 THEN day := make_date(2011, 4, 29); name := 'Royal wedding'; RETURN NEXT; END IF;
    IF year = 2012 THEN day := make_date(2012, 6, 5); name := 'Diamond Jubilee'; RETURN NEXT; END IF;
    IF year = 2022 THEN
        day := make_date(2022, 6, 3); name := 'Platinum Jubilee'; RETURN NEXT;
        day := make_date(2022, 9, 19); name := 'State funeral of Queen Elizabeth II'; RETURN NEXT;
    END IF;
    IF year = 2023 THEN day := make_date(2023, 5, 8); name := 'Coronation of King Charles III'; RETURN NEXT; END IF;
END $$;

INSERT INTO calendar_day (nation, day, is_working, holiday, wd_index)
SELECT n.nation, d.day::date,
       extract(isodow FROM d.day) < 6 AND h.day IS NULL,
       h.name,
       0
FROM (VALUES ('england'), ('wales')) AS n (nation)
CROSS JOIN generate_series('2010-01-01'::date, '2035-12-31'::date, interval '1 day') AS d (day)
LEFT JOIN LATERAL csperf_bank_holidays(extract(year FROM d.day)::int) h ON h.day = d.day::date;

UPDATE calendar_day c SET wd_index = x.wd_index
FROM (SELECT nation, day,
             (count(*) FILTER (WHERE is_working) OVER (PARTITION BY nation ORDER BY day)
              - CASE WHEN is_working THEN 1 ELSE 0 END)::int AS wd_index
      FROM calendar_day) x
WHERE c.nation = x.nation AND c.day = x.day;

-- The working days from a (inclusive) to b (exclusive) in a council's nation;
-- NULL outside the calendar.
CREATE FUNCTION csperf_working_days(nation text, a date, b date) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT (SELECT wd_index FROM calendar_day WHERE calendar_day.nation = $1 AND day = $3)
         - (SELECT wd_index FROM calendar_day WHERE calendar_day.nation = $1 AND day = $2)
$$;

-- ---------------------------------------------------------------------------
-- Indicator definitions: every version is kept; the view shows the current.

CREATE TABLE indicator_version (
    indicator_id    text NOT NULL CHECK (indicator_id ~ '^[A-Z][A-Z0-9]{1,15}$'),
    version         integer NOT NULL CHECK (version >= 1),
    title           text NOT NULL,
    stage           text NOT NULL CHECK (stage IN ('early_help', 'front_door', 'assessment',
                        'child_protection', 'looked_after', 'adoption', 'care_leavers',
                        'workforce', 'youth_justice', 'finance')),
    unit            text NOT NULL CHECK (unit IN ('count', 'percent', 'rate', 'days',
                        'pounds', 'number')),
    polarity        text NOT NULL CHECK (polarity IN ('up', 'down', 'none')),
    kind            text NOT NULL,
    params          jsonb NOT NULL DEFAULT '{}',
    period_types    text[] NOT NULL DEFAULT '{month,quarter,year,rolling12,ytd}',
    targets         jsonb NOT NULL DEFAULT '{}',
    corporate_risk  text,
    budget_line     text,
    small_number_threshold integer NOT NULL DEFAULT 5 CHECK (small_number_threshold >= 0),
    definition      text NOT NULL,
    source          text NOT NULL DEFAULT '',
    sort_order      integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    created_by      text NOT NULL DEFAULT 'catalogue',
    PRIMARY KEY (indicator_id, version)
);

CREATE VIEW indicator AS
    SELECT DISTINCT ON (indicator_id) *
    FROM indicator_version
    ORDER BY indicator_id, version DESC;

-- ---------------------------------------------------------------------------
-- Computed values: one row per indicator, council, org unit, period and
-- (for breakdowns) code. Scorecards read only this.

CREATE TABLE indicator_value (
    indicator_id   text NOT NULL,
    version        integer NOT NULL,
    council        text NOT NULL REFERENCES council (la_code),
    org_unit       text NOT NULL DEFAULT 'council',
    period_type    text NOT NULL,
    period         text NOT NULL,
    period_start   date NOT NULL,
    period_end     date NOT NULL,
    breakdown      text NOT NULL DEFAULT '',
    numerator      numeric,
    denominator    numeric,
    value          numeric,
    provisional    boolean NOT NULL DEFAULT false,
    computed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (council, org_unit, indicator_id, period, breakdown)
);

CREATE INDEX indicator_value_period ON indicator_value (council, org_unit, period_type, period_end);

-- What was last computed for each council, and how long it took.
CREATE TABLE compute_run (
    council        text PRIMARY KEY REFERENCES council (la_code),
    data_from      date,
    data_to        date,
    indicators     integer NOT NULL,
    values_written integer NOT NULL,
    failures       integer NOT NULL,
    milliseconds   integer NOT NULL,
    computed_at    timestamptz NOT NULL DEFAULT now()
);
