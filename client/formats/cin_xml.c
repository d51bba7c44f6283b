/*
 * client/formats/cin_xml.c: reading a CIN census return (XML, schemas 2021 to
 * 2026) with libxml2's streaming xmlTextReader.
 *
 * The reader walks the elements keeping, per depth, which container it is in
 * (Child, CINdetails, Assessments, ...). A container's start begins a record
 * and its end passes the record on; a leaf element inside a container (a date,
 * a code) fills one field of that record. Memory holds one record of each
 * type, whatever the size of the file.
 */
#include "formats_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "dates.h"
#include "schema.h"

/* More than the fields of any record the CIN census fills. */
#define CIN_MAX_FIELDS 12

/* Room for one value: longer than any field allows, so a value cut short to
 * fit still fails validation. */
#define CIN_VALUE_SIZE 512

/* Elements nested deeper than this are not the CIN census's; skipped. */
#define CIN_MAX_DEPTH 32

typedef enum cin_container {
	CIN_OUTSIDE = 0,   /* not inside an element csperf reads */
	CIN_MESSAGE,
	CIN_CHILDREN,
	CIN_CHILD,
	CIN_CHILD_IDENTIFIERS,
	CIN_CHILD_CHARACTERISTICS,
	CIN_DISABILITIES,
	CIN_DETAILS,
	CIN_ASSESSMENTS,
	CIN_FACTORS,
	CIN_PLAN_DATES,
	CIN_SECTION47,
	CIN_CP_PLANS,
	CIN_CP_REVIEWS
} cin_container;

/* The records being built; one of each type at a time. */
typedef enum cin_slot_id {
	SLOT_CHILD,
	SLOT_REFERRAL,
	SLOT_ASSESSMENT,
	SLOT_CIN_PLAN,
	SLOT_S47,
	SLOT_CP_PLAN,
	SLOT_CP_REVIEW,
	NSLOTS
} cin_slot_id;

static const csperf_record_type slot_types[NSLOTS] = {
	CSPERF_RECORD_CHILD, CSPERF_RECORD_REFERRAL, CSPERF_RECORD_ASSESSMENT,
	CSPERF_RECORD_CIN_PLAN, CSPERF_RECORD_S47, CSPERF_RECORD_CP_PLAN,
	CSPERF_RECORD_CP_REVIEW
};

typedef struct container_element {
	const char *element;
	cin_container parent;
	cin_container container;
} container_element;

static const container_element containers[] = {
	{ "Message", CIN_OUTSIDE, CIN_MESSAGE },
	{ "Children", CIN_MESSAGE, CIN_CHILDREN },
	{ "Child", CIN_CHILDREN, CIN_CHILD },
	{ "ChildIdentifiers", CIN_CHILD, CIN_CHILD_IDENTIFIERS },
	{ "ChildCharacteristics", CIN_CHILD, CIN_CHILD_CHARACTERISTICS },
	{ "Disabilities", CIN_CHILD_CHARACTERISTICS, CIN_DISABILITIES },
	{ "CINdetails", CIN_CHILD, CIN_DETAILS },
	{ "Assessments", CIN_DETAILS, CIN_ASSESSMENTS },
	{ "FactorsIdentifiedAtAssessment", CIN_ASSESSMENTS, CIN_FACTORS },
	{ "CINPlanDates", CIN_DETAILS, CIN_PLAN_DATES },
	{ "Section47", CIN_DETAILS, CIN_SECTION47 },
	{ "ChildProtectionPlans", CIN_DETAILS, CIN_CP_PLANS },
	{ "Reviews", CIN_CP_PLANS, CIN_CP_REVIEWS },
};

typedef enum leaf_action {
	LEAF_SET,          /* the field takes the element's text */
	LEAF_SET_BOOL,     /* true/false/1/0 to true/false */
	LEAF_SET_GENDER,   /* GenderCurrent 1, 2, 0, 9 to M, F, U, U */
	LEAF_APPEND,       /* a codes field: one more code */
	LEAF_REVIEW        /* a CP plan review: one cp_review record */
} leaf_action;

typedef struct leaf_element {
	cin_container container;
	const char *element;
	cin_slot_id slot;
	const char *field;
	leaf_action action;
} leaf_element;

