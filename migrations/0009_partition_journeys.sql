-- 0009_partition_journeys.sql: the journey tables partitioned by council
-- (issue 10; docs/SCALING.md).
--
-- Every rec_* table becomes PARTITION BY LIST (council), with one partition
-- per council, rec_<type>_<council>: a council's load, deletion and
-- recompute read and write only its own partitions (every statement on them
-- says council = $1, so PostgreSQL prunes the others), vacuum and ANALYZE
-- work per council, and a council's data can be detached or dropped whole.
-- Each unique index on current rows already leads with council, as a
-- partitioned table requires; the views read the partitioned tables.
--
-- The foreign keys rec_*.load_id -> load (id) are dropped: they cost a
-- look-up in load for every row stored (2.16 million checks for a load of a
-- million records, docs/PERFORMANCE.md), and the store owns that integrity
-- itself: rows get their load_id from the load row the same transaction made
-- (server/store/loads.c), and DeleteLoad deletes a load's rows from every
-- rec_* table before the load row, in one transaction.
--
-- Partitions are made when a council row is inserted (trigger below), so a
-- council is ready before its first record. csperfd serves as csperf_app,
-- which may not run DDL: the trigger's function is SECURITY DEFINER, owned by
-- the schema owner that runs migrations, with a fixed search_path, and names
-- go through format('%I'). A partition is made as a table and then attached,
-- which takes only SHARE UPDATE EXCLUSIVE on the parent: other councils keep
-- reading and loading while a new council is made (CREATE TABLE ... PARTITION
-- OF would take ACCESS EXCLUSIVE).
--
-- The migration moves every row under an exclusive lock on each table: on a
-- large store, run it in a maintenance window.

-- Makes the partitions of a council that are missing, one per partitioned
-- rec_* table (so that a later migration adding a record type calls it again
-- for every council); returns how many it made.
CREATE FUNCTION csperf_council_partitions(council text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    parent name;
    partition_name text;
    made integer := 0;
BEGIN
    -- la_code's own check, again: the code becomes part of a name.
    IF council IS NULL OR council !~ '^[A-Za-z0-9]{3,9}$' THEN
        RAISE EXCEPTION 'council code % cannot name a partition', quote_nullable(council)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR parent IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'p' AND c.relname LIKE 'rec\_%'
        ORDER BY c.relname
    LOOP
        partition_name := parent || '_' || council;
        CONTINUE WHEN EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE n.nspname = 'public' AND c.relname = partition_name);
        EXECUTE format('CREATE TABLE public.%I (LIKE public.%I INCLUDING DEFAULTS)',
                       partition_name, parent);
        EXECUTE format('ALTER TABLE public.%I ATTACH PARTITION public.%I FOR VALUES IN (%L)',
                       parent, partition_name, council);
        made := made + 1;
    END LOOP;
    RETURN made;
END
$$;
REVOKE ALL ON FUNCTION csperf_council_partitions(text) FROM PUBLIC;

CREATE FUNCTION csperf_council_made() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM csperf_council_partitions(NEW.la_code);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION csperf_council_made() FROM PUBLIC;
CREATE TRIGGER council_partitions AFTER INSERT ON council
    FOR EACH ROW EXECUTE FUNCTION csperf_council_made();

-- Fresh statistics of a council's partition of a rec_* table, for the
-- recompute that follows a load that changed (inserted or superseded)
-- `changed` of its rows: only when the partition was never analysed or the
-- change is more than 50 rows and 10% of it (autovacuum's own default rule;
-- autovacuum catches up with smaller changes, partition by partition).
-- Returns true if it analysed. The whole table (the parent's inherited
-- statistics) is not analysed: in PostgreSQL 15 that would sample and
-- analyse every council's partitions. csperf_app may not ANALYZE a table it
-- does not own, hence SECURITY DEFINER.
CREATE FUNCTION csperf_analyze_records(record_table text, council text, changed bigint)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    partition_oid oid;
    tuples real;
BEGIN
    SELECT c.oid, c.reltuples INTO partition_oid, tuples
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    JOIN pg_namespace n ON n.oid = p.relnamespace
    WHERE n.nspname = 'public' AND p.relkind = 'p' AND p.relname LIKE 'rec\_%'
      AND p.relname = record_table AND c.relname = record_table || '_' || council;
    IF partition_oid IS NULL OR (tuples >= 0 AND changed <= 50 + 0.1 * tuples) THEN
        RETURN false;
    END IF;
    EXECUTE format('ANALYZE %s', partition_oid::regclass);
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION csperf_analyze_records(text, text, bigint) FROM PUBLIC;
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'csperf_app') THEN
        GRANT EXECUTE ON FUNCTION csperf_analyze_records(text, text, bigint) TO csperf_app;
    END IF;
