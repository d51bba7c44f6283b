/*
 * common/validate/rules_list.h: every rule implemented, as data. Included by
 * rules_table.c, which defines RULE() to declare the checks and then to make
 * the table. One entry per rule:
 *
 *   RULE(code, return, first year, last year, record type,
 *        "fields (csperf names)", "the same in the return's names",
 *        "indicators whose figure the fields decide", "the DfE's message")
 *
 * Years are collection years, named by the 31 March that ends them; 0 is
 * open. Messages are the DfE's, as csc-validator-be-903 and
 * csc-validator-be-cin give them for the latest year they have (8750 was
 * "Gender must equal 0 for an unborn child" before 2024-25; csperf reads the
 * old code 0 as U, so one check serves both). docs/VALIDATION.md lists them.
 */
RULE(119, SSDA903, 0, 0, PLACED_FOR_ADOPTION,
	"ceased_date ceased_reason", "DATE_PLACED_CEASED REASON_PLACED_CEASED", "AD05",
	"If the decision is made that a child should no longer be placed for adoption, then the date of this decision and the reason why this decision was made must be completed.")
RULE(142, SSDA903, 0, 0, LA_EPISODE,
	"end_date end_reason", "DEC REC", "LA01 LA03 LA04 LA05 LA06 LA12 LA13 LA14",
	"A new episode has started, but the previous episode has not ended.")
RULE(148, SSDA903, 0, 0, LA_EPISODE,
	"end_date end_reason", "DEC REC", "LA01 LA03 LA04 LA05 LA06 LA12 LA13 LA14",
	"Date episode ceased and reason episode ceased must both be coded, or both left blank.")
RULE(197a, SSDA903, 0, 0, HEALTH,
	"sdq_score sdq_reason", "SDQ_SCORE SDQ_REASON", "",
	"Reason for no Strengths and Difficulties (SDQ) score is not required if Strengths and Difficulties Questionnaire score is filled in.")
RULE(217, SSDA903, 0, 0, LA_EPISODE,
	"placement_type new_episode_reason start_date", "PLACE RNE DECOM", "AD01 AD04",
	"Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a reason for new episode of S, T or U.")
RULE(225, SSDA903, 0, 0, LA_EPISODE,
	"placement_change_reason", "REASON_PLACE_CHANGE", "LA05 LA06",
	"Reason for placement change must be recorded.")
RULE(226, SSDA903, 0, 0, LA_EPISODE,
	"placement_change_reason placement_type", "REASON_PLACE_CHANGE PLACE", "LA06",
	"Reason for placement change is not required for temporary placements.")
RULE(302, SSDA903, 0, 0, LA_EPISODE,
	"start_date", "DECOM", "LA01 LA03 LA04 LA05 LA06 LA12 LA13 LA14",
	"First episode starts before child was born.")
RULE(304, SSDA903, 0, 0, UASC,
	"ceased_date", "DUC", "",
	"Date unaccompanied asylum-seeking child (UASC) status ceased must be on or before the 18th birthday of a child.")
RULE(333, SSDA903, 0, 0, ADOPTION,
	"decision_date match_date", "DATE_INT DATE_MATCH", "AD02 AD03",
	"Date should be placed for adoption must be on or prior to the date of matching child with adopter(s).")
RULE(334, SSDA903, 0, 0, ADOPTION,
	"decision_date", "DATE_INT", "AD01 AD03",
	"Date child started to be looked after in latest period of care must be on or prior to the date should be placed for adoption.")
RULE(351, SSDA903, 0, 0, CHILD,
	"birth_date", "DOB", "LA01",
	"Child was over 25 at the start of the current collection year.")
RULE(352, SSDA903, 0, 0, LA_EPISODE,
	"start_date new_episode_reason", "DECOM RNE", "LA01 LA03 LA04 LA05 LA06 LA12 LA13 LA14",
	"Child who started to be looked after was aged 18 or over.")
RULE(354, SSDA903, 0, 0, LA_EPISODE,
	"start_date", "DECOM", "LA01 LA03 LA04 LA05 LA06 LA12 LA13 LA14",
	"Date episode ceased must be on or before the end of the current collection year.")
