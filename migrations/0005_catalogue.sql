-- 0005_catalogue.sql: the indicator catalogue, version 1 of every indicator
-- that councils expect on day one (the ids of ../shared/domain/INDICATORS.md,
-- with suffixed ids for the second figure of a combined row). Each params
-- object is in the language of docs/indicators.md ("Kinds and their
-- parameters"); the rules and the choices behind them are in
-- docs/indicators.md, "The catalogue" and "Rules and choices". An indicator
-- whose figure the journey records do not carry is of kind `reported`: the
-- council loads it as a reported_figure record.
--
-- sort_order: the stage's hundred (Early Help 100, front door 200, assessment
-- 300, child protection 400, looked after 500, adoption 600, care leavers
-- 700, workforce 800, youth justice 900, finance 1000), then the order of
-- INDICATORS.md, a variant straight after its indicator.

INSERT INTO indicator_version (indicator_id, version, title, stage, unit, polarity, kind, params,
    period_types, targets, corporate_risk, budget_line, small_number_threshold, definition,
    source, sort_order) VALUES

-- ---------------------------------------------------------------------------
-- Early Help

('EH01', 1, 'Early Help cases open at period end', 'early_help', 'count', 'none',
 'snapshot_count',
 '{"record": "early_help", "start": "start_date", "end": "end_date", "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children with an Early Help episode open on the period''s last day: started on or before it, and not ended or ended after it.',
 'Walsall 2017-18 out-turn (1,072 cases open at 31 March)', 101),

('EH02', 1, 'Children with Early Help open at any time in the period', 'early_help', 'count', 'none',
 'interval_count',
 '{"record": "early_help", "start": "start_date", "end": "end_date", "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children with an Early Help episode open on at least one day of the period. Wolverhampton reports this as a rate per 10,000 aged 0-17 (574, 3,115 children); the rate kind rates events or cases open on the last day, not cases open during the period, so the number is given here.',
 'Wolverhampton Q1 2017-18 (Early Help assessments open in the year)', 102),

('EH03', 1, 'Families waiting to be allocated at period end', 'early_help', 'count', 'down',
 'snapshot_count',
 '{"record": "early_help", "start": "start_date", "end": "end_date", "where": [{"field": "allocated_date", "is_null": true}], "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children whose Early Help episode is open on the period''s last day and has no worker allocated. An episode allocated later leaves the count of every period, also the earlier ones in which it was waiting: the figure for a past period is the one that was true then only while nobody on it has been allocated since.',
 'Norfolk, January 2019 (139 families waiting at the end of November 2018)', 103),

('EH04', 1, 'New Early Help cases that are re-referrals within 12 months', 'early_help', 'percent', 'down',
 'repeat_within',
 '{"record": "early_help", "date": "start_date", "months": 12}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Early Help episodes starting in the period whose child had another Early Help episode start in the 12 months before, of all Early Help episodes starting in the period.',
 'Norfolk, January 2019 (5% of new cases were re-referrals)', 104),

('EH05', 1, 'Early Help cases stepped up to social care', 'early_help', 'count', 'none',
 'count',
 '{"record": "early_help", "date": "end_date", "where": [{"field": "social_care_step", "in": ["UP"]}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Early Help episodes that ended in the period by stepping up to children''s social care (social_care_step UP).',
 'Wolverhampton Q1 2017-18 (cases stepped up and down to/from social care)', 105),

('EH05D', 1, 'Early Help cases stepped down from social care', 'early_help', 'count', 'none',
 'count',
 '{"record": "early_help", "date": "start_date", "where": [{"field": "social_care_step", "in": ["DOWN"]}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Early Help episodes that started in the period by stepping down from children''s social care (social_care_step DOWN).',
 'Wolverhampton Q1 2017-18 (cases stepped up and down to/from social care)', 106),

-- ---------------------------------------------------------------------------
-- Front door (MASH and intake)

('FD01', 1, 'Contacts received', 'front_door', 'count', 'none',
 'count',
 '{"record": "contact", "date": "contact_date"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Contacts received at the front door in the period.',
 'Walsall 2017-18 out-turn (12,426 initial contacts)', 201),

('FD02', 1, 'Contacts that led to a referral', 'front_door', 'percent', 'none',
 'proportion',
 '{"record": "contact", "date": "contact_date", "numerator": [{"field": "outcome", "equals": "Referral to children''s social care"}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Contacts received in the period whose outcome is "Referral to children''s social care", of all contacts received in the period. The outcome is in the council''s words: a council that writes it otherwise adds a version with its own wording.',
 'Walsall 2017-18 out-turn (42% of initial contacts led to a referral)', 202),

('FD03', 1, 'Referrals', 'front_door', 'count', 'none',
 'count',
 '{"record": "referral", "date": "referral_date"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Referrals to children''s social care in the period (CIN episodes by CINreferralDate), NFA referrals included as the CIN census counts them.',
 'Walsall 2017-18 out-turn (5,229 referrals); DfE CIN census', 203),