static const leaf_element leaves[] = {
	{ CIN_CHILD_IDENTIFIERS, "LAchildID", SLOT_CHILD, "child_id", LEAF_SET },
	{ CIN_CHILD_IDENTIFIERS, "PersonBirthDate", SLOT_CHILD, "birth_date", LEAF_SET },
	{ CIN_CHILD_IDENTIFIERS, "ExpectedPersonBirthDate", SLOT_CHILD, "expected_birth_date", LEAF_SET },
	{ CIN_CHILD_IDENTIFIERS, "GenderCurrent", SLOT_CHILD, "sex", LEAF_SET_GENDER },
	{ CIN_CHILD_IDENTIFIERS, "Sex", SLOT_CHILD, "sex", LEAF_SET },
	{ CIN_CHILD_CHARACTERISTICS, "Ethnicity", SLOT_CHILD, "ethnicity", LEAF_SET },
	{ CIN_DISABILITIES, "Disability", SLOT_CHILD, "disabilities", LEAF_APPEND },
	{ CIN_DETAILS, "CINreferralDate", SLOT_REFERRAL, "referral_date", LEAF_SET },
	{ CIN_DETAILS, "ReferralSource", SLOT_REFERRAL, "referral_source", LEAF_SET },
	{ CIN_DETAILS, "PrimaryNeedCode", SLOT_REFERRAL, "primary_need", LEAF_SET },
	{ CIN_DETAILS, "ReferralNFA", SLOT_REFERRAL, "referral_nfa", LEAF_SET_BOOL },
	{ CIN_DETAILS, "CINclosureDate", SLOT_REFERRAL, "closure_date", LEAF_SET },
	{ CIN_DETAILS, "ReasonForClosure", SLOT_REFERRAL, "closure_reason", LEAF_SET },
	{ CIN_DETAILS, "DateOfInitialCPC", SLOT_REFERRAL, "initial_cpc_date", LEAF_SET },
	{ CIN_ASSESSMENTS, "AssessmentActualStartDate", SLOT_ASSESSMENT, "start_date", LEAF_SET },
	{ CIN_ASSESSMENTS, "AssessmentAuthorisationDate", SLOT_ASSESSMENT, "authorisation_date", LEAF_SET },
	{ CIN_FACTORS, "AssessmentFactors", SLOT_ASSESSMENT, "factors", LEAF_APPEND },
	{ CIN_PLAN_DATES, "CINPlanStartDate", SLOT_CIN_PLAN, "start_date", LEAF_SET },
	{ CIN_PLAN_DATES, "CINPlanEndDate", SLOT_CIN_PLAN, "end_date", LEAF_SET },
	{ CIN_SECTION47, "S47ActualStartDate", SLOT_S47, "start_date", LEAF_SET },
	{ CIN_SECTION47, "InitialCPCtarget", SLOT_S47, "icpc_target_date", LEAF_SET },
	{ CIN_SECTION47, "DateOfInitialCPC", SLOT_S47, "icpc_date", LEAF_SET },
	{ CIN_SECTION47, "ICPCnotRequired", SLOT_S47, "icpc_not_required", LEAF_SET_BOOL },
	{ CIN_CP_PLANS, "CPPstartDate", SLOT_CP_PLAN, "start_date", LEAF_SET },
	{ CIN_CP_PLANS, "CPPendDate", SLOT_CP_PLAN, "end_date", LEAF_SET },
	{ CIN_CP_PLANS, "InitialCategoryOfAbuse", SLOT_CP_PLAN, "initial_category", LEAF_SET },
	{ CIN_CP_PLANS, "LatestCategoryOfAbuse", SLOT_CP_PLAN, "latest_category", LEAF_SET },
	{ CIN_CP_PLANS, "NumberOfPreviousCPP", SLOT_CP_PLAN, "previous_plans", LEAF_SET },
	{ CIN_CP_REVIEWS, "CPPreviewDate", SLOT_CP_REVIEW, "review_date", LEAF_REVIEW },
};

