-- 0002_journey_records.sql: loads, and the journey records they bring.
--
-- A load is one LoadRecords call that stored something. Every record row
-- knows its load. Each record type T has a table rec_T with every version of
-- every record (one per load that brought it) and a view T of the current
-- ones: a later load's version of the same record (same council and key)
-- replaces the earlier one, and deleting a load makes what it replaced
-- current again (server/store/record_tables.c). Child identifiers and
-- postcodes are personal data: only what indicators and child-level lists
-- need is kept.

CREATE TABLE load (
    id               bigserial PRIMARY KEY,
    council          text NOT NULL REFERENCES council (la_code),
    source           text NOT NULL CHECK (source IN ('ssda903', 'cin-xml', 'csv')),
    label            text NOT NULL,
    idempotency_key  text NOT NULL,
    accept_valid     boolean NOT NULL,
    accepted         bigint NOT NULL DEFAULT 0,
    rejected         bigint NOT NULL DEFAULT 0,
    -- The summary returned to the client (a packed csperf.v1.LoadSummary),
    -- returned again when the same key is sent again.
    summary          bytea NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (council, idempotency_key)
);

-- The record tables below are written by csperf-schema-ddl from the record
-- schema (common/schema.c); tests/unit/test_record_tables.c keeps them equal.
-- BEGIN csperf-schema-ddl
-- child: A child known to children's services.
CREATE TABLE rec_child (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    sex text NOT NULL,
    birth_date date,
    expected_birth_date date,
    ethnicity text NOT NULL,
    disabilities text
);
CREATE UNIQUE INDEX rec_child_current ON rec_child (council, child_id) WHERE is_current;
CREATE INDEX rec_child_load ON rec_child (load_id);
CREATE VIEW child AS
    SELECT council, load_id, child_id, sex, birth_date, expected_birth_date, ethnicity, disabilities
    FROM rec_child WHERE is_current;

-- contact: A contact received at the front door (MASH).
CREATE TABLE rec_contact (
    load_id bigint NOT NULL REFERENCES load (id),
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
);
CREATE UNIQUE INDEX rec_contact_current ON rec_contact (council, child_id, contact_date) WHERE is_current;
CREATE INDEX rec_contact_load ON rec_contact (load_id);
CREATE VIEW contact AS
    SELECT council, load_id, child_id, contact_date, source, outcome, decision_date, rag_rating, team
    FROM rec_contact WHERE is_current;