('FD03R', 1, 'Referrals per 10,000 under-18s', 'front_door', 'rate', 'none',
 'rate',
 '{"of": "events", "record": "referral", "date": "referral_date"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Referrals in the period per 10,000 of the council''s population under 18 (the latest estimate for a year up to the period''s end).',
 'Norfolk, January 2019 (rates per 10,000 under-18s); DfE CIN census', 204),

('FD04', 1, 'Referrals by source', 'front_door', 'percent', 'none',
 'breakdown',
 '{"record": "referral", "date": "referral_date", "by": "referral_source"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Referrals in the period by CIN census referral source (6 police, 2A schools, ...), each as a share of all referrals in the period.',
 'Walsall 2017-18 out-turn (police 28.5%, education 24.8%)', 205),

('FD05', 1, 'Re-referrals within 12 months', 'front_door', 'percent', 'down',
 'repeat_within',
 '{"record": "referral", "date": "referral_date", "months": 12}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Referrals in the period whose child had another referral in the 12 months before it, of all referrals in the period (the DfE re-referral measure).',
 'DfE CIN census; ../shared/domain/INDICATORS.md counting rules', 206),

('FD06', 1, 'Children with more than one contact in the period', 'front_door', 'count', 'down',
 'children_with_events',
 '{"record": "contact", "date": "contact_date", "min": 2}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children with two or more contacts received in the period.',
 'Wolverhampton Q1 2017-18 (number of repeat enquiries)', 207),

('FD07', 1, 'MASH decisions made within one working day', 'front_door', 'percent', 'up',
 'timeliness',
 '{"record": "contact", "date": "decision_date", "from": "contact_date", "to": "decision_date", "within": 1, "days": "working"}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SAFEGUARDING', NULL, 5,
 'Front door decisions made in the period no more than one working day after the contact was received (working days from the contact, inclusive, to the decision, exclusive: a decision on the next working day is in time), of all decisions made in the period.',
 'Wolverhampton Q1 2017-18 (44.8% of MASH cases RAG rated within required timescales); the one working day is csperf''s choice', 208),

-- ---------------------------------------------------------------------------
-- Assessment and children in need

('CN01', 1, 'Assessments completed', 'assessment', 'count', 'none',
 'count',
 '{"record": "assessment", "date": "authorisation_date"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children and families assessments authorised (completed) in the period.',
 'Walsall 2017-18 out-turn (5,071 assessments); DfE CIN census', 301),

('CN02', 1, 'Assessments completed within 45 working days', 'assessment', 'percent', 'up',
 'timeliness',
 '{"record": "assessment", "date": "authorisation_date", "from": "start_date", "to": "authorisation_date", "within": 45, "days": "working"}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SAFEGUARDING', NULL, 5,
 'Assessments authorised in the period whose working days from the assessment''s start (AssessmentActualStartDate, inclusive) to its authorisation (exclusive) are 45 or fewer, of all assessments authorised in the period.',
 'DfE CIN census; Working Together to Safeguard Children (45 working days); Walsall 2017-18 (90.2%)', 302),

('CN03', 1, 'Children in need at period end', 'assessment', 'count', 'none',
 'snapshot_count',
 '{"record": "referral", "start": "referral_date", "end": "closure_date", "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children with a CIN episode open on the period''s last day (referred on or before it, not closed or closed after it), children on a CP plan and looked after included.',
 'Walsall 2017-18 out-turn (2,716 at 31 March); DfE CIN census', 303),

('CN03R', 1, 'Children in need per 10,000 under-18s', 'assessment', 'rate', 'none',
 'rate',
 '{"of": "open", "record": "referral", "start": "referral_date", "end": "closure_date", "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children in need at period end (CN03) per 10,000 of the population under 18.',
 'DfE CIN census', 304),

('CN04', 1, 'Factors identified at assessment', 'assessment', 'percent', 'none',
 'breakdown',
 '{"record": "assessment", "date": "authorisation_date", "by": "factors"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Assessments authorised in the period by each factor identified at their end (an assessment counts once for each of its factors), as a share of all assessments authorised in the period.',
 'Walsall 2017-18 out-turn (abuse or neglect 26.4%, domestic violence 18.8%); DfE CIN census', 305),

('CN05', 1, 'Children in need with an up-to-date plan', 'assessment', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: the journey records hold a CIN plan''s start and end, not its reviews, so whether it is up to date is not known.',
 'Norfolk, January 2019 (vital sign, Red)', 306),

('CN06', 1, 'Children seen within 5 working days of referral', 'assessment', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: the journey records do not hold the date a child was seen.',
 'Wolverhampton Q1 2017-18 (48%, 90% where recorded)', 307),