END
$$;

-- The tables below are written by `csperf-schema-ddl partitioning` from the
-- record schema (server/store/record_tables.c); tests/unit/test_record_tables.c
-- keeps them equal.
-- BEGIN csperf-schema-ddl partitioning
-- child
ALTER TABLE rec_child RENAME TO rec_child_unpartitioned;
ALTER INDEX rec_child_current RENAME TO rec_child_unpartitioned_current;
ALTER INDEX rec_child_load RENAME TO rec_child_unpartitioned_load;
CREATE TABLE rec_child (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    sex text NOT NULL,
    birth_date date,
    expected_birth_date date,
    ethnicity text NOT NULL,
    disabilities text
) PARTITION BY LIST (council);

-- contact
ALTER TABLE rec_contact RENAME TO rec_contact_unpartitioned;
ALTER INDEX rec_contact_current RENAME TO rec_contact_unpartitioned_current;
ALTER INDEX rec_contact_load RENAME TO rec_contact_unpartitioned_load;
CREATE TABLE rec_contact (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    contact_date date NOT NULL,
    source text,
    outcome text,
    decision_date date,
    rag_rating text,
    team text
) PARTITION BY LIST (council);

-- early_help
ALTER TABLE rec_early_help RENAME TO rec_early_help_unpartitioned;
ALTER INDEX rec_early_help_current RENAME TO rec_early_help_unpartitioned_current;
ALTER INDEX rec_early_help_load RENAME TO rec_early_help_unpartitioned_load;
CREATE TABLE rec_early_help (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    start_date date NOT NULL,
    end_date date,
    team text,
    allocated_date date,
    social_care_step text
) PARTITION BY LIST (council);

-- referral
ALTER TABLE rec_referral RENAME TO rec_referral_unpartitioned;
ALTER INDEX rec_referral_current RENAME TO rec_referral_unpartitioned_current;
ALTER INDEX rec_referral_load RENAME TO rec_referral_unpartitioned_load;
CREATE TABLE rec_referral (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    referral_date date NOT NULL,
    referral_source text,
    primary_need text,
    referral_nfa boolean NOT NULL,
    closure_date date,
    closure_reason text,
    initial_cpc_date date
) PARTITION BY LIST (council);

-- assessment
ALTER TABLE rec_assessment RENAME TO rec_assessment_unpartitioned;
ALTER INDEX rec_assessment_current RENAME TO rec_assessment_unpartitioned_current;
ALTER INDEX rec_assessment_load RENAME TO rec_assessment_unpartitioned_load;
CREATE TABLE rec_assessment (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    referral_date date NOT NULL,
    start_date date NOT NULL,
    authorisation_date date,
    factors text
) PARTITION BY LIST (council);

-- cin_plan
ALTER TABLE rec_cin_plan RENAME TO rec_cin_plan_unpartitioned;
ALTER INDEX rec_cin_plan_current RENAME TO rec_cin_plan_unpartitioned_current;
ALTER INDEX rec_cin_plan_load RENAME TO rec_cin_plan_unpartitioned_load;
CREATE TABLE rec_cin_plan (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    referral_date date NOT NULL,
    start_date date NOT NULL,
    end_date date
) PARTITION BY LIST (council);

-- s47
ALTER TABLE rec_s47 RENAME TO rec_s47_unpartitioned;
ALTER INDEX rec_s47_current RENAME TO rec_s47_unpartitioned_current;
ALTER INDEX rec_s47_load RENAME TO rec_s47_unpartitioned_load;
CREATE TABLE rec_s47 (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    referral_date date NOT NULL,
    start_date date NOT NULL,
    icpc_target_date date,
    icpc_date date,
    icpc_not_required boolean,
    outcome text
) PARTITION BY LIST (council);

-- cp_plan
ALTER TABLE rec_cp_plan RENAME TO rec_cp_plan_unpartitioned;
ALTER INDEX rec_cp_plan_current RENAME TO rec_cp_plan_unpartitioned_current;
ALTER INDEX rec_cp_plan_load RENAME TO rec_cp_plan_unpartitioned_load;
CREATE TABLE rec_cp_plan (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    referral_date date NOT NULL,
    start_date date NOT NULL,
    end_date date,
    initial_category text NOT NULL,
    latest_category text NOT NULL,
    previous_plans integer
) PARTITION BY LIST (council);