RULE(356, SSDA903, 0, 0, LA_EPISODE,
	"start_date end_date", "DECOM DEC", "LA01 LA03 LA04 LA05 LA06 LA12 LA13 LA14",
	"The date the episode ceased is before the date the same episode started.")
RULE(357, SSDA903, 0, 0, LA_EPISODE,
	"new_episode_reason", "RNE", "LA06",
	"?\"If this is the first episode ever for this child, reason for new episode must be S. \" \"Check whether there is an episode immediately preceding this one, which has been left out. \" \"If not the reason for new episode code must be amended to S.\"")
RULE(358, SSDA903, 0, 0, LA_EPISODE,
	"start_date legal_status", "DECOM LS", "LA03",
	"Child with this legal status should not be under 10.")
RULE(359, SSDA903, 0, 0, LA_EPISODE,
	"end_date legal_status placement_type", "DEC LS PLACE", "LA01 LA03",
	"Child being looked after following 18th birthday must be accommodated under section 20(5) of the Children Act 1989 in a community home.")
RULE(361, SSDA903, 0, 0, LA_EPISODE,
	"legal_status start_date end_date", "LS DECOM DEC", "LA01 LA03",
	"?\"Police protection legal status lasted longer than maximum 72 hours allowed \" + \"in the Children Act 1989.\"")
RULE(362, SSDA903, 0, 0, LA_EPISODE,
	"legal_status start_date end_date", "LS DECOM DEC", "LA01 LA03",
	"Emergency protection order (EPO) lasted longer than 21 days")
RULE(363, SSDA903, 0, 0, LA_EPISODE,
	"legal_status start_date end_date", "LS DECOM DEC", "LA01 LA03",
	"Child assessment order (CAO) lasted longer than 7 days allowed in the Children Act 1989.")
RULE(364, SSDA903, 0, 0, LA_EPISODE,
	"legal_status start_date end_date", "LS DECOM DEC", "LA01 LA03",
	"?\"Sections 41-46 of Police and Criminal Evidence (PACE; 1984) severely limits \" + \"the time a child can be detained in custody in Local Authority (LA) accommodation.\"")
RULE(365, SSDA903, 0, 0, LA_EPISODE,
	"legal_status start_date end_date", "LS DECOM DEC", "LA01 LA03",
	"Any individual short- term respite placement must not exceed 17 days.")
RULE(366, SSDA903, 0, 0, LA_EPISODE,
	"new_episode_reason legal_status", "RNE LS", "LA03",
	"A child cannot change placement during the course of an individual short-term respite break.")
RULE(372, SSDA903, 0, 0, LA_EPISODE,
	"start_date placement_type", "DECOM PLACE", "LA04",
	"Child in youth custody or prison should be at least 10.")
RULE(373, SSDA903, 0, 0, LA_EPISODE,
	"start_date placement_type", "DECOM PLACE", "LA04",
	"Child placed in a school should be at least 4 years old.")
RULE(374, SSDA903, 0, 0, LA_EPISODE,
	"start_date placement_type", "DECOM PLACE", "LA04",
	"Child in residential employment should be at least 14 years old.")
RULE(375, SSDA903, 0, 0, LA_EPISODE,
	"start_date placement_type", "DECOM PLACE", "LA04",
	"Hospitalisation coded as a temporary placement exceeds six weeks.")
RULE(376, SSDA903, 0, 0, LA_EPISODE,
	"start_date placement_type", "DECOM PLACE", "LA04",
	"Temporary placements coded as being due to holiday of usual foster carer(s) cannot exceed three weeks.")
RULE(378, SSDA903, 0, 0, LA_EPISODE,
	"placement_type legal_status", "PLACE LS", "LA03 LA04",
	"A child who is placed with parent(s) cannot be looked after under a single period of accommodation under Section 20 of the Children Act 1989.")
RULE(379, SSDA903, 0, 0, LA_EPISODE,
	"start_date placement_type", "DECOM PLACE", "LA04",
	"Temporary placements for unspecified reason (placement code T4) cannot exceed seven days.")
RULE(380, SSDA903, 0, 0, LA_EPISODE,
	"placement_type new_episode_reason", "PLACE RNE", "LA04 LA06",
	"A period of care cannot start with a temporary placement.")
