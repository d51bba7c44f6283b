-- 0020_indicator_quality.sql: how many of a council's records that decide an
-- indicator fail one of the DfE's validation rules (issue 21;
-- docs/VALIDATION.md). csperfd writes it after each load and deletion, from
-- the rules (common/validate) run over the council's current records for
-- the collection year of its latest data; a scorecard row reads it, so that
-- a figure says when it rests on records the DfE would reject.

CREATE TABLE indicator_quality (
    council text NOT NULL,
    indicator_id text NOT NULL,
    failing_records integer NOT NULL CHECK (failing_records > 0),
    rules text NOT NULL,              -- the rules' codes, space-separated
    collection_year integer NOT NULL, -- by the 31 March that ends it
    PRIMARY KEY (council, indicator_id)
);

-- Scorecard replies are cached by every csperfd (0011_change_notify.sql):
-- a change here must reach them.
CREATE TRIGGER csperf_notify_change
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON indicator_quality
    FOR EACH STATEMENT EXECUTE FUNCTION csperf_notify_change();