('CN07', 1, 'Unallocated cases at period end', 'assessment', 'count', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: the journey records do not say who holds a CIN case.',
 'Wolverhampton Q1 2017-18 (6 unallocated cases in area and LAC teams)', 308),

-- ---------------------------------------------------------------------------
-- Child protection

('CP01', 1, 'Section 47 enquiries started', 'child_protection', 'count', 'none',
 'count',
 '{"record": "s47", "date": "start_date"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Section 47 enquiries started (S47ActualStartDate, the strategy discussion) in the period.',
 'Walsall 2017-18 out-turn (1,880); DfE CIN census', 401),

('CP02', 1, 'Initial child protection conferences', 'child_protection', 'count', 'none',
 'count',
 '{"record": "s47", "date": "icpc_date"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Initial child protection conferences held in the period, as the section 47 enquiries record them (Section47 DateOfInitialCPC).',
 'Walsall 2017-18 out-turn (757); DfE CIN census', 402),

('CP02P', 1, 'Section 47 enquiries that led to an initial conference', 'child_protection', 'percent', 'none',
 'proportion',
 '{"record": "s47", "date": "start_date", "numerator": [{"field": "icpc_date", "is_null": false}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Section 47 enquiries started in the period that have an initial conference date (held then or since), of all enquiries started in the period. Enquiries of the last weeks whose conference is still to come count as not leading to one until it is held.',
 'Wolverhampton Q1 2017-18 (33.1% conversion of s47 to ICPC)', 403),

('CP03', 1, 'Initial conferences within 15 working days of the strategy discussion', 'child_protection', 'percent', 'up',
 'timeliness',
 '{"record": "s47", "date": "icpc_date", "from": "start_date", "to": "icpc_date", "within": 15, "days": "working"}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SAFEGUARDING', NULL, 5,
 'Initial conferences held in the period whose working days from the start of their section 47 enquiry (the strategy discussion, inclusive) to the conference (exclusive) are 15 or fewer, of all conferences held in the period; a conference dated before its enquiry is left out.',
 'DfE CIN census; Working Together to Safeguard Children (15 working days); Walsall 2017-18 (88.0%)', 404),

('CP04', 1, 'Children on a child protection plan at period end', 'child_protection', 'count', 'none',
 'snapshot_count',
 '{"record": "cp_plan", "start": "start_date", "end": "end_date", "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children with a child protection plan open on the period''s last day: a plan that ends on that day and one that starts on it are not both counted, the child is counted once.',
 'Walsall 2017-18 out-turn (408 at 31 March); DfE CIN census', 405),

('CP04R', 1, 'Children on a child protection plan per 10,000 under-18s', 'child_protection', 'rate', 'none',
 'rate',
 '{"of": "open", "record": "cp_plan", "start": "start_date", "end": "end_date", "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children on a plan at period end (CP04) per 10,000 of the population under 18.',
 'Norfolk, January 2019 (39 per 10,000; statistical neighbours 45, England 45.3)', 406),

('CP05', 1, 'Child protection plans that are a second or subsequent plan', 'child_protection', 'percent', 'down',
 'second_subsequent',
 '{"record": "cp_plan", "date": "start_date", "prior_field": "previous_plans"}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SAFEGUARDING', NULL, 5,
 'Plans starting in the period whose child had an earlier plan, however long ago: an earlier plan in the council''s records, or previous plans recorded on the plan (NumberOfPreviousCPP above 0, which also counts plans in other councils); of all plans starting in the period.',
 'DfE CIN census (children who became the subject of a plan for a second or subsequent time); Walsall 2017-18 (24.5%)', 407),

('CP05B', 1, 'Child protection plans starting within 12 months of the last plan ending', 'child_protection', 'percent', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council for now: plans starting in the period within 12 months of the end of the child''s previous plan, of all plans starting. The records carry it, but no kind measures from an earlier record''s end (repeat_within measures from its start).',
 'Cardiff Q4 2018-19 (16 of the 330 children registered in the year had been on the register in the previous 12 months)', 408),

('CP06', 1, 'Child protection plans ended that had lasted 2 years or more', 'child_protection', 'percent', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council for now: plans ending in the period whose end is on or after the second anniversary of their start, of all plans ending in the period. The records carry it, but no condition compares two dates of a record (a duration at least some months).',
 'DfE CIN census; Walsall 2017-18 (2.2%)', 409),

('CP07', 1, 'Child protection reviews held within timescale', 'child_protection', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: a review is due 3 months after the plan starts and every 6 months after the previous review; no kind compares a review with the review before it.',
 'Walsall 2017-18 (96.2%); Cardiff Q4 2018-19 (90.4%, 666 of 737)', 410),

('CP08', 1, 'Plans starting, by initial category of abuse', 'child_protection', 'percent', 'none',
 'breakdown',
 '{"record": "cp_plan", "date": "start_date", "by": "initial_category"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Plans starting in the period by initial category of abuse (NEG, PHY, SAB, EMO, MUL), each as a share of all plans starting.',
 'Walsall 2017-18 out-turn (neglect 60.0%, emotional 27.0%); DfE CIN census', 411),