RULE(381, SSDA903, 0, 0, LA_EPISODE,
	"placement_type end_reason", "PLACE REC", "LA04 LA14",
	"A period of care cannot end with a temporary placement.")
RULE(382, SSDA903, 0, 0, LA_EPISODE,
	"placement_type legal_status", "PLACE LS", "LA03 LA04",
	"A child receiving respite care cannot be in a temporary placement.")
RULE(383, SSDA903, 0, 0, LA_EPISODE,
	"placement_type new_episode_reason placement_postcode", "PLACE RNE PL_POST", "LA05 LA06",
	"A child in a temporary placement must subsequently return to his/her normal placement.")
RULE(384, SSDA903, 0, 0, LA_EPISODE,
	"placement_type legal_status", "PLACE LS", "LA03 LA04",
	"A child receiving respite care cannot be in a long-term foster placement")
RULE(385, SSDA903, 0, 0, LA_EPISODE,
	"end_date", "DEC", "LA01 LA03 LA04 LA05 LA06 LA12 LA13 LA14",
	"Date episode ceased must be on or before the end of the current collection year.")
RULE(386, SSDA903, 0, 0, LA_EPISODE,
	"end_reason end_date", "REC DEC", "LA14 AD01 AD03",
	"Reason episode ceased is adopted but child has reached age 18.")
RULE(387, SSDA903, 0, 0, LA_EPISODE,
	"end_reason end_date", "REC DEC", "LA14 AD01 AD03",
	"Reason episode ceased is child moved into independent living arrangement, but the child is aged under 14.")
RULE(388, SSDA903, 0, 0, LA_EPISODE,
	"end_reason", "REC", "LA05 LA06 LA14",
	"Reason episode ceased is coded new episode begins, but there is no continuation episode.")
RULE(389, SSDA903, 0, 0, LA_EPISODE,
	"end_reason end_date", "REC DEC", "LA14 AD01 AD03",
	"Reason episode ceased is that child transferred to care of adult social care services, but child is aged under 16.")
RULE(390, SSDA903, 0, 0, LA_EPISODE,
	"end_reason placement_type", "REC PLACE", "AD01 AD03 AD04",
	"Reason episode ceased is adopted but child has not been previously placed for adoption.")
RULE(391, SSDA903, 0, 0, CARE_LEAVER,
	"in_touch activity accommodation", "IN_TOUCH ACTIV ACCOM", "CL01 CL02 CL03",
	"Young person was not 17, 18, 19, 20 or 21 during the current collection year.")
RULE(407, SSDA903, 0, 0, LA_EPISODE,
	"end_reason end_date", "REC DEC", "LA14 AD01 AD03",
	"Reason episode ceased is Special Guardianship Order, but child has reached age 18.")
RULE(408, SSDA903, 0, 0, LA_EPISODE,
	"placement_type legal_status", "PLACE LS", "LA03 LA04 AD02",
	"Child is placed for adoption with a placement order, but no placement order has been recorded.")
RULE(426, SSDA903, 0, 0, LA_EPISODE,
	"legal_status", "LS", "LA03",
	"A child receiving respite care cannot be recorded under a legal status of V3 and V4 in the same year.")
RULE(431, SSDA903, 0, 0, LA_EPISODE,
	"new_episode_reason start_date", "RNE DECOM", "LA05 LA06",
	"The reason for new episode is started to be looked after, but the previous episode ended on the same day.")
RULE(432, SSDA903, 0, 0, LA_EPISODE,
	"new_episode_reason start_date", "RNE DECOM", "LA05 LA06",
	"?\"The child ceased to be looked after at the end of the previous episode but the reason for \" + \"the new episode is not started to be looked after.\"")
RULE(433, SSDA903, 0, 0, LA_EPISODE,
	"new_episode_reason start_date", "RNE DECOM", "LA05 LA06",
	"The reason for new episode suggests that this is a continuation episode, but the episode does not start on the same day as the last episode finished.")
RULE(434, SSDA903, 0, 0, LA_EPISODE,
	"new_episode_reason legal_status placement_type placement_postcode urn placement_provider", "RNE LS PLACE PL_POST URN PLACE_PROVIDER", "LA05 LA06",
	"Reason for new episode is that child's legal status has changed but not the placement, but this is not reflected in the episode data.")
