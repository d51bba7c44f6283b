-- 0012_catalogue_derived_facts.sql: the indicators that were `reported`
-- although the journey records decide them become computed, over the derived
-- facts of server/engine/facts.c (periods of care, adoptions, plans with the
-- plan before, reviews and visits with the day they were due) and the date
-- comparisons of docs/indicators.md. Each is a new version of the
-- indicator: the version before stays in indicator_version (history), and
-- values keep the version they were computed with. The adoption measures
-- are also computed for three-year periods (3y:2020-21).

INSERT INTO indicator_version (indicator_id, version, title, stage, unit, polarity, kind, params,
    period_types, targets, corporate_risk, budget_line, small_number_threshold, definition,
    source, sort_order, created_by)
SELECT i.indicator_id, i.version + 1, coalesce(n.title, i.title), i.stage, i.unit, i.polarity,
       n.kind, n.params::jsonb, n.period_types::text[], i.targets, i.corporate_risk,
       i.budget_line, i.small_number_threshold, n.definition, n.source, i.sort_order,
       'migration 0012'
FROM indicator i
JOIN (VALUES

('CP05B', NULL, 'proportion',
 '{"record": "cp_plan_history", "date": "start_date", "numerator": [{"date": "start_date", "on_or_before": "previous_end", "plus": {"months": 12}}]}',
 '{month,quarter,year,rolling12,ytd}',
 'Plans starting in the period that started on or before the first anniversary of the end of the child''s latest earlier plan (the latest end among the plans that started before it), of all plans starting in the period. A plan whose child had no earlier plan that ended is not in the numerator.',
 'Welsh Government re-registrations within 12 months (Cardiff Q4 2018-19: 16 of 330); derived fact cp_plan_history'),

('CP06', NULL, 'proportion',
 '{"record": "cp_plan", "date": "end_date", "numerator": [{"date": "end_date", "on_or_after": "start_date", "plus": {"years": 2}}]}',
 '{month,quarter,year,rolling12,ytd}',
 'Plans ending in the period whose end date is on or after the second anniversary of their start (a plan that started on 29 February reaches it on 28 February), of all plans ending in the period.',
 'DfE CIN census (plans ceasing that lasted 2 years or more); INDICATORS.md counting rules; Walsall 2017-18 (2.2%)'),

('CP07', NULL, 'proportion',
 '{"record": "cp_review_due", "date": "review_date", "numerator": [{"date": "review_date", "on_or_before": "due_date"}]}',
 '{month,quarter,year,rolling12,ytd}',
 'Reviews of child protection plans held in the period on or before the day they were due: the first review of a plan 3 months after the plan started, each later review 6 months after the review before it (Working Together to Safeguard Children); of all reviews held in the period. A day due that is a weekend or bank holiday is not moved.',
 'Working Together to Safeguard Children (review conference within 3 months, then every 6 months); Walsall 2017-18 (96.2%); Cardiff (666 of 737); derived fact cp_review_due'),

('CP09', NULL, 'snapshot_proportion',
 '{"record": "cp_visit_spell", "start": "start_date", "end": "end_date", "children": true, "numerator": [{"date": "period_end", "on_or_before": "last_seen", "plus": {"working_days": 20}}]}',
 '{month,quarter,year,rolling12,ytd}',
 'Children on a child protection plan on the period''s last day whose latest visit since the plan started (cp_visit) was at most 20 working days before that day; of all children on a plan then. A child not seen since the plan started is not in the numerator.',
 'Norfolk vital signs (January 2019); derived fact cp_visit_spell'),

('CP09S', NULL, 'snapshot_proportion',
 '{"record": "cp_visit_spell", "start": "start_date", "end": "end_date", "children": true, "numerator": [{"date": "period_end", "on_or_before": "last_seen", "plus": {"working_days": 10}}]}',
 '{month,quarter,year,rolling12,ytd}',
 'As CP09, seen at most 10 working days before the period''s last day (Norfolk''s stretch measure).',
 'Norfolk, January 2019 (stretch measure of 10 working days); derived fact cp_visit_spell'),

('LA07', NULL, 'proportion',
 '{"record": "la_review_due", "date": "review_date", "where": [{"field": "care_start", "is_null": false}], "numerator": [{"date": "review_date", "on_or_before": "due_date"}]}',
 '{month,quarter,year,rolling12,ytd}',
 'Looked-after reviews held in the period on or before the day they were due, of all reviews held in the period within a period of care: the first review of a period of care within 20 working days of its start, the second within 3 months of the first, each later one within 6 months of the one before (Care Planning, Placement and Case Review (England) Regulations 2010, regulation 33).',
 'Care Planning, Placement and Case Review (England) Regulations 2010, reg. 33; Wolverhampton (81%); derived fact la_review_due'),

('LA09', NULL, 'proportion',
 '{"record": "la_visit_due", "date": "visit_date", "where": [{"field": "placement_start", "is_null": false}], "numerator": [{"date": "visit_date", "on_or_before": "due_date"}]}',
 '{month,quarter,year,rolling12,ytd}',
 'Statutory visits made in the period on or before the day they were due, of all visits made in the period to children in a placement: the first visit in a placement within 7 days of its start, each later one within 6 weeks (42 days) of the visit before in the same placement (Care Planning, Placement and Case Review (England) Regulations 2010, regulation 28).',
 'Care Planning, Placement and Case Review (England) Regulations 2010, reg. 28; Wolverhampton (90%); derived fact la_visit_due'),

('AD01', NULL, 'average_duration',
 '{"record": "adoption_journey", "date": "adopted_date", "from": "care_start", "to": "placed_date"}',
 '{month,quarter,year,rolling12,ytd,3y}',
 'A1. Children adopted in the period (an episode ending in it with reason E11 or E12): for each, the days from the start of that episode''s period of care (the DECOM of its first episode; short breaks left out, episodes chained while each starts on the day the one before ended) to the DECOM of the period of care''s first episode placed for adoption (A3 to A6). Numerator the sum of the days, denominator the children, value the average. A child with no such placement in that period of care is left out of both.',
 'DfE adoption scorecard A1; INDICATORS.md counting rules; Wolverhampton Q1 2017-18 (603 days, target 426); derived fact adoption_journey'),

('AD02', NULL, 'average_duration',
 '{"record": "adoption_journey", "date": "adopted_date", "from": "order_date", "to": "matched_date"}',
 '{month,quarter,year,rolling12,ytd,3y}',
 'A2. Children adopted in the period: the days from the placement order (the first episode of the period of care with legal status E1; else the DATE_PLACED of placed_for_adoption within it) to the match with adopters (AD1 DATE_MATCH), 0 where the match came first; children without both are left out.',
 'DfE adoption scorecard A2; INDICATORS.md counting rules; Wolverhampton Q1 2017-18 (199 days, target 121); derived fact adoption_journey'),

('AD03', 'A3: children who waited less than 14 months from entering care to moving in with their adoptive family', 'proportion',
 '{"record": "adoption_journey", "date": "adopted_date", "where": [{"field": "placed_date", "is_null": false}], "numerator": [{"date": "placed_date", "before": "care_start", "plus": {"months": 14}}]}',
 '{month,quarter,year,rolling12,ytd,3y}',
 'A3. Of A1''s children (adopted in the period, with a placement for adoption in the period of care), those placed for adoption before 14 months from the start of their period of care had passed (the DfE threshold since 2013-16; Wolverhampton still prints 16).',
 'DfE adoption scorecard A3; INDICATORS.md counting rules; derived fact adoption_journey'),

('AD04', NULL, 'average_duration',
 '{"record": "adoption_journey", "date": "adopted_date", "from": "care_start", "to": "moved_in_date"}',
 '{month,quarter,year,rolling12,ytd,3y}',
 'A10. As A1, except for a child adopted by their foster carers (AD1 FOSTER_CARE = 1): the days run to the start of the placement with those carers (the first adoptive placement''s carer spell: back to the latest episode that changed carer, reasons other than L, T and U).',
 'DfE adoption scorecard A10; INDICATORS.md counting rules; Wolverhampton Q1 2017-18 (445 days, target 426); derived fact adoption_journey')

) AS n (indicator_id, title, kind, params, period_types, definition, source)
USING (indicator_id);