('CP08L', 1, 'Plans open at period end, by latest category of abuse', 'child_protection', 'percent', 'none',
 'snapshot_breakdown',
 '{"record": "cp_plan", "start": "start_date", "end": "end_date", "by": "latest_category"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Plans open on the period''s last day by their latest category of abuse, each as a share of all plans open then.',
 'DfE CIN census (children on a plan at 31 March by latest category of abuse)', 412),

('CP09', 1, 'Children on a plan seen within 20 working days', 'child_protection', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SAFEGUARDING', NULL, 5,
 'Reported by the council: children on a plan at period end whose last visit was no more than 20 working days before; no kind looks back from a snapshot to the latest visit.',
 'Norfolk, January 2019 (vital sign)', 413),

('CP09S', 1, 'Children on a plan seen within 10 working days (stretch)', 'child_protection', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: as CP09, with Norfolk''s stretch measure of 10 working days.',
 'Norfolk, January 2019 (stretch measure of 10 working days)', 414),

('CP10', 1, 'Average days on a plan, plans ended', 'child_protection', 'days', 'none',
 'average_duration',
 '{"record": "cp_plan", "date": "end_date", "from": "start_date", "to": "end_date"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Plans ending in the period: their total days from start to end, divided by their number.',
 'Cardiff Q4 2018-19 (233 days for the 378 children deregistered in the year)', 415),

-- ---------------------------------------------------------------------------
-- Looked after

('LA01', 1, 'Children looked after at period end', 'looked_after', 'count', 'none',
 'snapshot_count',
 '{"record": "la_episode", "start": "start_date", "end": "end_date", "where": [{"field": "legal_status", "not_in": ["V3", "V4"]}], "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children with an episode of care open on the period''s last day, not counting those looked after under an agreed series of short breaks (legal status V3 or V4). A child who ceased on the last day is not counted.',
 'DfE SSDA903 (children looked after at 31 March); Walsall 2017-18 (636)', 501),

('LA01R', 1, 'Children looked after per 10,000 under-18s', 'looked_after', 'rate', 'none',
 'rate',
 '{"of": "open", "record": "la_episode", "start": "start_date", "end": "end_date", "where": [{"field": "legal_status", "not_in": ["V3", "V4"]}], "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children looked after at period end (LA01) per 10,000 of the population under 18.',
 'DfE SSDA903; Norfolk, January 2019 (70.6 per 10,000; statistical neighbours 56.2, England 64.0)', 502),

('LA02S', 1, 'Children who started to be looked after', 'looked_after', 'count', 'none',
 'count',
 '{"record": "la_episode", "date": "start_date", "where": [{"field": "new_episode_reason", "in": ["S"]}, {"field": "legal_status", "not_in": ["V3", "V4"]}], "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children with an episode starting a period of care in the period (reason for new episode S), short breaks (V3, V4) left out; a child who started twice in the period is counted once.',
 'DfE SSDA903 (children who started to be looked after); Cardiff Q4 2018-19 (266)', 503),

('LA02E', 1, 'Children who ceased to be looked after', 'looked_after', 'count', 'none',
 'count',
 '{"record": "la_episode", "date": "end_date", "where": [{"field": "end_reason", "is_null": false}, {"field": "end_reason", "not_in": ["X1"]}, {"field": "legal_status", "not_in": ["V3", "V4"]}], "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children with an episode ending a period of care in the period (reason episode ceased other than X1, which means another episode follows), short breaks (V3, V4) left out; a child who ceased twice in the period is counted once.',
 'DfE SSDA903 (children who ceased to be looked after); Cardiff Q4 2018-19 (197)', 504),

('LA03', 1, 'Children looked after, by legal status', 'looked_after', 'percent', 'none',
 'snapshot_breakdown',
 '{"record": "la_episode", "start": "start_date", "end": "end_date", "where": [{"field": "legal_status", "not_in": ["V3", "V4"]}], "by": "legal_status", "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children looked after at period end (as LA01) by the legal status of their open episode (C1 full care order, C2 interim care order, E1 placement order, ...), each as a share of all.',
 'DfE SSDA903; Walsall 2017-18 (full care order 71.2%, interim 15.1%, placement order 7.1%)', 505),

('LA04', 1, 'Children looked after, by placement type', 'looked_after', 'percent', 'none',
 'snapshot_breakdown',
 '{"record": "la_episode", "start": "start_date", "end": "end_date", "where": [{"field": "legal_status", "not_in": ["V3", "V4"]}], "by": "placement_type", "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children looked after at period end (as LA01) by the placement type of their open episode (U1-U6 foster placements, K2 children''s homes, P1 placed with parents, A3-A6 placed for adoption, ...), each as a share of all.',
 'DfE SSDA903; Walsall 2017-18 (foster 58.2%, family and friends 19.2%, placed with parents 9.1%)', 506),