RULE(435, SSDA903, 0, 0, LA_EPISODE,
	"new_episode_reason legal_status placement_type placement_postcode urn placement_provider", "RNE LS PLACE PL_POST URN PLACE_PROVIDER", "LA05 LA06",
	"?\"Reason for new episode is that child’s placement has changed but not the legal status, \" + \"but this is not reflected in the episode data recorded.\"")
RULE(436, SSDA903, 0, 0, LA_EPISODE,
	"new_episode_reason legal_status placement_type placement_postcode urn placement_provider", "RNE LS PLACE PL_POST URN PLACE_PROVIDER", "LA05 LA06",
	"Reason for new episode is that both child’s placement and legal status have changed, but this is not reflected in the episode data.")
RULE(437, SSDA903, 0, 0, LA_EPISODE,
	"end_reason", "REC", "LA01 LA03 LA04 LA05 LA06 LA12 LA13 LA14",
	"Reason episode ceased is child has died or is aged 18 or over but there are further episodes.")
RULE(440, SSDA903, 0, 0, LA_REVIEW,
	"participation review_date", "REVIEW_CODE REVIEW", "LA08",
	"Participation method indicates child was under 4 years old at the time of the review, but date of birth and review date indicates the child was 4 years old or over.")
RULE(441, SSDA903, 0, 0, LA_REVIEW,
	"participation review_date", "REVIEW_CODE REVIEW", "LA08",
	"Participation method indicates child was 4 years old or over at the time of the review, but the date of birth and review date indicates the child was under 4 years old.")
RULE(445, SSDA903, 0, 2024, LA_EPISODE,
	"legal_status start_date", "LS DECOM", "LA03",
	"D1 is not a valid code for episodes starting after December 2005.")
RULE(446, SSDA903, 0, 0, LA_EPISODE,
	"legal_status start_date", "LS DECOM", "LA03",
	"E1 is not a valid code for episodes starting before December 2005.")
RULE(460, SSDA903, 0, 0, LA_EPISODE,
	"end_reason end_date", "REC DEC", "LA14 AD01 AD03",
	"Reason episode ceased is that child stayed with current carers at age 18 (or above), but child is aged under 18.")
RULE(501, SSDA903, 0, 0, LA_EPISODE,
	"start_date end_date", "DECOM DEC", "LA01 LA03 LA04 LA05 LA06 LA12 LA13 LA14",
	"A new episode has started before the end date of the previous episode.")
RULE(504, SSDA903, 0, 0, LA_EPISODE,
	"category_of_need", "CIN", "",
	"The category of need code differs from that reported at start of current period of being looked after")
RULE(511, SSDA903, 0, 0, ADOPTION,
	"adopter_count adopter_sex adopter_legal_status", "NB_ADOPTR SEX_ADOPTR LS_ADOPTR", "",
	"If reporting that the number of person(s) adopting the looked after child is two adopters then the code should only be MM, FF or MF. MM = the adopting couple are both males; FF = the adopting couple are both females; MF = The adopting couple are male and female.")
RULE(514, SSDA903, 0, 0, ADOPTION,
	"adopter_count adopter_sex adopter_legal_status", "NB_ADOPTR SEX_ADOPTR LS_ADOPTR", "",
	"Data entry on the legal status of adopters shows a single adopter but data entry for the numbers of adopters shows it as a couple.")
RULE(518, SSDA903, 0, 0, ADOPTION,
	"adopter_count adopter_sex adopter_legal_status", "NB_ADOPTR SEX_ADOPTR LS_ADOPTR", "",
	"If reporting legal status of adopters is L4 then the genders of adopters should be coded as MM or FF. MM = the adopting couple are both males. FF = the adopting couple are both females.")
RULE(519, SSDA903, 0, 0, ADOPTION,
	"adopter_count adopter_sex adopter_legal_status", "NB_ADOPTR SEX_ADOPTR LS_ADOPTR", "",
	"Data entered on the legal status of adopters shows civil partnership couple, but data entered on genders of adopters does not show it as a couple.")
