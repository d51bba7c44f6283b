-- 0021_indicator_nations.sql: which nations' councils an indicator belongs
-- to (issue 19). England's councils report against the DfE's measures,
-- Wales's against the Welsh Government's performance and improvement
-- framework for social services; a council's scorecard, exceptions, report
-- and watch show the indicators of its nation (council.nation), in one place:
-- store_indicators_for_council (server/store/indicators.c).
--
-- Every indicator so far is England's, except those that are genuinely
-- both: counts whose rule no nation's guidance decides (contacts, referrals,
-- assessments completed, enquiries and conferences, children on a plan or
-- the register, children looked after, starts and ends, legal status and
-- placement type, placement location), the workforce and youth justice
-- figures, and placement finance. Indicators whose rule is England's (the
-- DfE's timescales, the A-measures, the CIN and care leaver measures) stay
-- England's; Wales's own, which reuse some of those rules, come in 0022.
--
-- Applicability is no part of an indicator's rule (its figures do not
-- depend on it), so the existing versions are set in place, not versioned.

ALTER TABLE indicator_version
    ADD COLUMN nations text[] NOT NULL DEFAULT '{england}'
        CHECK (cardinality(nations) >= 1 AND nations <@ '{england,wales}'::text[]);

-- The view gains the column at its end (it shows the current version of
-- each indicator, every column of it).
CREATE OR REPLACE VIEW indicator AS
    SELECT DISTINCT ON (indicator_id) *
    FROM indicator_version
    ORDER BY indicator_id, version DESC;

UPDATE indicator_version SET nations = '{england,wales}'
WHERE indicator_id IN (
    'FD01', 'FD02', 'FD03', 'FD03R', 'FD04', 'FD06',
    'CN01',
    'CP01', 'CP02', 'CP02P', 'CP04', 'CP04R', 'CP08', 'CP08L',
    'LA01', 'LA01R', 'LA02S', 'LA02E', 'LA03', 'LA04', 'LA13',
    'WF01', 'WF02', 'WF03', 'WF04', 'WF05', 'WF05P',
    'YJ01', 'YJ02')
   OR stage = 'finance';