typedef struct cin_slot {
	const csperf_record_schema *schema;
	unsigned long line;
	char values[CIN_MAX_FIELDS][CIN_VALUE_SIZE];
	const char *value_pointers[CIN_MAX_FIELDS];
	const char *source_fields[CIN_MAX_FIELDS];
} cin_slot;

typedef struct cin_reader {
	const char *path;
	formats_record_cb cb;
	void *ctx;
	formats_error *err;

	cin_container stack[CIN_MAX_DEPTH];
	cin_slot slots[NSLOTS];
	bool child_passed_on;           /* the current Child's record was passed on */
	bool ends_with_root_end;        /* the file's last tag is </Message> */

	const leaf_element *leaf;       /* the leaf whose text is being read */
	int leaf_depth;
	unsigned long leaf_line;
	char text[CIN_VALUE_SIZE];
	size_t text_length;

	bool xml_failed;                /* libxml2 reported an error */
	int xml_error_code;             /* the first error's */
	unsigned long xml_error_line;
	char xml_error_message[200];
	char xml_error_element[64];     /* the first element an error names */
} cin_reader;

static void reset_slot(cin_slot *slot, unsigned long line)
{
	for (size_t i = 0; i < slot->schema->nfields; i++) {
		slot->values[i][0] = '\0';
		slot->source_fields[i] = NULL;
	}
	slot->line = line;
}

static void set_value(cin_slot *slot, const char *field, const char *value,
	const char *source_field)
{
	int index = csperf_schema_field_index(slot->schema, field);
	char *destination = slot->values[index];
	size_t length = strlen(value);

	if (length >= CIN_VALUE_SIZE)
		length = CIN_VALUE_SIZE - 1;
	memcpy(destination, value, length);
	destination[length] = '\0';
	slot->source_fields[index] = source_field;
}

/* Adds one code to a codes field, space-separated, cut short if the field
 * is full (then too long to pass validation anyway). */
static void append_value(cin_slot *slot, const char *field, const char *code,
	const char *source_field)
{
	int index = csperf_schema_field_index(slot->schema, field);
	char *destination = slot->values[index];
	size_t used = strlen(destination);

	if (*code == '\0')
		return;
	snprintf(destination + used, CIN_VALUE_SIZE - used, "%s%s",
		used > 0 ? " " : "", code);
	slot->source_fields[index] = source_field;
}

/* Copies a field already read into a record that belongs to it: a child's
 * id into its referral, a referral's date into its assessment. */
static void copy_value(cin_slot *to, const char *to_field,
	const cin_slot *from, const char *from_field)
{
	int index = csperf_schema_field_index(from->schema, from_field);

	set_value(to, to_field, from->values[index], from->source_fields[index]);
}

static int pass_on(cin_reader *reader, cin_slot *slot)
{
	formats_record record;

	for (size_t i = 0; i < slot->schema->nfields; i++)
		slot->value_pointers[i] = slot->values[i];
	record.type = slot->schema->type;
	record.file = reader->path;
	record.line = slot->line;
	record.nvalues = slot->schema->nfields;
	record.values = slot->value_pointers;
	record.source_fields = slot->source_fields;
	return reader->cb(&record, reader->ctx);
}

static int pass_on_child(cin_reader *reader)
{
	if (reader->child_passed_on)
		return 0;
	reader->child_passed_on = true;
	return pass_on(reader, &reader->slots[SLOT_CHILD]);
}

/* Starts a record that belongs to the current CINdetails. */
static void start_episode_record(cin_reader *reader, cin_slot_id id,
	unsigned long line)
{
	cin_slot *slot = &reader->slots[id];
	const cin_slot *referral = &reader->slots[SLOT_REFERRAL];

	reset_slot(slot, line);
	copy_value(slot, "child_id", referral, "child_id");
	copy_value(slot, "referral_date", referral, "referral_date");
}