RULE(520, SSDA903, 0, 0, ADOPTION,
	"adopter_count adopter_sex adopter_legal_status", "NB_ADOPTR SEX_ADOPTR LS_ADOPTR", "",
	"Data entry on the legal status of adopters shows different gender married couple but data entry on genders of adopters shows it as a same gender couple.")
RULE(525, SSDA903, 0, 0, PLACED_FOR_ADOPTION,
	"ceased_date", "DATE_PLACED_CEASED", "AD05",
	"A child for whom the decision to be placed for adoption has been reversed cannot be adopted during the year.")
RULE(527, SSDA903, 0, 0, LA_EPISODE,
	"placement_type placement_provider", "PLACE PLACE_PROVIDER", "LA04 LA12",
	"A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.")
RULE(528, SSDA903, 0, 0, LA_EPISODE,
	"placement_type placement_provider", "PLACE PLACE_PROVIDER", "LA04 LA12",
	"A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.")
RULE(529, SSDA903, 0, 0, LA_EPISODE,
	"placement_type placement_provider", "PLACE PLACE_PROVIDER", "LA04 LA12",
	"Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as these placements cannot be provided by other public organisations.")
RULE(530, SSDA903, 0, 0, LA_EPISODE,
	"placement_type placement_provider", "PLACE PLACE_PROVIDER", "LA04 LA12",
	"A placement provider code of PR4 cannot be associated with placement P1.")
RULE(531, SSDA903, 0, 0, LA_EPISODE,
	"placement_type placement_provider", "PLACE PLACE_PROVIDER", "LA04 LA12",
	"A placement provider code of PR5 cannot be associated with placements P1.")
RULE(542, SSDA903, 0, 0, HEALTH,
	"convicted", "CONVICTED", "",
	"A child aged under 10 at 31 March should not have conviction information completed.")
RULE(550, SSDA903, 0, 0, LA_EPISODE,
	"placement_type placement_provider", "PLACE PLACE_PROVIDER", "LA04 LA12",
	"A placement provider code of PR0 can only be associated with placement P1.")
RULE(551, SSDA903, 0, 0, LA_EPISODE,
	"placement_type", "PLACE", "AD01 AD05",
	"Child has been placed for adoption but there is no date of the decision that the child should be placed for adoption.")
RULE(552, SSDA903, 0, 0, LA_EPISODE,
	"start_date placement_type", "DECOM PLACE", "AD01 AD02",
	"Date of Decision to place a child for adoption should be on or prior to the date that the child was placed for adoption.")
RULE(553, SSDA903, 0, 0, LA_EPISODE,
	"legal_status", "LS", "AD02 AD05",
	"?\"Placement order has been granted but there is no date of decision that the child should \" + \"be placed for adoption.\"")
RULE(567, SSDA903, 0, 0, MISSING,
	"start_date end_date", "MIS_START MIS_END", "",
	"The date that the missing episode or episode that the child was away from placement without authorisation ended is before the date that it started.")
RULE(570, SSDA903, 0, 0, MISSING,
	"start_date", "MIS_START", "",
	"The date that the child started to be missing or away from placement without authorisation is after the end of the collection year.")
RULE(571, SSDA903, 0, 0, MISSING,
	"end_date", "MIS_END", "",
	"The date that the child ceased to be missing or away from placement without authorisation is before the start or after the end of the collection year.")
RULE(574, SSDA903, 0, 0, MISSING,
	"start_date end_date", "MIS_START MIS_END", "",
	"A new missing/away from placement without authorisation period cannot start when the previous missing/away from placement without authorisation period is still open. Missing/away from placement without authorisation periods should also not overlap.")
RULE(577, SSDA903, 0, 0, MISSING,
	"end_date", "MIS_END", "",
	"Child ceased to be looked after but there is a missing/away from placement without authorisation period without an end date.")
RULE(578, SSDA903, 0, 0, MISSING,
	"start_date", "MIS_START", "",
	"The date that the child started to be missing is after the child ceased to be looked after.")
