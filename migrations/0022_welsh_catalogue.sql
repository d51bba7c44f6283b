-- 0022_welsh_catalogue.sql: Wales's measures (issue 19), the ones Cardiff's
-- children's services performance report prints (Q4 2018-19): the Welsh
-- Government's performance measures for children under the code of practice
-- in relation to measuring social services performance (Social Services and
-- Well-being (Wales) Act 2014, s.145; PM24 to PM35, the children's measures
-- StatsWales publishes as "Quantitative social services performance
-- measures - Children and Care Leavers"), and the older national strategic
-- and performance indicators (SCC/...) the report still shows. Each belongs
-- to Wales only (0021's nations); docs/indicators.md, "Wales", gives the
-- definitions, their sources, and which reuse an English rule.
--
-- A measure is computed where the journey records hold what its rule
-- needs, with the generic kinds and derived facts (server/engine/facts.c);
-- the rest are `reported` (the council loads a reported_figure), each
-- definition saying which field the records lack.
--
-- Corporate risks as England's equivalents have them (CN02, CP03, CP05:
-- CR-SAFEGUARDING; LA06: CR-SUFFICIENCY); targets are a council's own.
--
-- sort_order: within the stage's hundred, after England's (assessment 310,
-- child protection 430, looked after 530, care leavers 710).

INSERT INTO indicator_version (indicator_id, version, title, stage, unit, polarity, kind, params,
    period_types, targets, corporate_risk, budget_line, small_number_threshold, definition,
    source, sort_order, nations, created_by) VALUES

-- ---------------------------------------------------------------------------
-- Assessment (care and support)

('PM24', 1, 'PM24: assessments completed for children within statutory timescales', 'assessment',
 'percent', 'up', 'timeliness',
 '{"record": "assessment", "date": "authorisation_date", "from": "referral_date", "to": "authorisation_date", "within": 42, "days": "working"}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SAFEGUARDING', NULL, 5,
 'Assessments of children completed (authorised) in the period within 42 working days from the point of referral: the working days from the referral (inclusive) to the authorisation (exclusive), Welsh bank holidays left out, are 42 or fewer; of all assessments of children completed in the period (an assessment completed before its referral is left out).',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 24; StatsWales, quantitative social services performance measures - children (numerator: assessments completed during the year within 42 working days from the point of referral; denominator: assessments completed during the year); Cardiff Q4 2018-19 (well-being assessments, 70.1% for the year)',
 310, '{wales}', 'migration 0022'),

('PM25', 1, 'PM25: children supported to remain living within their family', 'assessment',
 'percent', 'up', 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: children with a care and support plan on the period''s last day who are not looked after, of all children with a care and support plan then. The records hold no care and support plan (Part 4 of the 2014 Act): cin_plan is the CIN census''s plan, and no record says which children looked after or on the register also have one.',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 25; StatsWales (numerator: children with a care and support plan at 31 March minus children looked after at 31 March; denominator: children with a care and support plan at 31 March); Cardiff 31 March 2019 (910 of 1,810)',
 311, '{wales}', 'migration 0022'),

-- ---------------------------------------------------------------------------
-- Child protection (the register)

('SCC014', 1, 'SCC/014: initial child protection conferences held within 15 working days of the strategy discussion', 'child_protection',
 'percent', 'up', 'timeliness',
 '{"record": "s47_icpc", "date": "icpc_date", "from": "start_date", "to": "icpc_date", "within": 15, "days": "working"}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SAFEGUARDING', NULL, 5,
 'Initial conferences held in the period whose working days from the strategy discussion that started the section 47 enquiry (inclusive) to the conference (exclusive), Welsh bank holidays left out, are 15 or fewer, of all initial conferences held in the period (England''s CP03 rule: the All Wales Child Protection Procedures set the same 15 working days).',
 'Welsh Government national strategic indicator SCC/014 (percentage of initial child protection conferences due in the year held within 15 working days of the strategy discussion); All Wales Child Protection Procedures; Cardiff 2018-19 (86.7%, 333 of 384); derived fact s47_icpc',
 430, '{wales}', 'migration 0022'),

('PM27', 1, 'PM27: re-registrations on the child protection register within 12 months of deregistration', 'child_protection',
 'percent', 'down', 'proportion',
 '{"record": "cp_plan_history", "date": "start_date", "numerator": [{"date": "start_date", "on_or_before": "previous_end", "plus": {"months": 12}}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SAFEGUARDING', NULL, 5,
 'Registrations on the child protection register in the period (a plan starting) that started on or before the first anniversary of the child''s latest earlier deregistration, of all registrations in the period (England''s CP05B rule). The numerator is the re-registrations, the denominator the registrations.',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 27 (re-registrations of children on local authority child protection registers); Cardiff 2018-19 (16 of the 330 registered); derived fact cp_plan_history',
 431, '{wales}', 'migration 0022'),

('PM28', 1, 'PM28: average days on the child protection register, children deregistered', 'child_protection',
 'days', 'none', 'average_duration',
 '{"record": "cp_plan", "date": "end_date", "from": "start_date", "to": "end_date"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children deregistered in the period (a plan ending): their total days on the register, from registration to deregistration, divided by their number (England''s CP10 rule). The denominator is the deregistrations.',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 28 (average length of time for all children who were on the child protection register during the year); Cardiff 2018-19 (233 days for the 378 children deregistered)',
 432, '{wales}', 'migration 0022'),

('SCC034', 1, 'SCC/034: child protection reviews carried out within statutory timescales', 'child_protection',
 'percent', 'up', 'proportion',
 '{"record": "cp_review_due", "date": "review_date", "numerator": [{"date": "review_date", "on_or_before": "due_date"}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Child protection review conferences held in the period on or before the day they were due: the first within 3 months of the initial conference, each later one within 6 months of the one before (England''s CP07 rule: the All Wales Child Protection Procedures set the same intervals); of all reviews held in the period.',
 'Welsh Government national strategic indicator SCC/034 (percentage of child protection reviews carried out within statutory timescales during the year); All Wales Child Protection Procedures; Cardiff 2018-19 (90.4%, 666 of 737); derived fact cp_review_due',
 433, '{wales}', 'migration 0022'),

-- ---------------------------------------------------------------------------
-- Looked after

('PM26', 1, 'PM26: looked after children returned home from care', 'looked_after',
 'percent', 'up', 'interval_proportion',
 '{"record": "la_episode", "start": "start_date", "end": "end_date", "where": [{"field": "legal_status", "not_in": ["V3", "V4"]}], "numerator": [{"field": "end_reason", "in": ["E4A", "E4B"]}, {"date": "end_date", "on_or_after": "period_start"}, {"date": "end_date", "on_or_before": "period_end"}], "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children who ceased to be looked after in the period returning home to live with their parents or others with parental responsibility (reason ceased E4A or E4B), of all children looked after at any time in the period, short breaks (V3, V4) left out (England''s LA14 rule).',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 26; StatsWales (numerator: looked after children who returned home from care during the year; denominator: looked after children during the year); Cardiff 2018-19 (68 of 1,093)',
 530, '{wales}', 'migration 0022'),

('PM33', 1, 'PM33: children looked after with three or more placements during the year', 'looked_after',
 'percent', 'down', 'stability_short',
 '{"min_placements": 3, "not_placements": ["T0", "T1", "T2", "T3", "T4"]}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SUFFICIENCY', NULL, 5,
 'Children looked after on the period''s last day (not on short breaks) who had three or more placements in the twelve months to it (for the financial year: during the year to 31 March), of all children looked after then (England''s LA06 rule: a change of legal status alone, a short break or a temporary placement T0 to T4 is no placement).',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 33 (looked after children on 31 March who have had three or more placements during the year); Cardiff 2018-19 (placement moves)',
 531, '{wales}', 'migration 0022'),

('SCC021', 1, 'SCC/021: looked after children reviews carried out within statutory timescales', 'looked_after',
 'percent', 'up', 'proportion',
 '{"record": "la_review_due", "date": "review_date", "where": [{"field": "care_start", "is_null": false}], "numerator": [{"date": "review_date", "on_or_before": "due_date"}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Looked-after reviews held in the period on or before the day they were due: the first within 20 working days of the child becoming looked after, the second within 3 months of the first, each later one within 6 months of the one before (England''s LA07 rule: the Care Planning, Placement and Case Review (Wales) Regulations 2015 set the same intervals); of all reviews held in the period.',
 'Welsh Government national strategic indicator SCC/021 (percentage of looked after children reviews carried out within statutory timescales during the year); Care Planning, Placement and Case Review (Wales) Regulations 2015; Cardiff 2018-19 (timeliness of looked after reviews); derived fact la_review_due',
 532, '{wales}', 'migration 0022'),

('SCC025', 1, 'SCC/025: statutory visits to looked after children that took place in accordance with regulations', 'looked_after',
 'percent', 'up', 'proportion',
 '{"record": "la_visit_due", "date": "visit_date", "where": [{"field": "placement_start", "is_null": false}], "numerator": [{"date": "visit_date", "on_or_before": "due_date"}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Statutory visits made in the period on or before the day they were due: the first within 7 days of a placement''s start, each later one within 6 weeks (42 days) of the visit before in the same placement (England''s LA09 rule: the Care Planning, Placement and Case Review (Wales) Regulations 2015 set the same first-year intervals); of all visits made in the period to children in a placement. A visit never made counts only when the next is made (late).',
 'Welsh Government national strategic indicator SCC/025 (percentage of statutory visits to looked after children due in the year that took place in accordance with regulations); Care Planning, Placement and Case Review (Wales) Regulations 2015; Cardiff 2018-19 (Q4 provisional); derived fact la_visit_due',
 533, '{wales}', 'migration 0022'),

('PM29A', 1, 'PM29a: children looked after achieving the core subject indicator at key stage 2', 'looked_after',
 'percent', 'up', 'reported', '{}',
 '{year}', '{}', NULL, NULL, 5,
 'Reported by the council: the records hold no key stage results (no education record).',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 29a; Cardiff 2018-19 (education achievement)',
 534, '{wales}', 'migration 0022'),

('PM29B', 1, 'PM29b: children looked after achieving the core subject indicator at key stage 4', 'looked_after',
 'percent', 'up', 'reported', '{}',
 '{year}', '{}', NULL, NULL, 5,
 'Reported by the council: the records hold no key stage results (no education record).',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 29b; Cardiff 2018-19 (education achievement)',
 535, '{wales}', 'migration 0022'),

('PM30', 1, 'PM30: children seen by a registered dentist within 3 months of becoming looked after', 'looked_after',
 'percent', 'up', 'reported', '{}',
 '{year}', '{}', NULL, NULL, 5,
 'Reported by the council: the records hold no date of a dental check (health, the SSDA903 OC2, says only whether the teeth check of the year is up to date, for children looked after 12 months).',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 30; Cardiff 2018-19 (health of children looked after)',
 536, '{wales}', 'migration 0022'),

('PM31', 1, 'PM31: children looked after registered with a GP within 10 working days of the start of their placement', 'looked_after',
 'percent', 'up', 'reported', '{}',
 '{year}', '{}', NULL, NULL, 5,
 'Reported by the council: the records hold no GP registration (no field of la_episode or health).',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 31; Cardiff 2018-19 (health of children looked after: GP registration)',
 537, '{wales}', 'migration 0022'),

('PM32', 1, 'PM32: children looked after with one or more changes of school', 'looked_after',
 'percent', 'down', 'reported', '{}',
 '{year}', '{}', NULL, NULL, 5,
 'Reported by the council: the records hold no school (no school or change of school field), so changes of school not due to transitional arrangements are not known.',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 32; Cardiff 2018-19 (placement and school moves)',
 538, '{wales}', 'migration 0022'),

-- ---------------------------------------------------------------------------
-- Care leavers

('PM34A', 1, 'PM34a: care leavers in education, training or employment 12 months after leaving care', 'care_leavers',
 'percent', 'up', 'reported', '{}',
 '{year}', '{}', NULL, NULL, 5,
 'Reported by the council: care_leaver records (OC3) are taken around a care leaver''s 19th to 21st birthdays, not 12 months after leaving care, and hold no date of leaving care to measure from.',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 34a; Cardiff 2018-19 (decrease at 12 months)',
 710, '{wales}', 'migration 0022'),

('PM34B', 1, 'PM34b: care leavers in education, training or employment 24 months after leaving care', 'care_leavers',
 'percent', 'up', 'reported', '{}',
 '{year}', '{}', NULL, NULL, 5,
 'Reported by the council: as PM34a, 24 months after leaving care.',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 34b; Cardiff 2018-19 (increase at 24 months)',
 711, '{wales}', 'migration 0022'),

('PM35', 1, 'PM35: care leavers who have experienced homelessness during the year', 'care_leavers',
 'percent', 'down', 'reported', '{}',
 '{year}', '{}', NULL, NULL, 5,
 'Reported by the council: the records hold no episodes of homelessness (care_leaver accommodation is one code on one day).',
 'Welsh Government, code of practice in relation to measuring social services performance (2015), measure 35; Cardiff 2018-19 (care leavers)',
 712, '{wales}', 'migration 0022');
