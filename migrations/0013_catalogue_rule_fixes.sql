-- 0013_catalogue_rule_fixes.sql: rules that differed from the DfE's (or
-- from what INDICATORS.md asks), each corrected as a new version of its
-- indicator (the version before stays in indicator_version; values keep the
-- version they were computed with). docs/indicators.md, "Rules and
-- choices", says why.

INSERT INTO indicator_version (indicator_id, version, title, stage, unit, polarity, kind, params,
    period_types, targets, corporate_risk, budget_line, small_number_threshold, definition,
    source, sort_order, created_by)
SELECT i.indicator_id, i.version + 1, coalesce(n.title, i.title), i.stage, i.unit, i.polarity,
       n.kind, n.params::jsonb, i.period_types, i.targets, i.corporate_risk, i.budget_line,
       i.small_number_threshold, n.definition, coalesce(n.source, i.source), i.sort_order,
       'migration 0013'
FROM indicator i
JOIN (VALUES

('EH01', 'Children with Early Help open at period end', 'snapshot_count',
 '{"record": "early_help", "start": "start_date", "end": "end_date", "children": true}',
 'Children with an Early Help episode open on the period''s last day. Walsall counts cases and Norfolk families; an early_help record is a child''s and holds no family (or household) to count by, so children are counted.',
 NULL),

('EH03', 'Children waiting to be allocated at period end', 'snapshot_count',
 '{"record": "early_help_wait", "start": "start_date", "end": "end_date", "children": true}',
 'Children whose Early Help episode had started by the period''s last day and was then neither allocated nor ended (allocated_date and end_date both after it, or absent): an episode allocated later still counts in the periods in which it was waiting. Norfolk counts families; the records hold no family, so children are counted.',
 'Norfolk (families waiting, 139); derived fact early_help_wait'),

('CP02', NULL, 'count',
 '{"record": "s47_icpc", "date": "icpc_date"}',
 'Initial child protection conferences held in the period: the ICPC date of each section 47 enquiry (Section47 DateOfInitialCPC) or, where the return records it only on the referral (CINdetails DateOfInitialCPC), the referral''s, once per referral.',
 'Walsall 2017-18 out-turn (757); DfE CIN census; derived fact s47_icpc'),

('CP02P', NULL, 'proportion',
 '{"record": "s47_icpc", "date": "start_date", "numerator": [{"field": "icpc_date", "is_null": false}]}',
 'Section 47 enquiries started in the period that led to an initial conference (their own ICPC date, or the referral''s given to the referral''s latest enquiry before it), of all enquiries started in the period.',
 'Wolverhampton Q1 2017-18 (33.1% conversion of s47 to ICPC); derived fact s47_icpc'),

('CP03', NULL, 'timeliness',
 '{"record": "s47_icpc", "date": "icpc_date", "from": "start_date", "to": "icpc_date", "within": 15, "days": "working"}',
 'Initial conferences held in the period whose working days from the start of the section 47 enquiry that led to them (inclusive) to the conference (exclusive) are 15 or fewer, of all conferences held in the period; the ICPC date is the enquiry''s or, recorded only on the referral, the referral''s; a conference dated before its enquiry is left out.',
 'DfE CIN census; Working Together to Safeguard Children (15 working days); Walsall 2017-18 (88.0%); derived fact s47_icpc'),

('LA05', NULL, 'stability_long',
 '{"max_age": 16, "care_months": 30, "placement_months": 24, "same_carer": ["L", "T", "U"]}',
 'Children under 16 at period end, looked after then (not on short breaks) and continuously for at least 2.5 years, who were living with the same carer for at least 2 years: the 2-year clock restarts only at an episode that changed carer (reason for new episode other than L, T and U), or, placed for adoption, their adoptive placement together with the placement before it; of all those children under 16 looked after for at least 2.5 years.',
 NULL),

('LA06', NULL, 'stability_short',
 '{"min_placements": 3, "not_placements": ["T0", "T1", "T2", "T3", "T4"]}',
 'Children looked after at period end (not on short breaks) who had 3 or more placements in the 12 months to it: the placement they were in on the first day of the 12 months (whatever its episode''s reason), then each episode that began a placement (reason other than L); short breaks (V3, V4) and temporary placements (T0 to T4) are no placements, and the return from one is not a new placement. Of all children looked after at period end.',
 NULL),

('LA14', NULL, 'interval_proportion',
 '{"record": "la_episode", "start": "start_date", "end": "end_date", "where": [{"field": "legal_status", "not_in": ["V3", "V4"]}], "numerator": [{"field": "end_reason", "in": ["E4A", "E4B"]}, {"date": "end_date", "on_or_after": "period_start"}, {"date": "end_date", "on_or_before": "period_end"}], "children": true}',
 'Children who ceased to be looked after in the period returning home to live with parents or others with parental responsibility (reason ceased E4A or E4B), of all children looked after at any time in the period (short breaks left out), as INDICATORS.md gives it (Cardiff: 68 of 1,093).',
 NULL),

('AD05', NULL, 'snapshot_count',
 '{"record": "adoption_wait", "start": "start_date", "end": "end_date", "children": true}',
 'Children looked after at period end (not on short breaks) and not placed for adoption (A3 to A6) who are waiting to be adopted: under a placement order (E1, or D1 an old freeing order), or with a decision that they should be placed for adoption (placed_for_adoption DATE_PLACED on or before the day, not ceased by it) and no order yet.',
 'Wolverhampton Q1 2017-18 (56; children with an adoption decision and those with a placement order not yet placed); derived fact adoption_wait')

) AS n (indicator_id, title, kind, params, definition, source)
USING (indicator_id);