RULE(579, SSDA903, 0, 0, PLACED_FOR_ADOPTION,
	"decision_date ceased_date", "DATE_PLACED DATE_PLACED_CEASED", "AD05",
	"A new decision that the child should be placed for adoption this year cannot start when the previous decision is still open. Decisions to place the child for adoption should also not overlap. The date of any new decision to place the child for adoption must not be before the date placed ceased of previous decisions.")
RULE(586, SSDA903, 0, 0, MISSING,
	"start_date", "MIS_START", "",
	"Dates of missing periods are before child’s date of birth.")
RULE(601, SSDA903, 0, 0, LA_EPISODE,
	"end_reason", "REC", "AD01 AD03 AD04",
	"The additional fields relating to adoption have not been completed although the episode data shows that the child was adopted during the year.")
RULE(602, SSDA903, 0, 0, ADOPTION,
	"child_id", "CHILD", "AD01 AD03 AD04",
	"The episode data submitted for this child does not show that he/she was adopted during the year.")
RULE(635, SSDA903, 0, 0, PREVIOUS_PERMANENCE,
	"previous_permanence la_code order_date", "PREV_PERM LA_PERM DATE_PERM", "",
	"There are entries for date of order and local authority code where previous permanence option was arranged but previous permanence code is Z1")
RULE(1103, CIN, 0, 0, ASSESSMENT,
	"start_date referral_date", "AssessmentActualStartDate CINreferralDate", "CN01 CN02",
	"The assessment start date cannot be before the referral date")
RULE(1104, CIN, 0, 0, S47,
	"icpc_date referral_date", "DateOfInitialCPC CINreferralDate", "CP02 CP03",
	"The date of the initial child protection conference cannot be before the referral date")
RULE(1105, CIN, 0, 0, CP_PLAN,
	"start_date referral_date", "CPPstartDate CINreferralDate", "CP04 CP05 CP08",
	"The child protection plan start date cannot be before the referral date")
RULE(2884, CIN, 0, 0, REFERRAL,
	"initial_cpc_date", "DateOfInitialCPC", "CP02 CP03",
	"An initial child protection conference is recorded at both the S47 and CIN Details level and it should only be recorded in one")
RULE(2889, CIN, 0, 0, S47,
	"start_date referral_date", "S47ActualStartDate CINreferralDate", "CP01",
	"The S47 start date cannot be before the referral date.")
RULE(2990, CIN, 0, 0, REFERRAL,
	"closure_reason", "ReasonForClosure", "CN03 CP01",
	"Activity is recorded against a case marked as ‘Case closed after assessment, no further action’ or 'case closed after assessment, referred to early help'.")
RULE(4000, CIN, 0, 0, CIN_PLAN,
	"referral_date", "CINreferralDate", "CN03 CN05",
	"CIN Plan details provided for a referral with no further action")
RULE(4001, CIN, 0, 0, CIN_PLAN,
	"end_date", "CINPlanEndDate", "CN03 CN05 CP04",
	"A CIN Plan cannot run concurrently with a Child Protection Plan")
RULE(4003, CIN, 0, 0, CP_REVIEW,
	"review_date", "CPPreviewDate", "CP07",
	"A CPP review date is shown as being held at the same time as an open CIN Plan.")
RULE(4004, CIN, 0, 0, CIN_PLAN,
	"end_date", "CINPlanEndDate", "CN05",
	"This child is showing more than one open CIN Plan, i.e. with no End Date")
RULE(4011, CIN, 0, 0, CIN_PLAN,
	"start_date end_date", "CINPlanStartDate CINPlanEndDate", "CN05",
	"CIN Plan End Date earlier than Start Date")
RULE(4012Q, CIN, 0, 0, CIN_PLAN,
	"start_date end_date", "CINPlanStartDate CINPlanEndDate", "CN05",
	"Please check and either amend or provide a reason: CIN Plan shown as starting and ending on the same day")
RULE(4013, CIN, 0, 0, CIN_PLAN,
	"end_date", "CINPlanEndDate", "CN05",
	"CIN Plan end date must fall within the census year")
RULE(4014, CIN, 0, 0, CIN_PLAN,
	"start_date end_date", "CINPlanStartDate CINPlanEndDate", "CN05",
	"CIN Plan data contains overlapping dates")
