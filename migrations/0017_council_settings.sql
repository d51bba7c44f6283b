-- 0017_council_settings.sql: each council its own (issue 19): a council's
-- targets, links and scorecard, and the report cards its officers write.
--
-- Both are versioned as indicator definitions are (0004): every version is
-- kept, a view shows the current one, and the serving role may only append
-- (docs/SECURITY.md). A council's rows go with it (DeleteCouncil).

-- ---------------------------------------------------------------------------
-- A council's settings: one version holds all of them.
--
-- indicators: {"CN02": {"targets": {"2018-19": {"target": 95, "tolerance": 3}},
--                       "corporate_risk": "CR-01", "budget_line": "other"}}
-- A year the council sets replaces the catalogue's target for that year; the
-- other years keep the catalogue's. corporate_risk and budget_line, when
-- present, replace the catalogue's links ("" links to none). Direction
-- (polarity) stays the indicator's.
-- scorecard: the indicators its scorecard shows, in order; empty: the
-- catalogue's indicators for its nation, in the catalogue's order.

CREATE TABLE council_settings_version (
    council     text NOT NULL REFERENCES council (la_code) ON DELETE CASCADE,
    version     integer NOT NULL CHECK (version >= 1),
    indicators  jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(indicators) = 'object'),
    scorecard   text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    created_by  text NOT NULL,
    PRIMARY KEY (council, version)
);

CREATE VIEW council_settings AS
    SELECT DISTINCT ON (council) *
    FROM council_settings_version
    ORDER BY council, version DESC;

-- ---------------------------------------------------------------------------
-- Report cards: for an indicator, council and period (its label, as the
-- scorecard's: 2018-19:Q4), who leads and who owns the data, and the
-- commentary and actions, each with who last wrote it and when. A version
-- per change; the newest is the card.

CREATE TABLE report_card_version (
    council        text NOT NULL REFERENCES council (la_code) ON DELETE CASCADE,
    indicator_id   text NOT NULL CHECK (indicator_id ~ '^[A-Z][A-Z0-9]{1,15}$'),
    period         text NOT NULL CHECK (length(period) BETWEEN 4 AND 24),
    version        integer NOT NULL CHECK (version >= 1),
    lead_officer   text NOT NULL DEFAULT '' CHECK (length(lead_officer) <= 200),
    data_owner     text NOT NULL DEFAULT '' CHECK (length(data_owner) <= 200),
    commentary     text NOT NULL DEFAULT '' CHECK (length(commentary) <= 4000),
    commentary_by  text NOT NULL DEFAULT '',
    commentary_at  timestamptz,
    actions        text NOT NULL DEFAULT '' CHECK (length(actions) <= 4000),
    actions_by     text NOT NULL DEFAULT '',
    actions_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    created_by     text NOT NULL,
    PRIMARY KEY (council, indicator_id, period, version)
);

CREATE VIEW report_card AS
    SELECT DISTINCT ON (council, indicator_id, period) *
    FROM report_card_version
    ORDER BY council, indicator_id, period, version DESC;

-- Scorecards and exceptions are cached by every csperfd (0011): a change
-- to either table empties the caches and moves watched scorecards on.
CREATE TRIGGER csperf_notify_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON council_settings_version
    FOR EACH STATEMENT EXECUTE FUNCTION csperf_notify_change();
CREATE TRIGGER csperf_notify_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON report_card_version
    FOR EACH STATEMENT EXECUTE FUNCTION csperf_notify_change();

-- History is kept: the serving role appends versions and never rewrites or
-- removes one (a council's removal cascades as the tables' owner).
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'csperf_app') THEN
        REVOKE UPDATE, DELETE ON council_settings_version FROM csperf_app;
        REVOKE UPDATE, DELETE ON report_card_version FROM csperf_app;
    END IF;
END
$$;