-- cp_review
ALTER TABLE rec_cp_review RENAME TO rec_cp_review_unpartitioned;
ALTER INDEX rec_cp_review_current RENAME TO rec_cp_review_unpartitioned_current;
ALTER INDEX rec_cp_review_load RENAME TO rec_cp_review_unpartitioned_load;
CREATE TABLE rec_cp_review (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    referral_date date NOT NULL,
    plan_start_date date NOT NULL,
    review_date date NOT NULL
) PARTITION BY LIST (council);

-- cp_visit
ALTER TABLE rec_cp_visit RENAME TO rec_cp_visit_unpartitioned;
ALTER INDEX rec_cp_visit_current RENAME TO rec_cp_visit_unpartitioned_current;
ALTER INDEX rec_cp_visit_load RENAME TO rec_cp_visit_unpartitioned_load;
CREATE TABLE rec_cp_visit (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    visit_date date NOT NULL
) PARTITION BY LIST (council);

-- la_episode
ALTER TABLE rec_la_episode RENAME TO rec_la_episode_unpartitioned;
ALTER INDEX rec_la_episode_current RENAME TO rec_la_episode_unpartitioned_current;
ALTER INDEX rec_la_episode_load RENAME TO rec_la_episode_unpartitioned_load;
CREATE TABLE rec_la_episode (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    start_date date NOT NULL,
    new_episode_reason text NOT NULL,
    legal_status text NOT NULL,
    category_of_need text NOT NULL,
    placement_type text NOT NULL,
    placement_provider text,
    end_date date,
    end_reason text,
    placement_change_reason text,
    home_postcode text,
    placement_postcode text,
    urn text
) PARTITION BY LIST (council);

-- la_review
ALTER TABLE rec_la_review RENAME TO rec_la_review_unpartitioned;
ALTER INDEX rec_la_review_current RENAME TO rec_la_review_unpartitioned_current;
ALTER INDEX rec_la_review_load RENAME TO rec_la_review_unpartitioned_load;
CREATE TABLE rec_la_review (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    review_date date NOT NULL,
    participation text NOT NULL
) PARTITION BY LIST (council);

-- la_visit
ALTER TABLE rec_la_visit RENAME TO rec_la_visit_unpartitioned;
ALTER INDEX rec_la_visit_current RENAME TO rec_la_visit_unpartitioned_current;
ALTER INDEX rec_la_visit_load RENAME TO rec_la_visit_unpartitioned_load;
CREATE TABLE rec_la_visit (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    visit_date date NOT NULL
) PARTITION BY LIST (council);

-- health
ALTER TABLE rec_health RENAME TO rec_health_unpartitioned;
ALTER INDEX rec_health_current RENAME TO rec_health_unpartitioned_current;
ALTER INDEX rec_health_load RENAME TO rec_health_unpartitioned_load;
CREATE TABLE rec_health (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    as_at_date date NOT NULL,
    sdq_score integer,
    sdq_reason text,
    convicted boolean,
    health_check boolean,
    immunisations boolean,
    teeth_check boolean,
    health_assessment boolean,
    substance_misuse boolean,
    intervention_received boolean,
    intervention_offered boolean
) PARTITION BY LIST (council);

-- missing
ALTER TABLE rec_missing RENAME TO rec_missing_unpartitioned;
ALTER INDEX rec_missing_current RENAME TO rec_missing_unpartitioned_current;
ALTER INDEX rec_missing_load RENAME TO rec_missing_unpartitioned_load;
CREATE TABLE rec_missing (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    missing_type text NOT NULL,
    start_date date NOT NULL,
    end_date date
) PARTITION BY LIST (council);

-- care_leaver
ALTER TABLE rec_care_leaver RENAME TO rec_care_leaver_unpartitioned;
ALTER INDEX rec_care_leaver_current RENAME TO rec_care_leaver_unpartitioned_current;
ALTER INDEX rec_care_leaver_load RENAME TO rec_care_leaver_unpartitioned_load;
CREATE TABLE rec_care_leaver (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    as_at_date date NOT NULL,
    in_touch text NOT NULL,
    activity text NOT NULL,
    accommodation text NOT NULL
) PARTITION BY LIST (council);

-- adoption
ALTER TABLE rec_adoption RENAME TO rec_adoption_unpartitioned;
ALTER INDEX rec_adoption_current RENAME TO rec_adoption_unpartitioned_current;
ALTER INDEX rec_adoption_load RENAME TO rec_adoption_unpartitioned_load;
CREATE TABLE rec_adoption (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    decision_date date NOT NULL,
    match_date date,
    foster_carer_adoption boolean,
    adopter_count integer,
    adopter_sex text,
    adopter_legal_status text
) PARTITION BY LIST (council);