RULE(4015, CIN, 0, 0, CIN_PLAN,
	"start_date referral_date", "CINPlanStartDate CINreferralDate", "CN05",
	"The CIN Plan start date cannot be before the referral date")
RULE(8520, CIN, 0, 0, CHILD,
	"birth_date", "PersonBirthDate", "",
	"Date of Birth is after data collection period (must be on or before the end of the census period)")
RULE(8525Q, CIN, 0, 0, CHILD,
	"birth_date expected_birth_date", "PersonBirthDate ExpectedPersonBirthDate", "",
	"Either Date of Birth or Expected Date of Birth must be provided (but not both)")
RULE(8565, CIN, 0, 0, REFERRAL,
	"closure_date", "CINclosureDate", "CN03",
	"Activity shown after a case has been closed")
RULE(8600, CIN, 0, 0, REFERRAL,
	"referral_date", "CINreferralDate", "FD03 FD05 CN03",
	"Child referral date missing or after data collection period")
RULE(8606, CIN, 0, 0, REFERRAL,
	"referral_date", "CINreferralDate", "FD03",
	"Child referral date is more than 40 weeks before DOB or expected DOB")
RULE(8608, CIN, 0, 0, ASSESSMENT,
	"start_date authorisation_date", "AssessmentActualStartDate AssessmentAuthorisationDate", "CN01 CN02",
	"Assessment Start Date cannot be later than its End Date")
RULE(8610, CIN, 0, 0, REFERRAL,
	"primary_need referral_nfa", "PrimaryNeedCode ReferralNFA", "",
	"Primary Need code is missing for a referral which led to further action.")
RULE(8614, CIN, 0, 0, ASSESSMENT,
	"authorisation_date factors", "AssessmentAuthorisationDate AssessmentFactors", "CN04",
	"Parental or child factors at assessment should only be present for a completed assessment.")
RULE(8615, CIN, 0, 0, S47,
	"start_date icpc_date", "S47ActualStartDate DateOfInitialCPC", "CP03",
	"Section 47 Enquiry Start Date must be present and cannot be later than the date of the initial Child Protection Conference")
RULE(8620, CIN, 0, 0, REFERRAL,
	"closure_date", "CINclosureDate", "CN03",
	"CIN Closure Date present and does not fall within the Census year")
RULE(8630, CIN, 0, 0, REFERRAL,
	"referral_date closure_date", "CINreferralDate CINclosureDate", "CN03",
	"CIN Closure Date is before CIN Referral Date for the same CIN episode")
RULE(8696, CIN, 0, 0, ASSESSMENT,
	"authorisation_date", "AssessmentAuthorisationDate", "CN01 CN02",
	"Assessment end date must fall within the census year")
RULE(8715, CIN, 0, 0, S47,
	"icpc_date", "DateOfInitialCPC", "CP02 CP03",
	"Date of Initial Child Protection Conference must fall within the census year")
RULE(8720, CIN, 0, 0, CP_PLAN,
	"start_date", "CPPstartDate", "CP04 CP05 CP08",
	"Child Protection Plan Start Date missing or out of data collection period")
RULE(8730, CIN, 0, 0, CP_PLAN,
	"previous_plans", "NumberOfPreviousCPP", "CP05",
	"Total Number of previous Child Protection Plans missing")
RULE(8750, CIN, 0, 0, CHILD,
	"sex", "Sex", "",
	"Sex must equal U for an unborn child")
RULE(8790, CIN, 0, 0, CHILD,
	"disabilities", "Disability", "",
	"Disability information includes both None and other values")
RULE(8805, CIN, 0, 0, REFERRAL,
	"closure_date closure_reason", "CINclosureDate ReasonForClosure", "CN03",
	"A CIN case cannot have a CIN closure date without a Reason for Closure")
RULE(8810, CIN, 0, 0, REFERRAL,
	"closure_date closure_reason", "CINclosureDate ReasonForClosure", "CN03",
	"A CIN case cannot have a Reason for Closure without a CIN Closure Date")
RULE(8815, CIN, 0, 0, REFERRAL,
	"closure_date referral_nfa", "CINclosureDate ReferralNFA", "CN03",
	"More than one open CIN Details episode (a module with no CIN Closure Date) has been provided for this child and case is not a referral with no further action.")