static int start_container(cin_reader *reader, cin_container container,
	unsigned long line)
{
	int status;

	switch (container) {
	case CIN_CHILD:
		reset_slot(&reader->slots[SLOT_CHILD], line);
		reader->child_passed_on = false;
		return 0;
	case CIN_DETAILS:
		status = pass_on_child(reader);
		if (status != 0)
			return status;
		reset_slot(&reader->slots[SLOT_REFERRAL], line);
		copy_value(&reader->slots[SLOT_REFERRAL], "child_id",
			&reader->slots[SLOT_CHILD], "child_id");
		return 0;
	case CIN_ASSESSMENTS:
		start_episode_record(reader, SLOT_ASSESSMENT, line);
		return 0;
	case CIN_PLAN_DATES:
		start_episode_record(reader, SLOT_CIN_PLAN, line);
		return 0;
	case CIN_SECTION47:
		start_episode_record(reader, SLOT_S47, line);
		return 0;
	case CIN_CP_PLANS:
		start_episode_record(reader, SLOT_CP_PLAN, line);
		return 0;
	default:
		return 0;
	}
}

static int end_container(cin_reader *reader, cin_container container)
{
	switch (container) {
	case CIN_CHILD:
		return pass_on_child(reader);
	case CIN_DETAILS:
		return pass_on(reader, &reader->slots[SLOT_REFERRAL]);
	case CIN_ASSESSMENTS:
		return pass_on(reader, &reader->slots[SLOT_ASSESSMENT]);
	case CIN_PLAN_DATES:
		return pass_on(reader, &reader->slots[SLOT_CIN_PLAN]);
	case CIN_SECTION47:
		return pass_on(reader, &reader->slots[SLOT_S47]);
	case CIN_CP_PLANS:
		return pass_on(reader, &reader->slots[SLOT_CP_PLAN]);
	default:
		return 0;
	}
}

static const char *gender_as_sex(const char *gender)
{
	if (strcmp(gender, "1") == 0)
		return "M";
	if (strcmp(gender, "2") == 0)
		return "F";
	if (strcmp(gender, "0") == 0 || strcmp(gender, "9") == 0)
		return "U";
	return gender;
}

static const char *xml_boolean(const char *text)
{
	if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0)
		return "true";
	if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0)
		return "false";
	return text;
}

/* The text of a leaf, without the blank space around it. */
static const char *trimmed_text(cin_reader *reader)
{
	char *start = reader->text;
	char *end = reader->text + reader->text_length;

	while (start < end && strchr(" \t\r\n", *start) != NULL)
		start++;
	while (end > start && strchr(" \t\r\n", end[-1]) != NULL)
		end--;
	*end = '\0';
	return start;
}

static int end_leaf(cin_reader *reader)
{
	const leaf_element *leaf = reader->leaf;
	cin_slot *slot = &reader->slots[leaf->slot];
	const char *text = trimmed_text(reader);

	reader->leaf = NULL;
	switch (leaf->action) {
	case LEAF_SET:
		set_value(slot, leaf->field, text, leaf->element);
		return 0;
	case LEAF_SET_BOOL:
		set_value(slot, leaf->field, xml_boolean(text), leaf->element);
		return 0;
	case LEAF_SET_GENDER:
		set_value(slot, leaf->field, gender_as_sex(text), leaf->element);
		return 0;
	case LEAF_APPEND:
		append_value(slot, leaf->field, text, leaf->element);
		return 0;
	case LEAF_REVIEW:
		start_episode_record(reader, SLOT_CP_REVIEW, reader->leaf_line);
		copy_value(slot, "plan_start_date", &reader->slots[SLOT_CP_PLAN],
			"start_date");
		set_value(slot, leaf->field, text, leaf->element);
		return pass_on(reader, slot);
	}
	return 0;
}

static int start_element(cin_reader *reader, const char *name, int depth,
	unsigned long line)
{
	cin_container parent = depth > 0 ? reader->stack[depth - 1] : CIN_OUTSIDE;

	reader->stack[depth] = CIN_OUTSIDE;
	if (depth == 0 && strcmp(name, "Message") != 0) {
		formats_error_set(reader->err, reader->path, line, name, NULL,
			"the root element is %s, not the CIN census's Message", name);
		return FORMATS_EUNKNOWN;
	}
	if (depth > 0 && parent == CIN_OUTSIDE)
		return 0;

	for (size_t i = 0; i < sizeof(containers) / sizeof(containers[0]); i++) {
		if (containers[i].parent == parent &&
		    strcmp(containers[i].element, name) == 0) {
			reader->stack[depth] = containers[i].container;
			return start_container(reader, containers[i].container, line);
		}
	}
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		if (leaves[i].container == parent &&
		    strcmp(leaves[i].element, name) == 0) {
			reader->leaf = &leaves[i];
			reader->leaf_depth = depth;
			reader->leaf_line = line;
			reader->text_length = 0;
			reader->text[0] = '\0';
			return 0;
		}
	}
	return 0;
}