-- placed_for_adoption
ALTER TABLE rec_placed_for_adoption RENAME TO rec_placed_for_adoption_unpartitioned;
ALTER INDEX rec_placed_for_adoption_current RENAME TO rec_placed_for_adoption_unpartitioned_current;
ALTER INDEX rec_placed_for_adoption_load RENAME TO rec_placed_for_adoption_unpartitioned_load;
CREATE TABLE rec_placed_for_adoption (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    decision_date date NOT NULL,
    ceased_date date,
    ceased_reason text
) PARTITION BY LIST (council);

-- previous_permanence
ALTER TABLE rec_previous_permanence RENAME TO rec_previous_permanence_unpartitioned;
ALTER INDEX rec_previous_permanence_current RENAME TO rec_previous_permanence_unpartitioned_current;
ALTER INDEX rec_previous_permanence_load RENAME TO rec_previous_permanence_unpartitioned_load;
CREATE TABLE rec_previous_permanence (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    previous_permanence text NOT NULL,
    la_code text,
    order_date text
) PARTITION BY LIST (council);

-- uasc
ALTER TABLE rec_uasc RENAME TO rec_uasc_unpartitioned;
ALTER INDEX rec_uasc_current RENAME TO rec_uasc_unpartitioned_current;
ALTER INDEX rec_uasc_load RENAME TO rec_uasc_unpartitioned_load;
CREATE TABLE rec_uasc (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    ceased_date date NOT NULL
) PARTITION BY LIST (council);

-- placement_cost
ALTER TABLE rec_placement_cost RENAME TO rec_placement_cost_unpartitioned;
ALTER INDEX rec_placement_cost_current RENAME TO rec_placement_cost_unpartitioned_current;
ALTER INDEX rec_placement_cost_load RENAME TO rec_placement_cost_unpartitioned_load;
CREATE TABLE rec_placement_cost (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    placement_ref text,
    episode_start_date date,
    provider text NOT NULL,
    weekly_cost numeric NOT NULL,
    start_date date NOT NULL,
    end_date date,
    health_contribution numeric,
    education_contribution numeric,
    placement_category text,
    locality text
) PARTITION BY LIST (council);

-- budget
ALTER TABLE rec_budget RENAME TO rec_budget_unpartitioned;
ALTER INDEX rec_budget_current RENAME TO rec_budget_unpartitioned_current;
ALTER INDEX rec_budget_load RENAME TO rec_budget_unpartitioned_load;
CREATE TABLE rec_budget (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    financial_year integer NOT NULL,
    placement_category text NOT NULL,
    amount numeric NOT NULL
) PARTITION BY LIST (council);

-- reported_figure
ALTER TABLE rec_reported_figure RENAME TO rec_reported_figure_unpartitioned;
ALTER INDEX rec_reported_figure_current RENAME TO rec_reported_figure_unpartitioned_current;
ALTER INDEX rec_reported_figure_load RENAME TO rec_reported_figure_unpartitioned_load;
CREATE TABLE rec_reported_figure (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    indicator_id text NOT NULL,
    org_unit text NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    value numeric NOT NULL
) PARTITION BY LIST (council);

-- population
ALTER TABLE rec_population RENAME TO rec_population_unpartitioned;
ALTER INDEX rec_population_current RENAME TO rec_population_unpartitioned_current;
ALTER INDEX rec_population_load RENAME TO rec_population_unpartitioned_load;
CREATE TABLE rec_population (
    load_id bigint NOT NULL,
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    year integer NOT NULL,
    under_18_estimate integer NOT NULL
) PARTITION BY LIST (council);

SELECT csperf_council_partitions(la_code) FROM council ORDER BY la_code;

-- child
INSERT INTO rec_child (load_id, council, record_no, is_current, child_id, sex, birth_date, expected_birth_date, ethnicity, disabilities)
    SELECT load_id, council, record_no, is_current, child_id, sex, birth_date, expected_birth_date, ethnicity, disabilities FROM rec_child_unpartitioned;
CREATE OR REPLACE VIEW child AS
    SELECT council, load_id, child_id, sex, birth_date, expected_birth_date, ethnicity, disabilities
    FROM rec_child WHERE is_current;
