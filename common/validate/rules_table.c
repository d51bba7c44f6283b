/*
 * common/validate/rules_table.c: the table of rules, made from the data in
 * rules_list.h and the checks in rules_episodes.c, rules_ssda903.c and
 * rules_cin.c.
 */
#include "rules.h"

#define RULE(code, src, from, to, rtype, fields, dfe_fields, decides, message) \
	CHECK(rule_##code);
#include "rules_list.h"
#undef RULE

#define RULE(rcode, src, from, to, rtype, rfields, rdfe_fields, rdecides, rmessage) \
	{ .code = #rcode, .source = VALIDATE_##src, .year_from = from, .year_to = to, \
	  .type = CSPERF_RECORD_##rtype, .fields = rfields, .dfe_fields = rdfe_fields, \
	  .message = rmessage, .decides = rdecides, .check = rule_##rcode },
static const validate_rule rules[] = {
#include "rules_list.h"
};
#undef RULE

const validate_rule *validate_rules(size_t *count)
{
	*count = sizeof(rules) / sizeof(rules[0]);
	return rules;
}