static int end_element(cin_reader *reader, int depth)
{
	cin_container container = reader->stack[depth];

	if (reader->leaf != NULL && depth == reader->leaf_depth)
		return end_leaf(reader);
	reader->stack[depth] = CIN_OUTSIDE;
	return end_container(reader, container);
}

static void append_text(cin_reader *reader, const char *text)
{
	size_t room = CIN_VALUE_SIZE - 1 - reader->text_length;
	size_t length = strlen(text);

	if (length > room)
		length = room;
	memcpy(reader->text + reader->text_length, text, length);
	reader->text_length += length;
	reader->text[reader->text_length] = '\0';
}

/* libxml2's errors come here rather than to stderr. The first says what is
 * wrong; a later one may be the first to name the element. */
static void on_xml_error(void *opaque, xmlErrorPtr error)
{
	cin_reader *reader = opaque;
	size_t length;

	if (error == NULL || error->level < XML_ERR_ERROR)
		return;
	if (reader->xml_error_element[0] == '\0' && error->str1 != NULL)
		snprintf(reader->xml_error_element,
			sizeof(reader->xml_error_element), "%s", error->str1);
	if (reader->xml_failed)
		return;
	reader->xml_failed = true;
	reader->xml_error_code = error->code;
	reader->xml_error_line = error->line > 0 ? (unsigned long)error->line : 0;
	snprintf(reader->xml_error_message, sizeof(reader->xml_error_message),
		"%s", error->message != NULL ? error->message : "malformed XML");
	length = strlen(reader->xml_error_message);
	while (length > 0 && strchr(" \r\n", reader->xml_error_message[length - 1]))
		reader->xml_error_message[--length] = '\0';
}

/* Reads every node, handing elements and text to the functions above. */
static int read_nodes(cin_reader *reader, xmlTextReaderPtr xml)
{
	int read_status;

	while ((read_status = xmlTextReaderRead(xml)) == 1) {
		int depth = xmlTextReaderDepth(xml);
		int status = 0;

		if (depth < 0 || depth >= CIN_MAX_DEPTH)
			continue;
		switch (xmlTextReaderNodeType(xml)) {
		case XML_READER_TYPE_ELEMENT: {
			const char *name = (const char *)xmlTextReaderConstLocalName(xml);
			/* The parser reads ahead: the node knows its own line. */
			long node_line = xmlGetLineNo(xmlTextReaderCurrentNode(xml));
			unsigned long line = node_line > 0 ? (unsigned long)node_line : 0;

			status = start_element(reader, name, depth, line);
			if (status == 0 && xmlTextReaderIsEmptyElement(xml) == 1)
				status = end_element(reader, depth);
			break;
		}
		case XML_READER_TYPE_END_ELEMENT:
			status = end_element(reader, depth);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			if (reader->leaf != NULL && depth == reader->leaf_depth + 1)
				append_text(reader,
					(const char *)xmlTextReaderConstValue(xml));
			break;
		default:
			break;
		}
		if (status != 0)
			return status;
	}
	if (read_status < 0 || reader->xml_failed) {
		unsigned long line = reader->xml_error_line > 0 ?
			reader->xml_error_line :
			(unsigned long)xmlTextReaderGetParserLineNumber(xml);
		const char *element = reader->xml_error_element[0] != '\0' ?
			reader->xml_error_element : NULL;

		/* libxml2's reader says "Extra content at the end of the document"
		 * also of a file cut short between two elements. */
		if (reader->xml_error_code == XML_ERR_DOCUMENT_END &&
		    !reader->ends_with_root_end)
			formats_error_set(reader->err, reader->path, line, element, NULL,
				"the XML is malformed: the file ends before its elements are closed, so it is cut short");
		else
			formats_error_set(reader->err, reader->path, line, element, NULL,
				"the XML is malformed: %s", reader->xml_failed ?
				reader->xml_error_message : "the parser stopped");
		return FORMATS_EFORMAT;
	}
	return 0;
}