DROP TABLE rec_child_unpartitioned;
CREATE UNIQUE INDEX rec_child_current ON rec_child (council, child_id) WHERE is_current;
CREATE INDEX rec_child_load ON rec_child (load_id);

-- contact
INSERT INTO rec_contact (load_id, council, record_no, is_current, child_id, contact_date, source, outcome, decision_date, rag_rating, team)
    SELECT load_id, council, record_no, is_current, child_id, contact_date, source, outcome, decision_date, rag_rating, team FROM rec_contact_unpartitioned;
CREATE OR REPLACE VIEW contact AS
    SELECT council, load_id, child_id, contact_date, source, outcome, decision_date, rag_rating, team
    FROM rec_contact WHERE is_current;
DROP TABLE rec_contact_unpartitioned;
CREATE UNIQUE INDEX rec_contact_current ON rec_contact (council, child_id, contact_date) WHERE is_current;
CREATE INDEX rec_contact_load ON rec_contact (load_id);

-- early_help
INSERT INTO rec_early_help (load_id, council, record_no, is_current, child_id, start_date, end_date, team, allocated_date, social_care_step)
    SELECT load_id, council, record_no, is_current, child_id, start_date, end_date, team, allocated_date, social_care_step FROM rec_early_help_unpartitioned;
CREATE OR REPLACE VIEW early_help AS
    SELECT council, load_id, child_id, start_date, end_date, team, allocated_date, social_care_step
    FROM rec_early_help WHERE is_current;