RULE(8816, CIN, 0, 0, REFERRAL,
	"closure_date referral_nfa", "CINclosureDate ReferralNFA", "CN03",
	"An open CIN episode is shown and case is not a referral with no further action, but it is not the latest episode.")
RULE(8820, CIN, 0, 0, REFERRAL,
	"referral_date closure_date", "CINreferralDate CINclosureDate", "FD03 FD05 CN03",
	"The dates on the CIN episodes for this child overlap")
RULE(8831, CIN, 0, 0, REFERRAL,
	"referral_nfa", "ReferralNFA", "FD03 CN01",
	"Activity is recorded against a case marked as a referral with no further action")
RULE(8832, CIN, 0, 0, CP_PLAN,
	"referral_date", "CINreferralDate", "CP04",
	"Child Protection details provided for a referral with no further action.")
RULE(8839, CIN, 0, 0, S47,
	"icpc_date icpc_not_required", "DateOfInitialCPC ICPCnotRequired", "CP01 CP02",
	"Within one CINDetails group there are 2 or more open S47 Assessments")
RULE(8840, CIN, 0, 0, CP_PLAN,
	"start_date end_date", "CPPstartDate CPPendDate", "CP04 CP06 CP10",
	"Child Protection Plan cannot start and end on the same day")
RULE(8841, CIN, 0, 0, CP_REVIEW,
	"review_date plan_start_date", "CPPreviewDate CPPstartDate", "CP07",
	"The review date cannot be on the same day or before the Child protection Plan start date.")
RULE(8863Q, CIN, 0, 0, ASSESSMENT,
	"start_date authorisation_date", "AssessmentActualStartDate AssessmentAuthorisationDate", "CN01 CN02",
	"An Assessment is shown as starting when there is another Assessment ongoing.")
RULE(8867, CIN, 0, 0, ASSESSMENT,
	"authorisation_date", "AssessmentAuthorisationDate", "CN01 CN02",
	"CIN episode is shown as closed, however Assessment is not shown as completed")
RULE(8868, CIN, 0, 0, S47,
	"icpc_date icpc_not_required", "DateOfInitialCPC ICPCnotRequired", "CP02",
	"CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by ICPC date or ICPC not required flag")
RULE(8869, CIN, 0, 0, ASSESSMENT,
	"factors", "AssessmentFactors", "CN04",
	"The assessment factors code “21” cannot be used in conjunction with any other assessment factors.")
RULE(8875, CIN, 0, 0, S47,
	"icpc_date", "DateOfInitialCPC", "CP02 CP03",
	"The Date of Initial Child Protection Conference cannot be a weekend")
RULE(8890, CIN, 0, 0, S47,
	"start_date icpc_date", "S47ActualStartDate DateOfInitialCPC", "CP01",
	"A Section 47 enquiry is shown as starting when there is another Section 47 Enquiry ongoing")
RULE(8896, CIN, 0, 0, ASSESSMENT,
	"authorisation_date", "AssessmentAuthorisationDate", "CN01 CN02",
	"Within one CINDetails group there are 2 or more open Assessments groups")
RULE(8897Q, CIN, 0, 0, ASSESSMENT,
	"authorisation_date factors", "AssessmentAuthorisationDate AssessmentFactors", "CN04",
	"Parental or child factors at assessment information is missing from a completed assessment")
RULE(8925, CIN, 0, 0, CP_PLAN,
	"start_date end_date", "CPPstartDate CPPendDate", "CP04 CP06 CP10",
	"Child Protection Plan End Date earlier than Start Date")
RULE(8930, CIN, 0, 0, CP_PLAN,
	"end_date", "CPPendDate", "CP04 CP06 CP10",
	"Child Protection Plan End Date must fall within the census year")
RULE(8935, CIN, 0, 0, CP_PLAN,
	"end_date", "CPPendDate", "CP04",
	"This child is showing more than one open Child Protection plan, i.e. with no End Date")
RULE(8940, CIN, 0, 0, CP_PLAN,
	"start_date end_date", "CPPstartDate CPPendDate", "CP04 CP06 CP10",
	"Child Protection Plan data contains overlapping dates")