-- early_help: An Early Help episode.
CREATE TABLE rec_early_help (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    start_date date NOT NULL,
    end_date date,
    team text,
    allocated_date date,
    social_care_step text
);
CREATE UNIQUE INDEX rec_early_help_current ON rec_early_help (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_early_help_load ON rec_early_help (load_id);
CREATE VIEW early_help AS
    SELECT council, load_id, child_id, start_date, end_date, team, allocated_date, social_care_step
    FROM rec_early_help WHERE is_current;

-- referral: A CIN episode, from its referral: CIN census CINdetails.
CREATE TABLE rec_referral (
    load_id bigint NOT NULL REFERENCES load (id),
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
);
CREATE UNIQUE INDEX rec_referral_current ON rec_referral (council, child_id, referral_date) WHERE is_current;
CREATE INDEX rec_referral_load ON rec_referral (load_id);
CREATE VIEW referral AS
    SELECT council, load_id, child_id, referral_date, referral_source, primary_need, referral_nfa, closure_date, closure_reason, initial_cpc_date
    FROM rec_referral WHERE is_current;

-- assessment: A children and families assessment: CIN census Assessments.
CREATE TABLE rec_assessment (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    referral_date date NOT NULL,
    start_date date NOT NULL,
    authorisation_date date,
    factors text
);
CREATE UNIQUE INDEX rec_assessment_current ON rec_assessment (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_assessment_load ON rec_assessment (load_id);
CREATE VIEW assessment AS
    SELECT council, load_id, child_id, referral_date, start_date, authorisation_date, factors
    FROM rec_assessment WHERE is_current;

-- cin_plan: A child in need plan: CIN census CINPlanDates.
CREATE TABLE rec_cin_plan (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    referral_date date NOT NULL,
    start_date date NOT NULL,
    end_date date
);
CREATE UNIQUE INDEX rec_cin_plan_current ON rec_cin_plan (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_cin_plan_load ON rec_cin_plan (load_id);
CREATE VIEW cin_plan AS
    SELECT council, load_id, child_id, referral_date, start_date, end_date
    FROM rec_cin_plan WHERE is_current;

-- s47: A section 47 enquiry: CIN census Section47.
CREATE TABLE rec_s47 (
    load_id bigint NOT NULL REFERENCES load (id),
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
);
CREATE UNIQUE INDEX rec_s47_current ON rec_s47 (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_s47_load ON rec_s47 (load_id);
CREATE VIEW s47 AS
    SELECT council, load_id, child_id, referral_date, start_date, icpc_target_date, icpc_date, icpc_not_required, outcome
    FROM rec_s47 WHERE is_current;

-- cp_plan: A child protection plan: CIN census ChildProtectionPlans.
CREATE TABLE rec_cp_plan (
    load_id bigint NOT NULL REFERENCES load (id),
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
);
CREATE UNIQUE INDEX rec_cp_plan_current ON rec_cp_plan (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_cp_plan_load ON rec_cp_plan (load_id);
CREATE VIEW cp_plan AS
    SELECT council, load_id, child_id, referral_date, start_date, end_date, initial_category, latest_category, previous_plans
    FROM rec_cp_plan WHERE is_current;

-- cp_review: A review of a child protection plan: CIN census CPPreviewDate.
CREATE TABLE rec_cp_review (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    referral_date date NOT NULL,
    plan_start_date date NOT NULL,
    review_date date NOT NULL
);
CREATE UNIQUE INDEX rec_cp_review_current ON rec_cp_review (council, child_id, review_date) WHERE is_current;
CREATE INDEX rec_cp_review_load ON rec_cp_review (load_id);
CREATE VIEW cp_review AS
    SELECT council, load_id, child_id, referral_date, plan_start_date, review_date
    FROM rec_cp_review WHERE is_current;

-- cp_visit: A visit to a child on a child protection plan.
CREATE TABLE rec_cp_visit (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    visit_date date NOT NULL
);
CREATE UNIQUE INDEX rec_cp_visit_current ON rec_cp_visit (council, child_id, visit_date) WHERE is_current;
CREATE INDEX rec_cp_visit_load ON rec_cp_visit (load_id);
CREATE VIEW cp_visit AS
    SELECT council, load_id, child_id, visit_date
    FROM rec_cp_visit WHERE is_current;

-- la_episode: An episode of care: one row of SSDA903 episodes.
CREATE TABLE rec_la_episode (
    load_id bigint NOT NULL REFERENCES load (id),
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
);
CREATE UNIQUE INDEX rec_la_episode_current ON rec_la_episode (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_la_episode_load ON rec_la_episode (load_id);
CREATE VIEW la_episode AS
    SELECT council, load_id, child_id, start_date, new_episode_reason, legal_status, category_of_need, placement_type, placement_provider, end_date, end_reason, placement_change_reason, home_postcode, placement_postcode, urn
    FROM rec_la_episode WHERE is_current;

-- la_review: A looked-after review: one row of SSDA903 reviews.
CREATE TABLE rec_la_review (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    review_date date NOT NULL,
    participation text NOT NULL
);
CREATE UNIQUE INDEX rec_la_review_current ON rec_la_review (council, child_id, review_date) WHERE is_current;
CREATE INDEX rec_la_review_load ON rec_la_review (load_id);
CREATE VIEW la_review AS
    SELECT council, load_id, child_id, review_date, participation
    FROM rec_la_review WHERE is_current;

-- la_visit: A statutory visit to a looked-after child.
CREATE TABLE rec_la_visit (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    visit_date date NOT NULL
);
CREATE UNIQUE INDEX rec_la_visit_current ON rec_la_visit (council, child_id, visit_date) WHERE is_current;
CREATE INDEX rec_la_visit_load ON rec_la_visit (load_id);
CREATE VIEW la_visit AS
    SELECT council, load_id, child_id, visit_date
    FROM rec_la_visit WHERE is_current;

-- health: Health and offending outcomes of a child looked after for a year: SSDA903 OC2.
CREATE TABLE rec_health (
    load_id bigint NOT NULL REFERENCES load (id),
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
);
CREATE UNIQUE INDEX rec_health_current ON rec_health (council, child_id, as_at_date) WHERE is_current;
CREATE INDEX rec_health_load ON rec_health (load_id);
CREATE VIEW health AS
    SELECT council, load_id, child_id, as_at_date, sdq_score, sdq_reason, convicted, health_check, immunisations, teeth_check, health_assessment, substance_misuse, intervention_received, intervention_offered
    FROM rec_health WHERE is_current;

-- missing: A time missing or away from placement: SSDA903 missing.
CREATE TABLE rec_missing (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    missing_type text NOT NULL,
    start_date date NOT NULL,
    end_date date
);
CREATE UNIQUE INDEX rec_missing_current ON rec_missing (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_missing_load ON rec_missing (load_id);
CREATE VIEW missing AS
    SELECT council, load_id, child_id, missing_type, start_date, end_date
    FROM rec_missing WHERE is_current;

-- care_leaver: What a care leaver is doing: SSDA903 OC3.
CREATE TABLE rec_care_leaver (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    as_at_date date NOT NULL,
    in_touch text NOT NULL,
    activity text NOT NULL,
    accommodation text NOT NULL
);
CREATE UNIQUE INDEX rec_care_leaver_current ON rec_care_leaver (council, child_id, as_at_date) WHERE is_current;
CREATE INDEX rec_care_leaver_load ON rec_care_leaver (load_id);
CREATE VIEW care_leaver AS
    SELECT council, load_id, child_id, as_at_date, in_touch, activity, accommodation
    FROM rec_care_leaver WHERE is_current;

-- adoption: An adoption: SSDA903 AD1.
CREATE TABLE rec_adoption (
    load_id bigint NOT NULL REFERENCES load (id),
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
);
CREATE UNIQUE INDEX rec_adoption_current ON rec_adoption (council, child_id) WHERE is_current;
CREATE INDEX rec_adoption_load ON rec_adoption (load_id);
CREATE VIEW adoption AS
    SELECT council, load_id, child_id, decision_date, match_date, foster_carer_adoption, adopter_count, adopter_sex, adopter_legal_status
    FROM rec_adoption WHERE is_current;

-- placed_for_adoption: A decision that the child should be placed for adoption: SSDA903 placed for adoption.
CREATE TABLE rec_placed_for_adoption (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    decision_date date NOT NULL,
    ceased_date date,
    ceased_reason text
);
CREATE UNIQUE INDEX rec_placed_for_adoption_current ON rec_placed_for_adoption (council, child_id, decision_date) WHERE is_current;
CREATE INDEX rec_placed_for_adoption_load ON rec_placed_for_adoption (load_id);
CREATE VIEW placed_for_adoption AS
    SELECT council, load_id, child_id, decision_date, ceased_date, ceased_reason
    FROM rec_placed_for_adoption WHERE is_current;

-- previous_permanence: The permanence the child had before care: SSDA903 previous permanence.
CREATE TABLE rec_previous_permanence (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    previous_permanence text NOT NULL,
    la_code text,
    order_date text
);
CREATE UNIQUE INDEX rec_previous_permanence_current ON rec_previous_permanence (council, child_id) WHERE is_current;
CREATE INDEX rec_previous_permanence_load ON rec_previous_permanence (load_id);
CREATE VIEW previous_permanence AS
    SELECT council, load_id, child_id, previous_permanence, la_code, order_date
    FROM rec_previous_permanence WHERE is_current;

-- uasc: An unaccompanied asylum-seeking child: SSDA903 UASC.
CREATE TABLE rec_uasc (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    child_id text NOT NULL,
    ceased_date date NOT NULL
);
CREATE UNIQUE INDEX rec_uasc_current ON rec_uasc (council, child_id) WHERE is_current;
CREATE INDEX rec_uasc_load ON rec_uasc (load_id);
CREATE VIEW uasc AS
    SELECT council, load_id, child_id, ceased_date
    FROM rec_uasc WHERE is_current;

-- placement_cost: What a placement costs, from the council's finance system.
CREATE TABLE rec_placement_cost (
    load_id bigint NOT NULL REFERENCES load (id),
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
    education_contribution numeric
);
CREATE UNIQUE INDEX rec_placement_cost_current ON rec_placement_cost (council, child_id, start_date) WHERE is_current;
CREATE INDEX rec_placement_cost_load ON rec_placement_cost (load_id);
CREATE VIEW placement_cost AS
    SELECT council, load_id, child_id, placement_ref, episode_start_date, provider, weekly_cost, start_date, end_date, health_contribution, education_contribution
    FROM rec_placement_cost WHERE is_current;

-- budget: A placement budget line for a financial year.
CREATE TABLE rec_budget (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    financial_year integer NOT NULL,
    placement_category text NOT NULL,
    amount numeric NOT NULL
);
CREATE UNIQUE INDEX rec_budget_current ON rec_budget (council, financial_year, placement_category) WHERE is_current;
CREATE INDEX rec_budget_load ON rec_budget (load_id);
CREATE VIEW budget AS
    SELECT council, load_id, financial_year, placement_category, amount
    FROM rec_budget WHERE is_current;

-- reported_figure: A figure the council reports as is (workforce, youth justice).
CREATE TABLE rec_reported_figure (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    indicator_id text NOT NULL,
    org_unit text NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    value numeric NOT NULL
);
CREATE UNIQUE INDEX rec_reported_figure_current ON rec_reported_figure (council, indicator_id, org_unit, period_start, period_end) WHERE is_current;
CREATE INDEX rec_reported_figure_load ON rec_reported_figure (load_id);
CREATE VIEW reported_figure AS
    SELECT council, load_id, indicator_id, org_unit, period_start, period_end, value
    FROM rec_reported_figure WHERE is_current;

-- population: The loading council's estimated population under 18.
CREATE TABLE rec_population (
    load_id bigint NOT NULL REFERENCES load (id),
    council text NOT NULL,
    record_no bigint NOT NULL,
    is_current boolean NOT NULL,
    year integer NOT NULL,
    under_18_estimate integer NOT NULL
);
CREATE UNIQUE INDEX rec_population_current ON rec_population (council, year) WHERE is_current;
CREATE INDEX rec_population_load ON rec_population (load_id);
CREATE VIEW population AS
    SELECT council, load_id, year, under_18_estimate
    FROM rec_population WHERE is_current;

-- END csperf-schema-ddl