('LA05', 1, 'Long-term placement stability', 'looked_after', 'percent', 'up',
 'stability_long',
 '{"max_age": 16, "care_months": 30, "placement_months": 24}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children under 16 at period end, looked after then (not on short breaks) and continuously for at least 2.5 years, who were living in the same placement for at least 2 years, or are placed for adoption and their adoptive placement together with their previous placement last at least 2 years; of all those children under 16 looked after for at least 2.5 years.',
 'DfE SSDA903 (long-term stability of placements); Walsall 2017-18 (about 65%)', 507),

('LA06', 1, 'Short-term placement stability: 3 or more placements in 12 months', 'looked_after', 'percent', 'down',
 'stability_short',
 '{"min_placements": 3}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SUFFICIENCY', NULL, 5,
 'Children looked after at period end (not on short breaks) who had 3 or more placements in the 12 months to it, the placement they were in at the start of the 12 months included and a change of legal status alone (reason for new episode L) not a placement; of all children looked after at period end.',
 'DfE SSDA903 (short-term stability of placements); Wolverhampton Q1 2017-18', 508),

('LA07', 1, 'Looked-after reviews held on time', 'looked_after', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: the first review is due within 20 working days of coming into care, the second 3 months after it and then every 6 months; no kind compares a review with the one before it.',
 'Wolverhampton Q1 2017-18 (81%)', 509),

('LA08', 1, 'Looked-after reviews where the child shared their views', 'looked_after', 'percent', 'up',
 'proportion',
 '{"record": "la_review", "date": "review_date", "where": [{"field": "participation", "in": ["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"]}], "numerator": [{"field": "participation", "in": ["PN1", "PN2", "PN3", "PN5", "PN6"]}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reviews held in the period at which the child spoke, had an advocate speak, conveyed their views symbolically or by another medium (participation PN1, PN2, PN3, PN5, PN6), of all reviews held in the period for children aged 4 or more (PN0, a child under 4, left out).',
 'DfE SSDA903 (participation in reviews); Walsall 2017-18 (100% shared views)', 510),

('LA08A', 1, 'Looked-after reviews the child attended', 'looked_after', 'percent', 'up',
 'proportion',
 '{"record": "la_review", "date": "review_date", "where": [{"field": "participation", "in": ["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"]}], "numerator": [{"field": "participation", "in": ["PN1", "PN2", "PN3", "PN4"]}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reviews held in the period that the child attended (participation PN1 to PN4), of all reviews held in the period for children aged 4 or more.',
 'DfE SSDA903; Walsall 2017-18 (49.8% attended)', 511),

('LA09', 1, 'Statutory visits on time', 'looked_after', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: the visits are recorded, but when each was due depends on the placement and the child''s plan, which the records do not hold.',
 'Wolverhampton Q1 2017-18 (90%)', 512),

('LA10', 1, 'Health assessment up to date', 'looked_after', 'percent', 'up',
 'proportion',
 '{"record": "health", "date": "as_at_date", "numerator": [{"field": "health_check", "equals": "true"}]}',
 '{year}', '{}', NULL, NULL, 5,
 'Children looked after continuously for 12 months at 31 March (those with an SSDA903 OC2 record for the year) whose health assessment was up to date (HEALTH_CHECK), of all of them. A figure for the financial year only: OC2 describes the year at 31 March.',
 'DfE SSDA903 OC2; Wolverhampton Q1 2017-18 (89%)', 513),

('LA10I', 1, 'Initial health assessment within 20 working days of entering care', 'looked_after', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: the journey records do not hold the initial health assessment''s date.',
 'Norfolk, January 2019', 514),

('LA11', 1, 'Personal education plan up to date', 'looked_after', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: the journey records do not hold personal education plans.',
 'Wolverhampton Q1 2017-18 (90%)', 515),

('LA12', 1, 'Children looked after placed in in-house foster care', 'looked_after', 'percent', 'up',
 'snapshot_proportion',
 '{"record": "la_episode", "start": "start_date", "end": "end_date", "where": [{"field": "legal_status", "not_in": ["V3", "V4"]}], "numerator": [{"field": "placement_type", "in": ["U1", "U2", "U3", "U4", "U5", "U6"]}, {"field": "placement_provider", "in": ["PR1"]}], "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SUFFICIENCY', NULL, 5,
 'Children looked after at period end (as LA01) in a foster placement (U1 to U6, family and friends included) that the council provides itself (placement provider PR1), of all children looked after at period end.',
 'Wolverhampton Q1 2017-18 (29%, 182)', 516),

('LA13', 1, 'Children placed inside the council''s boundary', 'looked_after', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: the records hold partial placement postcodes but not the council''s boundary.',
 'Cardiff Q4 2018-19 (56.6%, 76.5% with neighbouring councils)', 517),

