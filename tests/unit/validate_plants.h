/*
 * tests/unit/validate_plants.h: one planted violation per rule of
 * common/validate, as data for test_validate.c.
 *
 * Each plant is a whole child, written as records "type|value|value|..." in
 * schema order (missing trailing values are absent), whose child id "X" the
 * test replaces. The child is clean but for the one violation: the test adds
 * it to a clean return and expects `code` to fire on it and nothing else to
 * fire anywhere, but for the rules in `also`: those that the same violation
 * necessarily breaks too (a continuation episode that does not start the day
 * the previous one ended breaks 433, and the previous episode's X1 then
 * breaks 388).
 *
 * Collection year 2020: 1 April 2019 to 31 March 2020.
 */
#ifndef VALIDATE_PLANTS_H
#define VALIDATE_PLANTS_H

#define CH "child|X|M|2010-01-01||WBRI|"
#define CH_DOB(d) "child|X|M|" d "||WBRI|"
/* An open episode in the year, foster care (U3) by the council (PR1). */
#define EP_OPEN "la_episode|X|2019-05-01|S|C2|N1|U3|PR1"
/* An episode that ends, the next one starting that day (X1), with the
 * reason for the placement change that follows (225), or without it, as
 * before a temporary placement (226). */
#define EP_X1 "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|X1|CARPL"
#define EP_X1_NORPC "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|X1"
/* A temporary placement from 1 June to `end`, then back to U3. */
#define TEMPORARY(place, end) EP_X1_NORPC, \
	"la_episode|X|2019-06-01|P|C2|N1|" place "|PR1|" end "|X1", \
	"la_episode|X|" end "|P|C2|N1|U3|PR1"
/* An adopted child: placed (A3) October 2018 after the decision, matched,
 * adopted (E11) in the year, with AD1 and placed for adoption. */
#define ADOPTED_EP(place, rec) "la_episode|X|2018-10-01|S|C2|N1|" place "|PR1|2019-05-01|" rec
#define ADOPTED_PA "placed_for_adoption|X|2018-09-01"
#define ADOPTED_AD1(decision, match, nb, sex, ls) \
	"adoption|X|" decision "|" match "|false|" nb "|" sex "|" ls
#define ADOPTED_OK ADOPTED_AD1("2018-10-15", "2018-10-20", "1", "M1", "L0")

/* CIN: a child, an open referral that led to further action, and an
 * assessment authorised. */
#define CIN_CH "child|X|M|2010-01-01||WBRI|NONE"
#define CIN_REF "referral|X|2019-05-01|1A|N1|false"
#define CIN_AS "assessment|X|2019-05-01|2019-05-02|2019-05-20|21"

typedef struct plant {
	const char *code;
	const char *also;         /* space-separated codes, "" for none */
	const char *records[8];
} plant;