/* Whether the file's last tag is the end of a Message element, as in any
 * file that is not cut short. */
static bool ends_with_message_end(FILE *file)
{
	static const char message_end[] = "Message>";
	char tail[64];
	size_t length;
	long size;

	if (fseek(file, 0, SEEK_END) != 0 || (size = ftell(file)) < 0)
		return false;
	length = size < (long)sizeof(tail) ? (size_t)size : sizeof(tail);
	if (fseek(file, -(long)length, SEEK_END) != 0 ||
	    fread(tail, 1, length, file) != length)
		return false;
	while (length > 0 && strchr(" \t\r\n", tail[length - 1]) != NULL)
		length--;
	return length >= sizeof(message_end) - 1 &&
		memcmp(tail + length - (sizeof(message_end) - 1), message_end,
			sizeof(message_end) - 1) == 0;
}

int formats_read_cin_xml(const char *path, formats_record_cb cb, void *ctx,
	formats_error *err)
{
	cin_reader *reader = NULL;
	xmlTextReaderPtr xml = NULL;
	FILE *probe = NULL;
	int status;

	formats_error_clear(err);
	/* libxml2 would only say "failed to load external entity". */
	probe = fopen(path, "rb");
	if (probe == NULL) {
		formats_error_set(err, path, 0, NULL, NULL, "cannot open: %s",
			strerror(errno));
		status = FORMATS_EIO;
		goto cleanup;
	}
	reader = calloc(1, sizeof(*reader));
	if (reader == NULL) {
		formats_error_set(err, path, 0, NULL, NULL, "out of memory");
		status = FORMATS_ENOMEM;
		goto cleanup;
	}
	reader->ends_with_root_end = ends_with_message_end(probe);
	fclose(probe);
	probe = NULL;
	reader->path = path;
	reader->cb = cb;
	reader->ctx = ctx;
	reader->err = err;
	for (int id = 0; id < NSLOTS; id++)
		reader->slots[id].schema = csperf_schema_by_type(slot_types[id]);

	xmlInitParser();
	/* BIG_LINES: line numbers past 65535 are kept, not capped. */
	xml = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	if (xml == NULL) {
		formats_error_set(err, path, 0, NULL, NULL,
			"libxml2 cannot read the file");
		status = FORMATS_EIO;
		goto cleanup;
	}
	xmlTextReaderSetStructuredErrorHandler(xml, on_xml_error, reader);
	status = read_nodes(reader, xml);

cleanup:
	if (probe != NULL)
		fclose(probe);
	if (xml != NULL)
		xmlFreeTextReader(xml);
	free(reader);
	return status;
}

int formats_cin_reference_date(const char *path, char out[11])
{
	xmlTextReaderPtr xml = xmlReaderForFile(path, NULL,
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	int rc = -1;
	bool in_reference = false;

	if (xml == NULL)
		return -1;
	while (rc != 0 && xmlTextReaderRead(xml) == 1) {
		int type = xmlTextReaderNodeType(xml);
		const char *name = (const char *)xmlTextReaderConstLocalName(xml);
		if (type == XML_READER_TYPE_ELEMENT) {
			/* the Header comes first: no need to read the children */
			if (strcmp(name, "Children") == 0 || strcmp(name, "Child") == 0)
				break;
			in_reference = strcmp(name, "ReferenceDate") == 0;
		} else if (type == XML_READER_TYPE_TEXT && in_reference) {
			const char *text = (const char *)xmlTextReaderConstValue(xml);
			int32_t day;
			while (*text == ' ' || *text == '\n' || *text == '\t' || *text == '\r')
				text++;
			if (strlen(text) >= 10) {
				char date[11];
				memcpy(date, text, 10);
				date[10] = '\0';
				if (csperf_date_parse_iso(date, &day) == 0) {
					memcpy(out, date, 11);
					rc = 0;
				}
			}
			in_reference = false;
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			in_reference = false;
		}
	}
	xmlFreeTextReader(xml);
	return rc;
}