('LA14', 1, 'Children ceasing care who returned home', 'looked_after', 'percent', 'none',
 'proportion',
 '{"record": "la_episode", "date": "end_date", "where": [{"field": "end_reason", "is_null": false}, {"field": "end_reason", "not_in": ["X1"]}, {"field": "legal_status", "not_in": ["V3", "V4"]}], "numerator": [{"field": "end_reason", "in": ["E4A", "E4B"]}], "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children who ceased to be looked after in the period (as LA02E) and returned home to live with their parents or others with parental responsibility (reason ceased E4A or E4B), of all who ceased. Cardiff divides by all children looked after during the year; this is the English form, the share of those who ceased.',
 'DfE SSDA903 (reason episode ceased); Cardiff Q4 2018-19 (68 of 1,093)', 518),

-- ---------------------------------------------------------------------------
-- Adoption (the national A-measures)

('AD01', 1, 'A1: average days from entering care to moving in with the adoptive family', 'adoption', 'days', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council for now: for children adopted in the period, days from the start of their period of care to the start of their adoptive placement. The records carry both, in different episodes; no kind measures between two records.',
 'DfE adoption scorecard A1; Wolverhampton Q1 2017-18 (603 days, target 426)', 601),

('AD02', 1, 'A2: average days from placement order to match with adopters', 'adoption', 'days', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council for now: for children adopted in the period, days from the court''s authority to place (the placement order, an episode with legal status E1) to the match (AD1 DATE_MATCH). The two are in different records; AD02D is the nearest the kinds can do.',
 'DfE adoption scorecard A2; Wolverhampton Q1 2017-18 (199 days, target 121)', 602),

('AD02D', 1, 'Average days from the decision to place for adoption to the match', 'adoption', 'days', 'down',
 'average_duration',
 '{"record": "adoption", "date": "match_date", "from": "decision_date", "to": "match_date"}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children matched with adopters in the period: their total days from the decision that they should be placed for adoption (AD1 DATE_INT) to the match (DATE_MATCH), divided by their number. Longer than A2, which starts at the later placement order.',
 'DfE SSDA903 AD1', 603),

('AD03', 1, 'A3: children who waited under 16 months from entering care to moving in with their adoptive family', 'adoption', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council for now: as A1, the share of children adopted in the period for whom it was under 16 months.',
 'DfE adoption scorecard A3; Wolverhampton Q1 2017-18 (70%)', 604),

('AD04', 1, 'A10: average days from entering care to moving in with the adoptive family, foster-carer adoptions from moving in with the carer', 'adoption', 'days', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council for now: as A1, but for a child adopted by their foster carer the move is the day they moved in with that carer.',
 'DfE adoption scorecard A10; Wolverhampton Q1 2017-18 (445 days, target 426)', 605),

('AD05', 1, 'Children waiting to be adopted at period end', 'adoption', 'count', 'down',
 'snapshot_count',
 '{"record": "la_episode", "start": "start_date", "end": "end_date", "where": [{"field": "legal_status", "in": ["E1", "D1"]}, {"field": "placement_type", "not_in": ["A3", "A4", "A5", "A6"]}], "children": true}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Children looked after at period end under a placement order (legal status E1, or D1 for an old freeing order) who are not yet placed for adoption (placement not A3 to A6). Children with only the decision that they should be placed, and no order yet, are not counted.',
 'Wolverhampton Q1 2017-18 (56; children with an adoption decision and those with a placement order not yet placed)', 606),

-- ---------------------------------------------------------------------------
-- Care leavers

('CL01', 1, 'Care leavers aged 19-21 in education, employment or training', 'care_leavers', 'percent', 'up',
 'proportion',
 '{"record": "care_leaver", "date": "as_at_date", "where": [{"age": {"min": 19, "max": 21}}, {"field": "in_touch", "not_in": ["DIED"]}], "numerator": [{"field": "activity", "in": ["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5"]}]}',
 '{year}', '{}', NULL, NULL, 5,
 'Care leavers aged 19 to 21 on 31 March (OC3, the birthday in the year) in higher or other education, training or employment, full or part time (activity F1, P1, F2, P2, F4, P4, F5, P5), of all those care leavers who have not died; those the council is not in touch with count as not known to be in education, employment or training.',
 'DfE SSDA903 OC3; Walsall 2017-18 (61.3%)', 701),

('CL02', 1, 'Care leavers aged 19-21 in suitable accommodation', 'care_leavers', 'percent', 'up',
 'proportion',
 '{"record": "care_leaver", "date": "as_at_date", "where": [{"age": {"min": 19, "max": 21}}, {"field": "in_touch", "not_in": ["DIED"]}], "numerator": [{"field": "accommodation", "in": ["B1", "C1", "D1", "E1", "G1", "H1", "K1", "R1", "T1", "U1", "V1", "W1", "Y1", "Z1"]}]}',
 '{year}', '{}', NULL, NULL, 5,
 'Care leavers aged 19 to 21 on 31 March in accommodation recorded as suitable (OC3 ACCOM codes ending in 1), of all those care leavers who have not died.',
 'DfE SSDA903 OC3; Walsall 2017-18 (92.6%)', 702),