DROP TABLE rec_early_help_unpartitioned;
CREATE UNIQUE INDEX rec_early_help_current ON rec_early_help (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_early_help_load ON rec_early_help (load_id);

-- referral
INSERT INTO rec_referral (load_id, council, record_no, is_current, child_id, referral_date, referral_source, primary_need, referral_nfa, closure_date, closure_reason, initial_cpc_date)
    SELECT load_id, council, record_no, is_current, child_id, referral_date, referral_source, primary_need, referral_nfa, closure_date, closure_reason, initial_cpc_date FROM rec_referral_unpartitioned;
CREATE OR REPLACE VIEW referral AS
    SELECT council, load_id, child_id, referral_date, referral_source, primary_need, referral_nfa, closure_date, closure_reason, initial_cpc_date
    FROM rec_referral WHERE is_current;
DROP TABLE rec_referral_unpartitioned;
CREATE UNIQUE INDEX rec_referral_current ON rec_referral (council, child_id, referral_date) WHERE is_current;
CREATE INDEX rec_referral_load ON rec_referral (load_id);

-- assessment
INSERT INTO rec_assessment (load_id, council, record_no, is_current, child_id, referral_date, start_date, authorisation_date, factors)
    SELECT load_id, council, record_no, is_current, child_id, referral_date, start_date, authorisation_date, factors FROM rec_assessment_unpartitioned;
CREATE OR REPLACE VIEW assessment AS
    SELECT council, load_id, child_id, referral_date, start_date, authorisation_date, factors
    FROM rec_assessment WHERE is_current;
DROP TABLE rec_assessment_unpartitioned;
CREATE UNIQUE INDEX rec_assessment_current ON rec_assessment (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_assessment_load ON rec_assessment (load_id);

-- cin_plan
INSERT INTO rec_cin_plan (load_id, council, record_no, is_current, child_id, referral_date, start_date, end_date)
    SELECT load_id, council, record_no, is_current, child_id, referral_date, start_date, end_date FROM rec_cin_plan_unpartitioned;
CREATE OR REPLACE VIEW cin_plan AS
    SELECT council, load_id, child_id, referral_date, start_date, end_date
    FROM rec_cin_plan WHERE is_current;
DROP TABLE rec_cin_plan_unpartitioned;
CREATE UNIQUE INDEX rec_cin_plan_current ON rec_cin_plan (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_cin_plan_load ON rec_cin_plan (load_id);

-- s47
INSERT INTO rec_s47 (load_id, council, record_no, is_current, child_id, referral_date, start_date, icpc_target_date, icpc_date, icpc_not_required, outcome)
    SELECT load_id, council, record_no, is_current, child_id, referral_date, start_date, icpc_target_date, icpc_date, icpc_not_required, outcome FROM rec_s47_unpartitioned;
CREATE OR REPLACE VIEW s47 AS
    SELECT council, load_id, child_id, referral_date, start_date, icpc_target_date, icpc_date, icpc_not_required, outcome
    FROM rec_s47 WHERE is_current;
DROP TABLE rec_s47_unpartitioned;
CREATE UNIQUE INDEX rec_s47_current ON rec_s47 (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_s47_load ON rec_s47 (load_id);

-- cp_plan
INSERT INTO rec_cp_plan (load_id, council, record_no, is_current, child_id, referral_date, start_date, end_date, initial_category, latest_category, previous_plans)
    SELECT load_id, council, record_no, is_current, child_id, referral_date, start_date, end_date, initial_category, latest_category, previous_plans FROM rec_cp_plan_unpartitioned;
CREATE OR REPLACE VIEW cp_plan AS
    SELECT council, load_id, child_id, referral_date, start_date, end_date, initial_category, latest_category, previous_plans
    FROM rec_cp_plan WHERE is_current;
DROP TABLE rec_cp_plan_unpartitioned;
CREATE UNIQUE INDEX rec_cp_plan_current ON rec_cp_plan (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_cp_plan_load ON rec_cp_plan (load_id);

-- cp_review
INSERT INTO rec_cp_review (load_id, council, record_no, is_current, child_id, referral_date, plan_start_date, review_date)
    SELECT load_id, council, record_no, is_current, child_id, referral_date, plan_start_date, review_date FROM rec_cp_review_unpartitioned;
CREATE OR REPLACE VIEW cp_review AS
    SELECT council, load_id, child_id, referral_date, plan_start_date, review_date
    FROM rec_cp_review WHERE is_current;
DROP TABLE rec_cp_review_unpartitioned;
CREATE UNIQUE INDEX rec_cp_review_current ON rec_cp_review (council, child_id, review_date) WHERE is_current;
CREATE INDEX rec_cp_review_load ON rec_cp_review (load_id);

-- cp_visit
INSERT INTO rec_cp_visit (load_id, council, record_no, is_current, child_id, visit_date)
    SELECT load_id, council, record_no, is_current, child_id, visit_date FROM rec_cp_visit_unpartitioned;
CREATE OR REPLACE VIEW cp_visit AS
    SELECT council, load_id, child_id, visit_date
    FROM rec_cp_visit WHERE is_current;
DROP TABLE rec_cp_visit_unpartitioned;
CREATE UNIQUE INDEX rec_cp_visit_current ON rec_cp_visit (council, child_id, visit_date) WHERE is_current;
CREATE INDEX rec_cp_visit_load ON rec_cp_visit (load_id);

-- la_episode
INSERT INTO rec_la_episode (load_id, council, record_no, is_current, child_id, start_date, new_episode_reason, legal_status, category_of_need, placement_type, placement_provider, end_date, end_reason, placement_change_reason, home_postcode, placement_postcode, urn)
    SELECT load_id, council, record_no, is_current, child_id, start_date, new_episode_reason, legal_status, category_of_need, placement_type, placement_provider, end_date, end_reason, placement_change_reason, home_postcode, placement_postcode, urn FROM rec_la_episode_unpartitioned;
CREATE OR REPLACE VIEW la_episode AS
    SELECT council, load_id, child_id, start_date, new_episode_reason, legal_status, category_of_need, placement_type, placement_provider, end_date, end_reason, placement_change_reason, home_postcode, placement_postcode, urn
    FROM rec_la_episode WHERE is_current;
DROP TABLE rec_la_episode_unpartitioned;
CREATE UNIQUE INDEX rec_la_episode_current ON rec_la_episode (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_la_episode_load ON rec_la_episode (load_id);

-- la_review
INSERT INTO rec_la_review (load_id, council, record_no, is_current, child_id, review_date, participation)
    SELECT load_id, council, record_no, is_current, child_id, review_date, participation FROM rec_la_review_unpartitioned;
CREATE OR REPLACE VIEW la_review AS
    SELECT council, load_id, child_id, review_date, participation
    FROM rec_la_review WHERE is_current;
DROP TABLE rec_la_review_unpartitioned;
CREATE UNIQUE INDEX rec_la_review_current ON rec_la_review (council, child_id, review_date) WHERE is_current;
CREATE INDEX rec_la_review_load ON rec_la_review (load_id);

-- la_visit
INSERT INTO rec_la_visit (load_id, council, record_no, is_current, child_id, visit_date)
    SELECT load_id, council, record_no, is_current, child_id, visit_date FROM rec_la_visit_unpartitioned;
CREATE OR REPLACE VIEW la_visit AS
    SELECT council, load_id, child_id, visit_date
    FROM rec_la_visit WHERE is_current;
DROP TABLE rec_la_visit_unpartitioned;
CREATE UNIQUE INDEX rec_la_visit_current ON rec_la_visit (council, child_id, visit_date) WHERE is_current;
CREATE INDEX rec_la_visit_load ON rec_la_visit (load_id);

-- health
INSERT INTO rec_health (load_id, council, record_no, is_current, child_id, as_at_date, sdq_score, sdq_reason, convicted, health_check, immunisations, teeth_check, health_assessment, substance_misuse, intervention_received, intervention_offered)
    SELECT load_id, council, record_no, is_current, child_id, as_at_date, sdq_score, sdq_reason, convicted, health_check, immunisations, teeth_check, health_assessment, substance_misuse, intervention_received, intervention_offered FROM rec_health_unpartitioned;
CREATE OR REPLACE VIEW health AS
    SELECT council, load_id, child_id, as_at_date, sdq_score, sdq_reason, convicted, health_check, immunisations, teeth_check, health_assessment, substance_misuse, intervention_received, intervention_offered
    FROM rec_health WHERE is_current;
DROP TABLE rec_health_unpartitioned;
CREATE UNIQUE INDEX rec_health_current ON rec_health (council, child_id, as_at_date) WHERE is_current;
CREATE INDEX rec_health_load ON rec_health (load_id);

-- missing
INSERT INTO rec_missing (load_id, council, record_no, is_current, child_id, missing_type, start_date, end_date)
    SELECT load_id, council, record_no, is_current, child_id, missing_type, start_date, end_date FROM rec_missing_unpartitioned;
CREATE OR REPLACE VIEW missing AS
    SELECT council, load_id, child_id, missing_type, start_date, end_date
    FROM rec_missing WHERE is_current;
DROP TABLE rec_missing_unpartitioned;
CREATE UNIQUE INDEX rec_missing_current ON rec_missing (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_missing_load ON rec_missing (load_id);

-- care_leaver
INSERT INTO rec_care_leaver (load_id, council, record_no, is_current, child_id, as_at_date, in_touch, activity, accommodation)
    SELECT load_id, council, record_no, is_current, child_id, as_at_date, in_touch, activity, accommodation FROM rec_care_leaver_unpartitioned;
CREATE OR REPLACE VIEW care_leaver AS
    SELECT council, load_id, child_id, as_at_date, in_touch, activity, accommodation
    FROM rec_care_leaver WHERE is_current;
DROP TABLE rec_care_leaver_unpartitioned;
CREATE UNIQUE INDEX rec_care_leaver_current ON rec_care_leaver (council, child_id, as_at_date) WHERE is_current;
CREATE INDEX rec_care_leaver_load ON rec_care_leaver (load_id);

-- adoption
INSERT INTO rec_adoption (load_id, council, record_no, is_current, child_id, decision_date, match_date, foster_carer_adoption, adopter_count, adopter_sex, adopter_legal_status)
    SELECT load_id, council, record_no, is_current, child_id, decision_date, match_date, foster_carer_adoption, adopter_count, adopter_sex, adopter_legal_status FROM rec_adoption_unpartitioned;
CREATE OR REPLACE VIEW adoption AS
    SELECT council, load_id, child_id, decision_date, match_date, foster_carer_adoption, adopter_count, adopter_sex, adopter_legal_status
    FROM rec_adoption WHERE is_current;
DROP TABLE rec_adoption_unpartitioned;
CREATE UNIQUE INDEX rec_adoption_current ON rec_adoption (council, child_id) WHERE is_current;
CREATE INDEX rec_adoption_load ON rec_adoption (load_id);

-- placed_for_adoption
INSERT INTO rec_placed_for_adoption (load_id, council, record_no, is_current, child_id, decision_date, ceased_date, ceased_reason)
    SELECT load_id, council, record_no, is_current, child_id, decision_date, ceased_date, ceased_reason FROM rec_placed_for_adoption_unpartitioned;
CREATE OR REPLACE VIEW placed_for_adoption AS
    SELECT council, load_id, child_id, decision_date, ceased_date, ceased_reason
    FROM rec_placed_for_adoption WHERE is_current;
DROP TABLE rec_placed_for_adoption_unpartitioned;
CREATE UNIQUE INDEX rec_placed_for_adoption_current ON rec_placed_for_adoption (council, child_id, decision_date) WHERE is_current;
CREATE INDEX rec_placed_for_adoption_load ON rec_placed_for_adoption (load_id);

-- previous_permanence
INSERT INTO rec_previous_permanence (load_id, council, record_no, is_current, child_id, previous_permanence, la_code, order_date)
    SELECT load_id, council, record_no, is_current, child_id, previous_permanence, la_code, order_date FROM rec_previous_permanence_unpartitioned;
CREATE OR REPLACE VIEW previous_permanence AS
    SELECT council, load_id, child_id, previous_permanence, la_code, order_date
    FROM rec_previous_permanence WHERE is_current;
DROP TABLE rec_previous_permanence_unpartitioned;
CREATE UNIQUE INDEX rec_previous_permanence_current ON rec_previous_permanence (council, child_id) WHERE is_current;
CREATE INDEX rec_previous_permanence_load ON rec_previous_permanence (load_id);

-- uasc
INSERT INTO rec_uasc (load_id, council, record_no, is_current, child_id, ceased_date)
    SELECT load_id, council, record_no, is_current, child_id, ceased_date FROM rec_uasc_unpartitioned;
CREATE OR REPLACE VIEW uasc AS
    SELECT council, load_id, child_id, ceased_date
    FROM rec_uasc WHERE is_current;
DROP TABLE rec_uasc_unpartitioned;
CREATE UNIQUE INDEX rec_uasc_current ON rec_uasc (council, child_id) WHERE is_current;
CREATE INDEX rec_uasc_load ON rec_uasc (load_id);

-- placement_cost
INSERT INTO rec_placement_cost (load_id, council, record_no, is_current, child_id, placement_ref, episode_start_date, provider, weekly_cost, start_date, end_date, health_contribution, education_contribution, placement_category, locality)
    SELECT load_id, council, record_no, is_current, child_id, placement_ref, episode_start_date, provider, weekly_cost, start_date, end_date, health_contribution, education_contribution, placement_category, locality FROM rec_placement_cost_unpartitioned;
CREATE OR REPLACE VIEW placement_cost AS
    SELECT council, load_id, child_id, placement_ref, episode_start_date, provider, weekly_cost, start_date, end_date, health_contribution, education_contribution, placement_category, locality
    FROM rec_placement_cost WHERE is_current;
DROP TABLE rec_placement_cost_unpartitioned;
CREATE UNIQUE INDEX rec_placement_cost_current ON rec_placement_cost (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_placement_cost_load ON rec_placement_cost (load_id);

-- budget
INSERT INTO rec_budget (load_id, council, record_no, is_current, financial_year, placement_category, amount)
    SELECT load_id, council, record_no, is_current, financial_year, placement_category, amount FROM rec_budget_unpartitioned;
CREATE OR REPLACE VIEW budget AS
    SELECT council, load_id, financial_year, placement_category, amount
    FROM rec_budget WHERE is_current;
DROP TABLE rec_budget_unpartitioned;
CREATE UNIQUE INDEX rec_budget_current ON rec_budget (council, financial_year, placement_category) WHERE is_current;
CREATE INDEX rec_budget_load ON rec_budget (load_id);

-- reported_figure
INSERT INTO rec_reported_figure (load_id, council, record_no, is_current, indicator_id, org_unit, period_start, period_end, value)
    SELECT load_id, council, record_no, is_current, indicator_id, org_unit, period_start, period_end, value FROM rec_reported_figure_unpartitioned;
CREATE OR REPLACE VIEW reported_figure AS
    SELECT council, load_id, indicator_id, org_unit, period_start, period_end, value
    FROM rec_reported_figure WHERE is_current;
DROP TABLE rec_reported_figure_unpartitioned;
CREATE UNIQUE INDEX rec_reported_figure_current ON rec_reported_figure (council, indicator_id, org_unit, period_start, period_end) WHERE is_current;
CREATE INDEX rec_reported_figure_load ON rec_reported_figure (load_id);

-- population
INSERT INTO rec_population (load_id, council, record_no, is_current, year, under_18_estimate)
    SELECT load_id, council, record_no, is_current, year, under_18_estimate FROM rec_population_unpartitioned;
CREATE OR REPLACE VIEW population AS
    SELECT council, load_id, year, under_18_estimate
    FROM rec_population WHERE is_current;
DROP TABLE rec_population_unpartitioned;
CREATE UNIQUE INDEX rec_population_current ON rec_population (council, year) WHERE is_current;
CREATE INDEX rec_population_load ON rec_population (load_id);

-- END csperf-schema-ddl

-- csperf_app uses the new tables as it did the old ones (0003's default
-- privileges say so too, but only for the role that ran 0003).
DO $$
DECLARE
    record_table name;
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'csperf_app') THEN
        FOR record_table IN
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'p' AND c.relname LIKE 'rec\_%'
        LOOP
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO csperf_app',
                           record_table);
        END LOOP;
    END IF;
END
$$;
