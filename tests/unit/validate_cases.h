/*
 * tests/unit/validate_cases.h: the open-source validators' own test cases for
 * a rule, translated into csperf's record form, for test_validate.c.
 *
 * Each case is the test_validate() of one rule file of Data to Insight's
 * validators, at the commits named in docs/VALIDATION.md
 * (csc-validator-be-903 10ad07c5, lac_validator/rules/lac2022_23/rule_N.py;
 * csc-validator-be-cin 1bf6f22e, cin_validator/rules/cin2022_23/rule_N.py):
 * the same rows in the same order, dd/mm/YYYY dates written as ISO, columns
 * the test leaves out left absent, and a child id given to rows that have
 * none (every row its own child, as the validator's row-wise checks see
 * them). `failing` lists the rows the validator's test expects to fail,
 * numbered among the rows of the rule's table as the validator numbers them.
 *
 * Episode: la_episode|CHILD|DECOM|RNE|LS|CIN|PLACE|PLACE_PROVIDER|DEC|REC
 */
#ifndef VALIDATE_CASES_H
#define VALIDATE_CASES_H

#define MAX_CASE_ROWS 16

typedef struct validator_case {
	const char *code;
	const char *origin;
	int year;
	const char *failing;
	const char *rows[MAX_CASE_ROWS];
} validator_case;