('CL03', 1, 'Care leavers the council is in touch with', 'care_leavers', 'percent', 'up',
 'proportion',
 '{"record": "care_leaver", "date": "as_at_date", "where": [{"field": "in_touch", "not_in": ["DIED"]}], "numerator": [{"field": "in_touch", "in": ["YES"]}]}',
 '{year}', '{}', NULL, NULL, 5,
 'Care leavers with an OC3 record for the year (aged 17 to 21) with whom the council was in touch around their birthday (IN_TOUCH YES), of all of them who have not died. The OC3 return says whether the council was in touch, not when: Norfolk''s "in the last 2 months" needs the date of the last contact, which the records do not hold.',
 'DfE SSDA903 OC3; Norfolk, January 2019 (75% in touch in the last 2 months)', 703),

('CL04', 1, 'Care leavers with a pathway plan', 'care_leavers', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council: the journey records do not hold pathway plans.',
 'Wolverhampton Q1 2017-18; Norfolk, January 2019', 704),

-- ---------------------------------------------------------------------------
-- Workforce (reported figures)

('WF01', 1, 'Agency social workers', 'workforce', 'percent', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-WORKFORCE', NULL, 0,
 'Reported by the council: agency social workers as a share of all social workers.',
 'Wolverhampton Q1 2017-18 (18.9%)', 801),

('WF02', 1, 'Social worker vacancy rate', 'workforce', 'percent', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-WORKFORCE', NULL, 0,
 'Reported by the council: vacant social worker posts as a share of all posts.',
 'Wolverhampton Q1 2017-18 (22.4%); Cardiff Q4 2018-19 (59.5 of 178 posts)', 802),

('WF03', 1, 'Staff turnover', 'workforce', 'percent', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'Reported by the council: social workers who left in the period as a share of the average number in post.',
 'Wolverhampton Q1 2017-18 (17.5%)', 803),

('WF04', 1, 'Absence rate', 'workforce', 'percent', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'Reported by the council: working days lost to absence as a share of working days available.',
 'Wolverhampton Q1 2017-18 (6.0%)', 804),

('WF05', 1, 'Average caseload', 'workforce', 'number', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-WORKFORCE', NULL, 0,
 'Reported by the council: children''s cases held per case-holding social worker.',
 'Wolverhampton Q1 2017-18 (21.0); Cardiff Q4 2018-19 (20.2)', 805),

('WF05P', 1, 'Social workers over the caseload policy', 'workforce', 'percent', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'Reported by the council: social workers whose caseload is above the council''s caseload policy, as a share of case-holding social workers.',
 'Norfolk, January 2019 (32%)', 806),

-- ---------------------------------------------------------------------------
-- Youth justice (reported figures)

('YJ01', 1, 'First-time entrants to the youth justice system', 'youth_justice', 'count', 'down',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council (from the youth justice service): young people receiving their first reprimand, warning, caution or conviction in the period.',
 'Wolverhampton Q1 2017-18 (126 in 2016-17); Cardiff Q4 2018-19 (18 in Q4)', 901),

('YJ02', 1, 'Young people in the youth justice system in education, training or employment', 'youth_justice', 'percent', 'up',
 'reported', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 5,
 'Reported by the council (from the youth justice service).',
 'Wolverhampton Q1 2017-18 (57% in 2016-17)', 902),

-- ---------------------------------------------------------------------------
-- Finance, linked to placements. placement_cost records say who provides a
-- placement (PLACE_PROVIDER), not its type, so spend is split by provider:
-- in-house (PR1), independent (PR4 private, PR5 voluntary) and other (PR0
-- parents, PR2 other councils, PR3 other public bodies). The budget lines
-- are named after those three groups.

('FN01', 1, 'Placement spend', 'finance', 'pounds', 'none',
 'cost_sum', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'What placements cost in the period: for each cost line, its weekly cost less the health and education contributions, divided by 7, for each day of the period it covers.',
 'Cardiff Q4 2018-19 (financial reporting linked to placements)', 1001),

('FN01I', 1, 'Placement spend: in-house', 'finance', 'pounds', 'none',
 'cost_sum', '{"where": [{"field": "provider", "in": ["PR1"]}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'FN01 for placements the council provides itself (PR1).',
 'Cardiff Q4 2018-19', 1002),

('FN01A', 1, 'Placement spend: independent providers', 'finance', 'pounds', 'none',
 'cost_sum', '{"where": [{"field": "provider", "in": ["PR4", "PR5"]}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'FN01 for placements with private (PR4) and voluntary or third sector (PR5) providers: agency fostering and independent residential care.',
 'Cardiff Q4 2018-19', 1003),