static const plant plants_ssda903[] = {
	{ "119", "", { CH, EP_OPEN, "placed_for_adoption|X|2019-05-10|2019-06-01|" } },
	{ "142", "", { CH, EP_OPEN, "la_episode|X|2019-06-01|S|C2|N1|U3|PR1" } },
	{ "217", "", { CH, EP_X1, "la_episode|X|2019-06-01|P|C2|N1|A3|PR1",
		"placed_for_adoption|X|2019-05-15" } },
	{ "225", "", { CH, EP_X1_NORPC, "la_episode|X|2019-06-01|P|C2|N1|U4|PR1" } },
	{ "226", "", { CH, EP_X1, "la_episode|X|2019-06-01|P|C2|N1|T0|PR1|2019-06-03|X1",
		"la_episode|X|2019-06-03|P|C2|N1|U3|PR1" } },
	{ "148", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|" } },
	{ "197a", "", { CH, EP_OPEN, "health|X|2020-03-31|10|SDQ1" } },
	{ "302", "", { CH_DOB("2019-06-01"), EP_OPEN } },
	{ "304", "", { CH_DOB("2000-01-01"), "uasc|X|2018-01-02" } },
	{ "333", "", { CH, ADOPTED_EP("A3", "E11"), ADOPTED_PA,
		ADOPTED_AD1("2018-10-15", "2018-10-10", "1", "M1", "L0") } },
	{ "334", "", { CH, ADOPTED_EP("A3", "E11"), ADOPTED_PA,
		ADOPTED_AD1("2018-09-15", "2018-10-20", "1", "M1", "L0") } },
	{ "351", "", { CH_DOB("1990-01-01") } },
	{ "352", "", { CH_DOB("2001-01-01"), "la_episode|X|2019-05-01|S|V2|N1|K2|PR1|2019-06-01|E8" } },
	{ "354", "", { CH, "la_episode|X|2020-04-05|S|C2|N1|U3|PR1" } },
	{ "356", "", { CH, "la_episode|X|2019-06-01|S|C2|N1|U3|PR1|2019-05-01|E8" } },
	{ "357", "", { CH, "la_episode|X|2019-05-01|P|C2|N1|U3|PR1" } },
	{ "358", "", { CH_DOB("2012-01-01"), "la_episode|X|2019-05-01|S|J1|N1|U3|PR1" } },
	{ "359", "", { CH_DOB("2001-06-01"), EP_OPEN } },
	{ "361", "", { CH, "la_episode|X|2019-05-01|S|L1|N1|U3|PR1|2019-05-10|E8" } },
	{ "362", "", { CH, "la_episode|X|2019-05-01|S|L2|N1|U3|PR1|2019-06-01|E8" } },
	{ "363", "", { CH, "la_episode|X|2019-05-01|S|L3|N1|U3|PR1|2019-05-10|E8" } },
	{ "364", "", { CH_DOB("2005-01-01"), "la_episode|X|2019-05-01|S|J2|N1|U3|PR1|2019-06-01|E8" } },
	{ "365", "", { CH, "la_episode|X|2019-05-01|S|V3|N1|U3|PR1|2019-06-01|E8" } },
	{ "366", "", { CH, EP_X1, "la_episode|X|2019-06-01|B|V3|N1|U2|PR1|2019-06-05|E8" } },
	{ "372", "", { CH_DOB("2012-01-01"), "la_episode|X|2019-05-01|S|C2|N1|R5|PR4|2019-06-01|E8" } },
	{ "373", "", { CH_DOB("2017-01-01"), "la_episode|X|2019-05-01|S|C2|N1|S1|PR1|2019-06-01|E8" } },
	{ "374", "", { CH_DOB("2008-01-01"), "la_episode|X|2019-05-01|S|C2|N1|P3|PR1|2019-06-01|E8" } },
	{ "375", "", { CH, TEMPORARY("T1", "2019-07-20") } },
	{ "376", "", { CH, TEMPORARY("T3", "2019-06-25") } },
	{ "379", "", { CH, TEMPORARY("T4", "2019-06-10") } },
	{ "378", "", { CH, "la_episode|X|2019-05-01|S|V2|N1|P1|PR0" } },
	{ "380", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|T0|PR1" } },
	{ "381", "", { CH, EP_X1_NORPC, "la_episode|X|2019-06-01|P|C2|N1|T0|PR1|2019-07-01|E8" } },
	{ "382", "", { CH, "la_episode|X|2019-05-01|S|V4|N1|U3|PR1|2019-05-05|X1",
		"la_episode|X|2019-05-05|P|V4|N1|T0|PR1|2019-05-08|X1",
		"la_episode|X|2019-05-08|P|V4|N1|U3|PR1|2019-05-10|E8" } },
	{ "383", "", { CH, EP_X1_NORPC, "la_episode|X|2019-06-01|P|C2|N1|T0|PR1|2019-06-03|X1",
		"la_episode|X|2019-06-03|P|C2|N1|U4|PR1" } },
	{ "384", "", { CH, "la_episode|X|2019-05-01|S|V3|N1|U1|PR1|2019-05-05|E8" } },
	{ "385", "", { CH, "la_episode|X|2020-03-01|S|C2|N1|U3|PR1|2020-04-05|E8" } },
	{ "386", "", { CH_DOB("2001-01-01"), ADOPTED_EP("A3", "E11"), ADOPTED_PA, ADOPTED_OK } },
	{ "387", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|E5" } },
	{ "388", "", { CH, EP_X1 } },
	{ "389", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|E7" } },
	{ "390", "", { CH, ADOPTED_EP("U3", "E11"), ADOPTED_PA, ADOPTED_OK } },
	{ "391", "", { CH_DOB("2005-01-01"), "care_leaver|X|2020-03-31|YES|F1|B1" } },
	{ "407", "", { CH_DOB("2000-01-01"), "la_episode|X|2017-05-01|S|C2|N1|U3|PR1|2019-06-01|E45" } },
	{ "408", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|A5|PR1", "placed_for_adoption|X|2019-04-15" } },
	{ "426", "", { CH, "la_episode|X|2019-05-01|S|V3|N1|U3|PR1|2019-05-05|E8",
		"la_episode|X|2019-07-01|S|V4|N1|U3|PR1|2019-07-05|E8" } },
	{ "431", "", { CH, EP_X1, "la_episode|X|2019-06-01|S|C2|N1|U4|PR1" } },
	{ "432", "433", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|E8",
		"la_episode|X|2019-07-01|P|C2|N1|U4|PR1" } },
	{ "433", "388", { CH, EP_X1, "la_episode|X|2019-06-05|P|C2|N1|U4|PR1" } },
	{ "434", "", { CH, EP_X1, "la_episode|X|2019-06-01|L|C2|N1|U3|PR1" } },
	{ "435", "", { CH, EP_X1, "la_episode|X|2019-06-01|P|C2|N1|U3|PR1" } },
	{ "436", "", { CH, EP_X1, "la_episode|X|2019-06-01|B|C2|N1|U4|PR1" } },
	{ "437", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|E2",
		"la_episode|X|2019-07-01|S|C2|N1|U3|PR1" } },
	{ "440", "", { CH, EP_OPEN, "la_review|X|2019-06-01|PN0" } },
	{ "441", "", { CH_DOB("2017-01-01"), EP_OPEN, "la_review|X|2019-06-01|PN1" } },
	{ "445", "", { CH, "la_episode|X|2019-05-01|S|D1|N1|U3|PR1" } },
	{ "446", "", { CH_DOB("2000-01-01"), "la_episode|X|2005-01-01|S|E1|N1|U3|PR1|2019-05-01|E8",
		"placed_for_adoption|X|2004-12-01" } },
	{ "460", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|E17" } },
	{ "501", "431", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|E8",
		"la_episode|X|2019-05-20|S|C2|N1|U3|PR1" } },
	{ "504", "", { CH, EP_X1, "la_episode|X|2019-06-01|P|C2|N2|U4|PR1" } },
	{ "511", "", { CH, ADOPTED_EP("A3", "E11"), ADOPTED_PA,
		ADOPTED_AD1("2018-10-15", "2018-10-20", "2", "M1", "L0") } },
	{ "514", "", { CH, ADOPTED_EP("A3", "E11"), ADOPTED_PA,
		ADOPTED_AD1("2018-10-15", "2018-10-20", "2", "MF", "L0") } },
	{ "518", "", { CH, ADOPTED_EP("A3", "E11"), ADOPTED_PA,
		ADOPTED_AD1("2018-10-15", "2018-10-20", "2", "MF", "L4") } },
	{ "519", "", { CH, ADOPTED_EP("A3", "E11"), ADOPTED_PA,
		ADOPTED_AD1("2018-10-15", "2018-10-20", "1", "M1", "L2") } },
	{ "520", "", { CH, ADOPTED_EP("A3", "E11"), ADOPTED_PA,
		ADOPTED_AD1("2018-10-15", "2018-10-20", "2", "MM", "L11") } },
	{ "525", "", { CH, ADOPTED_EP("A3", "E11"), ADOPTED_PA, ADOPTED_OK,
		"placed_for_adoption|X|2018-08-01|2018-08-20|RD1" } },
	{ "527", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|R2|PR1" } },
	{ "528", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|R2|PR2" } },
	{ "529", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR3" } },
	{ "530", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|P1|PR4" } },
	{ "531", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|P1|PR5" } },
	{ "542", "", { CH_DOB("2012-01-01"), EP_OPEN, "health|X|2020-03-31|||false" } },
	{ "550", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR0" } },
	{ "551", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|A3|PR1" } },
	{ "552", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|A3|PR1", "placed_for_adoption|X|2019-06-01" } },
	{ "553", "", { CH, "la_episode|X|2019-05-01|S|E1|N1|U3|PR1" } },
	{ "567", "", { CH, EP_OPEN, "missing|X|M|2019-06-01|2019-05-15" } },
	{ "570", "", { CH, EP_OPEN, "missing|X|M|2020-04-05" } },
	{ "571", "", { CH, EP_OPEN, "missing|X|M|2020-03-20|2020-04-02" } },
	{ "574", "", { CH, EP_OPEN, "missing|X|M|2019-06-01", "missing|X|A|2019-07-01|2019-07-05" } },
	{ "577", "", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|E8",
		"missing|X|M|2019-05-10" } },
	{ "578", "577", { CH, "la_episode|X|2019-05-01|S|C2|N1|U3|PR1|2019-06-01|E8",
		"missing|X|M|2019-07-01|2019-07-05" } },
	{ "579", "", { CH, EP_OPEN, "placed_for_adoption|X|2019-05-10",
		"placed_for_adoption|X|2019-06-01" } },
	{ "586", "", { CH_DOB("2019-05-20"), "la_episode|X|2019-05-20|S|C2|N1|U3|PR1",
		"missing|X|M|2019-05-20|2019-05-21" } },
	{ "601", "", { CH, ADOPTED_EP("A3", "E11"), ADOPTED_PA } },
	{ "602", "", { CH, EP_OPEN, "adoption|X|2019-06-01|2019-06-10|false|1|M1|L0" } },
	{ "635", "", { CH, EP_OPEN, "previous_permanence|X||123|2010" } },
};

static const plant plants_cin[] = {
	{ "1103", "", { CIN_CH, CIN_REF, "assessment|X|2019-05-01|2019-04-20|2019-05-20|21" } },
	{ "1104", "2889", { CIN_CH, CIN_REF, CIN_AS, "s47|X|2019-05-01|2019-04-15||2019-04-18" } },
	{ "1105", "", { CIN_CH, CIN_REF, CIN_AS, "cp_plan|X|2019-05-01|2019-04-20||NEG|NEG|0" } },
	{ "2884", "", { CIN_CH, "referral|X|2019-05-01|1A|N1|false|||2019-05-20", CIN_AS,
		"s47|X|2019-05-01|2019-05-10||2019-05-20" } },
	{ "2889", "", { CIN_CH, CIN_REF, CIN_AS, "s47|X|2019-05-01|2019-04-20|||true" } },
	{ "4000", "", { CIN_CH, "referral|X|2019-05-01|1A||true", "cin_plan|X|2019-05-01|2019-05-10" } },
	{ "4001", "", { CIN_CH, CIN_REF, CIN_AS, "cin_plan|X|2019-05-01|2019-05-20",
		"cp_plan|X|2019-05-01|2019-05-25||NEG|NEG|0" } },
	{ "2990", "", { CIN_CH, "referral|X|2019-05-01|1A|N1|false|2019-06-01|RC8", CIN_AS,
		"cin_plan|X|2019-05-01|2019-05-21|2019-05-30" } },
	{ "4003", "", { CIN_CH, CIN_REF, CIN_AS, "cin_plan|X|2019-05-01|2019-05-21|2019-08-01",
		"cp_plan|X|2019-05-01|2019-05-25||NEG|NEG|0", "cp_review|X|2019-05-01|2019-05-25|2019-07-01" } },
	{ "4004", "4014", { CIN_CH, CIN_REF, CIN_AS, "cin_plan|X|2019-05-01|2019-05-20",
		"cin_plan|X|2019-05-01|2019-05-25" } },
	{ "4011", "", { CIN_CH, CIN_REF, CIN_AS, "cin_plan|X|2019-05-01|2019-05-20|2019-05-10" } },
	{ "4012Q", "", { CIN_CH, CIN_REF, CIN_AS, "cin_plan|X|2019-05-01|2019-05-20|2019-05-20" } },
	{ "4013", "", { CIN_CH, CIN_REF, CIN_AS, "cin_plan|X|2019-05-01|2019-05-20|2020-04-05" } },
	{ "4014", "", { CIN_CH, CIN_REF, CIN_AS, "cin_plan|X|2019-05-01|2019-05-20|2019-06-20",
		"cin_plan|X|2019-05-01|2019-06-01|2019-06-10" } },
	{ "4015", "", { CIN_CH, CIN_REF, CIN_AS, "cin_plan|X|2019-05-01|2019-04-20" } },
	{ "8520", "", { "child|X|M|2020-04-15||WBRI|NONE", "referral|X|2020-01-10|1A|N1|false" } },
	{ "8525Q", "", { "child|X|M|2010-01-01|2010-01-05|WBRI|NONE", CIN_REF, CIN_AS } },
	{ "8565", "", { CIN_CH, "referral|X|2019-05-01|1A|N1|false|2019-06-01|RC1", CIN_AS,
		"cin_plan|X|2019-05-01|2019-05-21|2019-06-20" } },
	{ "8600", "", { CIN_CH, "referral|X|2020-04-05|1A|N1|false" } },
	{ "8606", "", { "child|X|M|2019-05-01||WBRI|NONE", "referral|X|2018-06-01|1A|N1|false" } },
	{ "8608", "", { CIN_CH, CIN_REF, "assessment|X|2019-05-01|2019-05-20|2019-05-10|21" } },
	{ "8610", "", { CIN_CH, "referral|X|2019-05-01|1A||false", CIN_AS } },
	{ "8614", "", { CIN_CH, CIN_REF, "assessment|X|2019-05-01|2019-05-02||1A" } },
	{ "8615", "", { CIN_CH, CIN_REF, CIN_AS, "s47|X|2019-05-01|2019-05-20||2019-05-15" } },
	{ "8620", "", { CIN_CH, "referral|X|2019-05-01|1A|N1|false|2020-04-05|RC1", CIN_AS } },
	{ "8630", "", { CIN_CH, "referral|X|2019-05-01|1A|N1|false|2019-04-20|RC1" } },
	{ "8696", "", { CIN_CH, CIN_REF, "assessment|X|2019-05-01|2019-05-02|2020-04-05|21" } },
	{ "8715", "", { CIN_CH, CIN_REF, CIN_AS, "s47|X|2019-05-01|2020-03-30||2020-04-02" } },
	{ "8720", "", { CIN_CH, CIN_REF, CIN_AS, "cp_plan|X|2019-05-01|2020-04-05||NEG|NEG|0" } },
	{ "8730", "", { CIN_CH, CIN_REF, CIN_AS, "cp_plan|X|2019-05-01|2019-05-20||NEG|NEG|" } },
	{ "8750", "", { "child|X|M||2019-12-01|WBRI|NONE", CIN_REF, CIN_AS } },
	{ "8790", "", { "child|X|M|2010-01-01||WBRI|NONE AUT", CIN_REF, CIN_AS } },
	{ "8805", "", { CIN_CH, "referral|X|2019-05-01|1A|N1|false|2019-06-01", CIN_AS } },
	{ "8810", "", { CIN_CH, "referral|X|2019-05-01|1A|N1|false||RC1", CIN_AS } },
	{ "8815", "8816 8820", { CIN_CH, CIN_REF, CIN_AS, "referral|X|2019-06-01|1A|N1|false" } },
	{ "8816", "8820", { CIN_CH, CIN_REF, CIN_AS,
		"referral|X|2019-06-01|1A|N1|false|2019-07-01|RC1" } },
	{ "8820", "", { CIN_CH, "referral|X|2019-05-01|1A|N1|false|2019-06-01|RC1", CIN_AS,
		"referral|X|2019-05-15|1A|N1|false|2019-07-01|RC1" } },
	{ "8831", "", { CIN_CH, "referral|X|2019-05-01|1A||true", CIN_AS } },
	{ "8832", "", { CIN_CH, "referral|X|2019-05-01|1A||true",
		"cp_plan|X|2019-05-01|2019-05-20||NEG|NEG|0" } },
	{ "8839", "8890", { CIN_CH, CIN_REF, CIN_AS, "s47|X|2019-05-01|2019-05-10|||false",
		"s47|X|2019-05-01|2019-05-15|||false" } },
	{ "8840", "", { CIN_CH, CIN_REF, CIN_AS, "cp_plan|X|2019-05-01|2019-05-20|2019-05-20|NEG|NEG|0" } },
	{ "8841", "", { CIN_CH, CIN_REF, CIN_AS, "cp_plan|X|2019-05-01|2019-05-20||NEG|NEG|0",
		"cp_review|X|2019-05-01|2019-05-20|2019-05-20" } },
	{ "8863Q", "", { CIN_CH, CIN_REF, CIN_AS, "assessment|X|2019-05-01|2019-05-10|2019-05-25|21" } },
	{ "8867", "", { CIN_CH, "referral|X|2019-05-01|1A|N1|false|2019-06-01|RC1",
		"assessment|X|2019-05-01|2019-05-02||" } },
	{ "8868", "", { CIN_CH, "referral|X|2019-05-01|1A|N1|false|2019-06-01|RC1", CIN_AS,
		"s47|X|2019-05-01|2019-05-10|||false" } },
	{ "8869", "", { CIN_CH, CIN_REF, "assessment|X|2019-05-01|2019-05-02|2019-05-20|21 1A" } },
	{ "8875", "", { CIN_CH, CIN_REF, CIN_AS, "s47|X|2019-05-01|2019-05-10||2019-05-18" } },
	{ "8890", "", { CIN_CH, CIN_REF, CIN_AS, "s47|X|2019-05-01|2019-05-10||2019-05-20",
		"s47|X|2019-05-01|2019-05-15|||true" } },
	{ "8896", "8863Q", { CIN_CH, CIN_REF, "assessment|X|2019-05-01|2019-05-02||",
		"assessment|X|2019-05-01|2019-05-03||" } },
	{ "8897Q", "", { CIN_CH, CIN_REF, "assessment|X|2019-05-01|2019-05-02|2019-05-20|" } },
	{ "8925", "", { CIN_CH, CIN_REF, CIN_AS, "cp_plan|X|2019-05-01|2019-05-20|2019-05-10|NEG|NEG|0" } },
	{ "8930", "", { CIN_CH, CIN_REF, CIN_AS, "cp_plan|X|2019-05-01|2019-05-20|2020-04-05|NEG|NEG|0" } },
	{ "8935", "8940", { CIN_CH, CIN_REF, CIN_AS, "cp_plan|X|2019-05-01|2019-05-10||NEG|NEG|0",
		"cp_plan|X|2019-05-01|2019-05-20||NEG|NEG|0" } },
	{ "8940", "", { CIN_CH, CIN_REF, CIN_AS, "cp_plan|X|2019-05-01|2019-05-10|2019-06-10|NEG|NEG|0",
		"cp_plan|X|2019-05-01|2019-06-01|2019-06-20|NEG|NEG|0" } },
};

#endif