static const validator_case cases[] = {
	{ "501", "lac2022_23/rule_501.py", 2021, "1 6 8", {
		"la_episode|111|2020-06-01||||||2020-06-04",
		"la_episode|111|2020-06-02||||||2020-06-06",
		"la_episode|111|2020-06-06|||||||",
		"la_episode|111|2020-06-08||||||2020-06-09",
		"la_episode|222|2020-06-10||||||2020-06-11",
		"la_episode|333|2020-06-04||||||2020-06-07",
		"la_episode|333|2020-06-05|||||||",
		"la_episode|444|2020-06-08||||||2020-06-09",
		"la_episode|444|2020-06-08||||||2020-06-10",
		"la_episode|444|2020-06-15|||||||",
	} },
	{ "148", "lac2022_23/rule_148.py", 2021, "0 2 4", {
		"la_episode|111|2020-06-01||||||2020-06-04|",
		"la_episode|111|2020-06-05||||||2020-06-06|X1",
		"la_episode|111|2020-06-06|||||||X1",
		"la_episode|111|2020-06-08||||||2020-06-05|X1",
		"la_episode|222|2020-06-05||||||2020-06-06|",
		"la_episode|333|2020-06-06||||||2020-06-07|E11",
		"la_episode|333|2020-06-07|||||||",
		"la_episode|444|2020-06-08||||||2020-06-09|X1",
		"la_episode|444|2020-06-09||||||2020-06-10|E11",
		"la_episode|444|2020-06-15|||||||",
	} },
	{ "380", "lac2022_23/rule_380.py", 2021, "1", {
		"la_episode|1||S|||U1",
		"la_episode|2||L|||T0",
		"la_episode|3||P|||U2",
		"la_episode|4||B|||Z1",
		"la_episode|5||P|||T1",
		"la_episode|6||||||",
	} },
	{ "381", "lac2022_23/rule_381.py", 2021, "1", {
		"la_episode|1|||||T3|||X1",
		"la_episode|2|||||T0|||PR1",
		"la_episode|3|||||U2|||X1",
		"la_episode|4|||||T2|||",
		"la_episode|5|||||T1|||X1",
		"la_episode|6|||||||||",
	} },
	{ "382", "lac2022_23/rule_382.py", 2021, "0 3 4", {
		"la_episode|1|||V3||T0",
		"la_episode|2|||V3||R4",
		"la_episode|3|||X3||T1",
		"la_episode|4|||V4||T2",
		"la_episode|5|||V4||T3",
	} },
	{ "384", "lac2022_23/rule_384.py", 2021, "0 2", {
		"la_episode|11|||V4||U1",
		"la_episode|202|||D1||x",
		"la_episode|3003|||V3||U4",
		"la_episode|40004|||V3||P1",
		"la_episode|5005|||x||A5",
		"la_episode|606|||V4||A6",
		"la_episode|77|||x||x",
	} },
	{ "390", "lac2022_23/rule_390.py", 2021, "0 3", {
		"la_episode|11|||x||P1|||E11",
		"la_episode|202|||D1||x|||x",
		"la_episode|3003|||D1||A4|||E12",
		"la_episode|40004|||V2||P1|||E12",
		"la_episode|5005|||x||A5|||E11",
		"la_episode|606|||V2||A6|||x",
		"la_episode|77|||x||x|||x",
	} },
	{ "408", "lac2022_23/rule_408.py", 2021, "0 4 5", {
		"la_episode|1|||S||A5",
		"la_episode|2|||T||V4",
		"la_episode|3|||E1||A6",
		"la_episode|4|||||U2",
		"la_episode|5|||U||A6",
		"la_episode|6|||||A5",
	} },
	{ "504", "lac2022_23/rule_504.py", 2021, "1 2 6 9", {
		"la_episode|111|2020-06-01|||N1|||2020-06-04|X1",
		"la_episode|111|2020-06-04|||N2|||2020-06-06|X1",
		"la_episode|111|2020-06-06|||N3||||X1",
		"la_episode|111|2020-06-08|||N2|||2020-06-09|X1",
		"la_episode|222|2020-06-10|||N3|||2020-06-11|X1",
		"la_episode|333|2020-06-04|||N4|||2020-06-07|X1",
		"la_episode|333|2020-06-07|||N1||||X1",
		"la_episode|444|2020-06-08|||N2|||2020-06-09|X1",
		"la_episode|444|2020-06-08|||N3|||2020-06-10|X1",
		"la_episode|444|2020-06-10|||N4||||X1",
	} },
	{ "333", "lac2022_23/rule_333.py", 2021, "2 3 4", {
		"adoption|1|2020-06-01|2020-06-05",
		"adoption|2|2020-06-02|",
		"adoption|3|2020-06-03|2020-06-01",
		"adoption|4|2020-06-04|2020-06-02",
		"adoption|5||2020-06-05",
	} },
	{ "119", "lac2022_23/rule_119.py", 2021, "1 2", {
		"placed_for_adoption|1||2015-11-22|XXX",
		"placed_for_adoption|2||2010-05-08|",
		"placed_for_adoption|3|||10/05/2009",
		"placed_for_adoption|4|||",
	} },
	{ "511", "lac2022_23/rule_511.py", 2021, "3 4 6", {
		"adoption|1||||2|MM",
		"adoption|2||||2|FF",
		"adoption|3|||||MM",
		"adoption|4||||2|M1",
		"adoption|5||||2|F1",
		"adoption|6||||1|F1",
		"adoption|7||||2|F1",
		"adoption|8||||1|F1",
		"adoption|9||||2|",
	} },
	{ "514", "lac2022_23/rule_514.py", 2021, "2 4", {
		"adoption|1|||||M1|L0",
		"adoption|2|||||F1|xx",
		"adoption|3|||||xx|L0",
		"adoption|4||||||",
		"adoption|5|||||xxx|L0",
	} },
	{ "518", "lac2022_23/rule_518.py", 2021, "3 4 6", {
		"adoption|1|||||MM|L4",
		"adoption|2|||||FF|L4",
		"adoption|3|||||MM|",
		"adoption|4|||||M1|L4",
		"adoption|5|||||MF|L4",
		"adoption|6|||||F1|L1",
		"adoption|7|||||xxxxx|L4",
	} },
	{ "519", "lac2022_23/rule_519.py", 2021, "3 5", {
		"adoption|1|||||MM|L2",
		"adoption|2|||||FF|L4",
		"adoption|3|||||MM|",
		"adoption|4|||||M1|L2",
		"adoption|5|||||MF|L2",
		"adoption|6||||||L2",
		"adoption|7|||||xxxxx|L4",
	} },
	{ "520", "lac2022_23/rule_520.py", 2021, "0 1", {
		"adoption|1|||||MM|L11",
		"adoption|2|||||FF|L11",
		"adoption|3|||||MM|",
		"adoption|4|||||M1|L4",
		"adoption|5|||||MF|L11",
		"adoption|6|||||F1|L1",
		"adoption|7|||||xxxxx|L4",
	} },
	{ "197a", "lac2022_23/rule_197a.py", 2021, "0 3", {
		"health|1||0|XXX",
		"health|2|||",
		"health|3||10|",
		"health|4||1|XXX",
		"health|5|||XXX",
	} },
	{ "527", "lac2022_23/rule_527.py", 2021, "0 3 4", {
		"la_episode|1|||||P1|PR1",
		"la_episode|2|||||A3|PR3",
		"la_episode|3|||||K1|PR4",
		"la_episode|4|||||R2|PR1",
		"la_episode|5|||||P1|PR1",
		"la_episode|6|||||X1|PR1",
	} },
	{ "550", "lac2022_23/rule_550.py", 2021, "3 6", {
		"la_episode|1|||||P1|PR0",
		"la_episode|2|||||P0|PR2",
		"la_episode|3|||||T1|PR4",
		"la_episode|4|||||T3|PR0",
		"la_episode|5|||||T1|",
		"la_episode|6|||||P1|PR0",
		"la_episode|7|||||P0|PR0",
	} },
	{ "567", "lac2022_23/rule_567.py", 2021, "2 3", {
		"missing|1||2020-06-01|2020-06-05",
		"missing|2||2020-06-02|",
		"missing|3||2020-06-03|2020-06-01",
		"missing|4||2020-06-04|2020-06-02",
		"missing|5|||2020-06-05",
	} },
	{ "8840", "cin2022_23/rule_8840.py", 2023, "0 1 3", {
		"cp_plan|child1||1989-10-08|1989-10-08",
		"cp_plan|child2||1993-12-05|1993-12-05",
		"cp_plan|child3||1993-12-05|2022-09-12",
		"cp_plan|child4||1997-12-05|1997-12-05",
		"cp_plan|child5|||",
	} },
	{ "8925", "cin2022_23/rule_8925.py", 2023, "2 4", {
		"cp_plan|child1||2000-05-26|2000-05-26",
		"cp_plan|child2||2000-05-26|2001-05-26",
		"cp_plan|child3||2000-05-26|1999-05-26",
		"cp_plan|child3||2000-05-26|",
		"cp_plan|child4||2000-05-26|2000-05-25",
		"cp_plan|child5|||",
	} },
	{ "4011", "cin2022_23/rule_4011.py", 2023, "1", {
		"cin_plan|child1||2000-05-26|2000-05-26",
		"cin_plan|child2||2001-05-26|2000-05-26",
		"cin_plan|child3||1999-05-26|2000-05-26",
		"cin_plan|child4|||2000-05-26",
		"cin_plan|child6|||",
	} },
	{ "8810", "cin2022_23/rule_8810.py", 2023, "2 3", {
		"referral|child1|||||2000-05-26|aaa",
		"referral|child2|||||2001-05-26|aaa",
		"referral|child3||||||aaa",
		"referral|child4||||||aaa",
		"referral|child4|||||2000-05-25|",
		"referral|child5||||||",
	} },
	{ "8805", "cin2022_23/rule_8805.py", 2023, "3 4", {
		"referral|child1|||||2000-05-26|26/05/2000",
		"referral|child2||||||26/05/2000",
		"referral|child3|||||1999-05-26|26/05/2000",
		"referral|child3|||||2000-05-26|",
		"referral|child4|||||2000-05-25|",
		"referral|child5|||||||",
	} },
};

#endif