('FN01O', 1, 'Placement spend: other providers', 'finance', 'pounds', 'none',
 'cost_sum', '{"where": [{"field": "provider", "in": ["PR0", "PR2", "PR3"]}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'FN01 for placements provided by parents (PR0), other councils (PR2) or other public bodies (PR3).',
 'Cardiff Q4 2018-19', 1004),

('FN02', 1, 'Average weekly cost of a placement', 'finance', 'pounds', 'down',
 'cost_average', '{}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'The weekly costs of the cost lines that apply on the period''s last day, divided by their number.',
 'Cardiff Q4 2018-19', 1005),

('FN02I', 1, 'Average weekly cost of an in-house placement', 'finance', 'pounds', 'down',
 'cost_average', '{"where": [{"field": "provider", "in": ["PR1"]}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'FN02 for placements the council provides itself (PR1).',
 'Cardiff Q4 2018-19', 1006),

('FN02A', 1, 'Average weekly cost of an independent placement', 'finance', 'pounds', 'down',
 'cost_average', '{"where": [{"field": "provider", "in": ["PR4", "PR5"]}]}',
 '{month,quarter,year,rolling12,ytd}', '{}', NULL, NULL, 0,
 'FN02 for placements with private (PR4) and voluntary (PR5) providers.',
 'Cardiff Q4 2018-19', 1007),

('FN03', 1, 'Forecast placement out-turn for the year', 'finance', 'pounds', 'down',
 'cost_sum', '{}',
 '{year}', '{}', NULL, NULL, 0,
 'FN01 over the whole financial year: cost lines still open run to the year''s end at their current weekly cost, so that before the year ends the figure is the out-turn forecast on today''s commitments (and marked provisional). Compared with the sum of the year''s budget lines.',
 'Norfolk, January 2019 (exception criterion 3: adversely affecting the budget); Cardiff Q4 2018-19', 1008),

('FN03I', 1, 'Forecast placement out-turn: in-house', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "provider", "in": ["PR1"]}]}',
 '{year}', '{}', NULL, 'in_house', 0,
 'FN03 for placements the council provides itself (PR1), against the budget line in_house.',
 'Norfolk, January 2019 (exception criterion 3)', 1009),

('FN03A', 1, 'Forecast placement out-turn: independent providers', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "provider", "in": ["PR4", "PR5"]}]}',
 '{year}', '{}', 'CR-SUFFICIENCY', 'independent', 0,
 'FN03 for placements with private (PR4) and voluntary (PR5) providers, against the budget line independent.',
 'Norfolk, January 2019 (exception criterion 3)', 1010),

('FN03O', 1, 'Forecast placement out-turn: other providers', 'finance', 'pounds', 'down',
 'cost_sum', '{"where": [{"field": "provider", "in": ["PR0", "PR2", "PR3"]}]}',
 '{year}', '{}', NULL, 'other', 0,
 'FN03 for placements provided by parents, other councils or other public bodies (PR0, PR2, PR3), against the budget line other.',
 'Norfolk, January 2019 (exception criterion 3)', 1011),

('FN04', 1, 'Placements costing more than £5,000 a week', 'finance', 'count', 'down',
 'cost_count_over', '{"threshold": 5000}',
 '{month,quarter,year,rolling12,ytd}', '{}', 'CR-SUFFICIENCY', NULL, 5,
 'Cost lines that apply on the period''s last day with a weekly cost above £5,000 (before contributions). The threshold is a council''s choice: a council that uses another adds a version.',
 'Cardiff Q4 2018-19 (lack of placement sufficiency)', 1012);

-- Targets, for the financial years 2016-17 to 2025-26, only where a source
-- report states one or a national expectation is plain; other indicators
-- have none (a target is a council's choice). Tolerances make the amber
-- band: 5 percentage points, or about 5% of a target in days (Norfolk's
-- "variance of 5% or more").
UPDATE indicator_version v
SET targets = (SELECT jsonb_object_agg(y || '-' || lpad(((y + 1) % 100)::text, 2, '0'),
                                       jsonb_build_object('target', t.target,
                                                          'tolerance', t.tolerance))
               FROM generate_series(2016, 2025) AS y)
FROM (VALUES
    ('CN02', 90, 5),    -- 45 working days (Working Together); Walsall 90.2%
    ('CP03', 90, 5),    -- 15 working days (Working Together); Walsall 88.0%
    ('AD01', 426, 21),  -- A1 threshold, Wolverhampton's target
    ('AD02', 121, 6),   -- A2 threshold, Wolverhampton's target
    ('AD04', 426, 21)   -- A10, Wolverhampton's target (as A1)
) AS t (indicator_id, target, tolerance)
WHERE v.indicator_id = t.indicator_id AND v.version = 1;
