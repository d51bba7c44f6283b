/*
 * main.c: the csperf tool: the table of commands (commands.def), the global
 * options (which may stand before or after the command, as in git and
 * kubectl), the per-user config file, `csperf help CMD` and "did you mean".
 * Built only on the public SDK (csperf/csperf.h), as curl's tool is on
 * libcurl.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const cli_command cli_commands[] = {
#define CLI_COMMAND(name, ident, flags, summary) \
	{ name, summary, cmd_##ident##_help, flags, cmd_##ident },
#include "commands.def"
#undef CLI_COMMAND
};

const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);

const char cli_global_help[] =
"Global options, before or after the command (environment variable and\n"
"config file key in brackets; a flag wins, then the environment, then the\n"
"config file):\n"
"  -s, --server ADDR   csperfd's address [CSPERF_SERVER, server] (default\n"
"                      127.0.0.1:50051); several: host1:50051,host2:50051\n"
"                      (balanced, fail over)\n"
"      --token-file FILE  read the bearer token from FILE, readable by you\n"
"                      only [CSPERF_TOKEN_FILE, token_file]\n"
"      --token TOKEN   the bearer token itself [CSPERF_TOKEN]; on the command\n"
"                      line it shows in `ps`: prefer --token-file\n"
"      --tls-ca FILE   speak TLS; csperfd's certificate is signed by a CA in\n"
"                      this PEM file [CSPERF_TLS_CA, tls_ca]\n"
"      --tls-cert FILE a PEM client certificate, for a csperfd that asks for\n"
"                      one [CSPERF_TLS_CLIENT_CERT, tls_cert]\n"
"      --tls-key FILE  its PEM private key [CSPERF_TLS_CLIENT_KEY, tls_key]\n"
"      --timeout S     seconds each call may take [CSPERF_TIMEOUT, timeout]\n"
"                      (default 60; load and costs export: as long as needed)\n"
"  -o, --output-format FMT  table, json or csv (default table)\n"
"  -f, --format FMT    the same, except on load (and validate), where --format\n"
"                      names the input and only -o/--output-format the output\n"
"      --wide          whole titles in tables, whatever the terminal's width\n"
"      --no-color      no colour or arrows (also NO_COLOR=1, or TERM=dumb)\n"
"  -h, --help          this text; `csperf help COMMAND` for a command\n"
"  -V, --version       csperf's version\n"
"      --generate man|bash|zsh  print the man page or a completion script\n"
"\n"
"Config file: $CSPERF_CONFIG, else $XDG_CONFIG_HOME/csperf/config, else\n"
"~/.config/csperf/config: `key = value` lines (server, token_file, council,\n"
"timeout, tls_ca, tls_cert, tls_key; # starts a comment). It must be yours\n"
"and readable by you only (chmod 600), as must a token file; csperf refuses\n"
"them otherwise. Its `council` is the council of the commands that take one,\n"
"when none is given.\n";

const char cli_exit_help[] =
"Exit status, the same for every command:\n"
"  0  success\n"
"  1  bad usage, or a value csperf checks itself (a period, stage, date,\n"
"     council or indicator id): the message names it and shows a valid one\n"
"  2  csperfd answered with an error, or is not serving\n"
"  3  csperfd could not be reached, or did not answer in time\n"
"  4  no valid token, or the token does not allow it\n"
"  5  input rejected (records of a load, a definition, a comparators file)\n"
"  6  a local problem: an input file missing or unreadable, the config or\n"
"     token file readable by others, memory, writing the output\n"
"  7  nothing there: no such council, indicator or load, or no data for the\n"
"     period asked (e.g. a period after the council's data end)\n";

static void usage(FILE *out)
{
	fprintf(out,
"Usage: csperf [global options] COMMAND [options]\n"
"\n"
"csperf talks to csperfd, the children's services performance server.\n"
"\n"
"Commands:\n");
	for (size_t i = 0; i < cli_ncommands; i++)
		fprintf(out, "  %-11s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fprintf(out, "  %-11s %s\n\n%s\n%s", "help", "the help of a command: csperf help COMMAND",
		cli_global_help, cli_exit_help);
}

csperf_client *cli_client(const cli_globals *globals)
{
	csperf_client_options options = CSPERF_CLIENT_OPTIONS_INIT;
	csperf_client *client = NULL;

	options.server = globals->server;
	options.token = globals->token;
	options.timeout_ms = globals->timeout_ms > 0 ? globals->timeout_ms
						      : CLI_DEFAULT_TIMEOUT_S * 1000LL;
	options.tls_ca_file = globals->tls_ca;
	options.tls_cert_file = globals->tls_cert;
	options.tls_key_file = globals->tls_key;
	if (csperf_client_new(&client, &options) != CSPERF_OK) {
		fprintf(stderr, "csperf: %s\n", csperf_error_last());
		return NULL;
	}
	return client;
}

int cli_fail(int code)
{
	fprintf(stderr, "csperf: %s\n", csperf_error_last());
	switch (code) {
	case CSPERF_EUNAVAILABLE:
	case CSPERF_ETIMEOUT:
		/* A database that is down is the server's problem, not reachability. */
		return strstr(csperf_error_last(), "cannot reach") != NULL ||
		       code == CSPERF_ETIMEOUT ? CLI_EXIT_UNREACHABLE : CLI_EXIT_SERVER;
	case CSPERF_EAUTH:
	case CSPERF_EPERM:
		return CLI_EXIT_DENIED;
	case CSPERF_ENOTFOUND:
		return CLI_EXIT_NODATA;
	case CSPERF_ENOMEM:
		return CLI_EXIT_LOCAL;
	default:
		return CLI_EXIT_SERVER;
	}
}

int cli_print(const cli_globals *globals, const output_result *result)
{
	if (output_result_print(result, globals->format, stdout) != 0) {
		fprintf(stderr, "csperf: cannot write the output: %s\n", strerror(errno));
		return CLI_EXIT_LOCAL;
	}
	return CLI_EXIT_OK;
}

int cli_file_error(const char *command, const char *path, int errnum)
{
	fprintf(stderr, "csperf %s: cannot read %s: %s\n", command, path, strerror(errnum));
	return CLI_EXIT_LOCAL;
}

/* ---- settings: flag, then environment, then config file ---- */

enum { SET_SERVER, SET_TOKEN, SET_TOKEN_FILE, SET_TIMEOUT, SET_FORMAT, SET_TLS_CA,
       SET_TLS_CERT, SET_TLS_KEY, SET_COUNCIL, SET_WIDE, SET_NO_COLOR, NSETTINGS };

typedef struct setting_spec {
	const char *option;     /* long option, NULL for none */
	char short_name;        /* 0 for none */
	bool has_value;
	const char *env;        /* NULL for none */
	const char *config_key; /* NULL for none */
} setting_spec;

static const setting_spec settings[NSETTINGS] = {
	[SET_SERVER] = { "server", 's', true, "CSPERF_SERVER", "server" },
	[SET_TOKEN] = { "token", 0, true, "CSPERF_TOKEN", NULL },
	[SET_TOKEN_FILE] = { "token-file", 0, true, "CSPERF_TOKEN_FILE", "token_file" },
	[SET_TIMEOUT] = { "timeout", 0, true, "CSPERF_TIMEOUT", "timeout" },
	[SET_FORMAT] = { "output-format", 'o', true, NULL, NULL },
	[SET_TLS_CA] = { "tls-ca", 0, true, "CSPERF_TLS_CA", "tls_ca" },
	[SET_TLS_CERT] = { "tls-cert", 0, true, "CSPERF_TLS_CLIENT_CERT", "tls_cert" },
	[SET_TLS_KEY] = { "tls-key", 0, true, "CSPERF_TLS_CLIENT_KEY", "tls_key" },
	[SET_COUNCIL] = { NULL, 0, true, NULL, "council" },
	[SET_WIDE] = { "wide", 0, false, NULL, NULL },
	[SET_NO_COLOR] = { "no-color", 0, false, NULL, NULL },
};

typedef struct cli_settings {
	const char *flag[NSETTINGS];
	char *config[NSETTINGS];
	char config_path[4096];
} cli_settings;

static const char *setting(const cli_settings *s, int which)
{
	const char *env = settings[which].env != NULL ? getenv(settings[which].env) : NULL;

	if (s->flag[which] != NULL)
		return s->flag[which];
	if (env != NULL && env[0] != '\0')
		return env;
	return s->config[which];
}

/* A file holding a secret (or what points at one) must be the user's and
 * readable by nobody else, as ssh insists of its keys and config. */
static int check_private(const char *path, const char *what)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return cli_file_error(what, path, errno);
	if (st.st_uid != getuid() || (st.st_mode & 077) != 0) {
		fprintf(stderr, "csperf: %s %s must be yours and readable by you only (mode %04o"
			"): chmod 600 %s\n", what, path, (unsigned)(st.st_mode & 07777), path);
		return CLI_EXIT_LOCAL;
	}
	return 0;
}

static char *trim(char *text)
{
	char *end;

	while (isspace((unsigned char)*text))
		text++;
	end = text + strlen(text);
	while (end > text && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return text;
}

static int read_config(cli_settings *s)
{
	const char *explicit = getenv("CSPERF_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME"),
		   *home = getenv("HOME");
	char line[4096];
	unsigned long number = 0;
	FILE *file;
	int rc = 0;

	if (explicit != NULL && explicit[0] != '\0')
		snprintf(s->config_path, sizeof(s->config_path), "%s", explicit);
	else if (xdg != NULL && xdg[0] != '\0')
		snprintf(s->config_path, sizeof(s->config_path), "%s/csperf/config", xdg);
	else if (home != NULL && home[0] != '\0')
		snprintf(s->config_path, sizeof(s->config_path), "%s/.config/csperf/config", home);
	else
		return 0;
	if (access(s->config_path, F_OK) != 0 && (explicit == NULL || explicit[0] == '\0'))
		return 0;   /* no config file: nothing to read */
	rc = check_private(s->config_path, "config file");
	if (rc != 0)
		return rc;
	file = fopen(s->config_path, "r");
	if (file == NULL)
		return cli_file_error("config", s->config_path, errno);
	while (rc == 0 && fgets(line, sizeof(line), file) != NULL) {
		char *text = line, *equals, *key, *value;
		int which = -1;

		number++;
		text[strcspn(text, "#")] = '\0';
		text = trim(text);
		if (text[0] == '\0')
			continue;
		equals = strchr(text, '=');
		if (equals == NULL) {
			fprintf(stderr, "csperf: %s line %lu: expected `key = value`\n",
				s->config_path, number);
			rc = CLI_EXIT_USAGE;
			break;
		}
		*equals = '\0';
		key = trim(text);
		value = trim(equals + 1);
		for (int i = 0; i < NSETTINGS; i++)
			if (settings[i].config_key != NULL && strcmp(settings[i].config_key, key) == 0)
				which = i;
		if (which < 0) {
			fprintf(stderr, "csperf: %s line %lu: unknown key '%s' (server, token_file, "
				"council, timeout, tls_ca, tls_cert or tls_key)\n", s->config_path,
				number, key);
			rc = CLI_EXIT_USAGE;
			break;
		}
		free(s->config[which]);
		s->config[which] = strdup(value);
	}
	fclose(file);
	return rc;
}

/* Reads the first line of a token file into a malloc'd string. */
static int read_token_file(const char *given, char **out)
{
	const char *home = getenv("HOME");
	char line[1024], expanded[4096];
	const char *path = given;
	FILE *file;
	int rc;

	/* "~/..." as a shell would read it: config files are written so. */
	if (strncmp(given, "~/", 2) == 0 && home != NULL) {
		snprintf(expanded, sizeof(expanded), "%s/%s", home, given + 2);
		path = expanded;
	}
	rc = check_private(path, "token file");

	if (rc != 0)
		return rc;
	file = fopen(path, "r");
	if (file == NULL)
		return cli_file_error("token", path, errno);
	if (fgets(line, sizeof(line), file) == NULL)
		line[0] = '\0';
	fclose(file);
	*out = strdup(trim(line));
	if ((*out)[0] == '\0') {
		fprintf(stderr, "csperf: token file %s is empty\n", path);
		return CLI_EXIT_LOCAL;
	}
	return 0;
}

static int parse_timeout(const char *text, long long *out_ms)
{
	char *end;
	double seconds;

	errno = 0;
	seconds = strtod(text, &end);
	if (errno != 0 || end == text || *end != '\0' || seconds <= 0 || seconds > 86400)
		return -1;
	*out_ms = (long long)(seconds * 1000.0 + 0.5);
	if (*out_ms < 1)
		*out_ms = 1;
	return 0;
}

/* ---- the command line ---- */

/* Whether arg is a global option; sets *which, *value (NULL for a flag) and
 * *used (1 or 2 arguments). -1 if it is one but its value is missing. */
static int match_global(const cli_command *command, char *arg, char *next, int *which,
			const char **value, int *used)
{
	const char *name = NULL;
	size_t len = 0;

	*value = NULL;
	*used = 1;
	if (arg[0] != '-' || arg[1] == '\0')
		return 0;
	if (arg[1] == '-') {
		name = arg + 2;
		len = strcspn(name, "=");
	}
	for (int i = 0; i < NSETTINGS; i++) {
		const setting_spec *spec = &settings[i];
		bool as_format = false;

		if (name != NULL) {
			as_format = i == SET_FORMAT && len == 6 && strncmp(name, "format", 6) == 0;
			if (!as_format && (spec->option == NULL || strlen(spec->option) != len ||
					   strncmp(name, spec->option, len) != 0))
				continue;
		} else {
			as_format = i == SET_FORMAT && arg[1] == 'f';
			if (!as_format && (spec->short_name == 0 || arg[1] != spec->short_name))
				continue;
			if (!spec->has_value && arg[2] != '\0')
				continue;
		}
		/* On load and validate, --format and -f are the command's: its input. */
		if (as_format && command != NULL && (command->flags & CLI_CMD_INPUT_FORMAT))
			return 0;
		*which = i;
		if (!spec->has_value)
			return name != NULL && name[len] == '=' ? -1 : 1;
		if (name != NULL && name[len] == '=')
			*value = name + len + 1;
		else if (name == NULL && arg[2] != '\0')
			*value = arg + 2;
		else if (next != NULL)
			*value = next, *used = 2;
		else
			return -1;
		return 1;
	}
	return 0;
}

/* Keeps a global option's value (the last one given wins). */
static void take_global(cli_settings *s, int which, const char *value, bool *wide,
			bool *no_color)
{
	if (which == SET_WIDE)
		*wide = true;
	else if (which == SET_NO_COLOR)
		*no_color = true;
	else
		s->flag[which] = value;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];

	if (lb >= 63 || la >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diagonal = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t above = row[j], best = diagonal + (a[i - 1] != b[j - 1]);

			if (above + 1 < best)
				best = above + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diagonal = above;
		}
	}
	return row[lb];
}

static const cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < cli_ncommands; i++)
		if (strcmp(name, cli_commands[i].name) == 0)
			return &cli_commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	const char *best = NULL;
	size_t best_distance = 3;

	for (size_t i = 0; i <= cli_ncommands; i++) {
		const char *candidate = i < cli_ncommands ? cli_commands[i].name : "help";
		size_t distance = edit_distance(name, candidate);

		if (strncmp(candidate, name, strlen(name)) == 0 && strlen(name) >= 3)
			distance = 1;
		if (distance < best_distance)
			best_distance = distance, best = candidate;
	}
	if (best != NULL)
		fprintf(stderr, "csperf: unknown command '%s'; did you mean '%s'?\n", name, best);
	else
		fprintf(stderr, "csperf: unknown command '%s'; see csperf --help\n", name);
	return CLI_EXIT_USAGE;
}

/* Whether the help text names --option (the options a command takes are the
 * ones its help shows). */
static bool help_names(const char *help, const char *option, size_t len)
{
	for (const char *p = strstr(help, "--"); p != NULL; p = strstr(p + 2, "--")) {
		const char *name = p + 2;

		if ((p == help || !isalnum((unsigned char)p[-1])) && strncmp(name, option, len) == 0 &&
		    !isalnum((unsigned char)name[len]) && name[len] != '-')
			return true;
	}
	return false;
}

/* An option the command's help does not show gets "did you mean". */
static int check_options(const cli_command *command, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char typed[64], candidate[64], best[64] = "";
		size_t best_distance = 3;
		const char *name;
		size_t len;

		if (strcmp(argv[i], "--") == 0)
			break;
		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		name = argv[i] + 2;
		len = strcspn(name, "=");
		if ((len == 4 && strncmp(name, "help", 4) == 0) || help_names(command->help, name, len))
			continue;
		snprintf(typed, sizeof(typed), "%.*s", (int)(len < 63 ? len : 63), name);
		for (const char *p = strstr(command->help, "--"); p != NULL; p = strstr(p + 2, "--")) {
			size_t n = 0, distance;

			while (n + 1 < sizeof(candidate) &&
			       (isalnum((unsigned char)p[2 + n]) || p[2 + n] == '-'))
				candidate[n] = p[2 + n], n++;
			candidate[n] = '\0';
			if (n == 0)
				continue;
			distance = edit_distance(typed, candidate);
			if (distance < best_distance) {
				best_distance = distance;
				memcpy(best, candidate, n + 1);
			}
		}
		if (best[0] != '\0')
			fprintf(stderr, "csperf %s: unknown option '--%s'; did you mean '--%s'?\n",
				command->name, typed, best);
		else
			fprintf(stderr, "csperf %s: unknown option '--%s'; see csperf help %s\n",
				command->name, typed, command->name);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

static int terminal_columns(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize size;

	if (env != NULL && atoi(env) > 0)
		return atoi(env);
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
		return size.ws_col;
	return 0;   /* a pipe or a file: nothing to fit */
}

static bool colour_wanted(bool no_color_flag)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (no_color_flag || (no_color != NULL && no_color[0] != '\0'))
		return false;
	if (term == NULL || strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDOUT_FILENO);
}

int main(int argc, char **argv)
{
	cli_settings s;
	cli_globals globals;
	const cli_command *command = NULL;
	char **args = calloc((size_t)argc + 3, sizeof(char *));
	char *token = NULL;
	const char *value;
	int nargs = 0, rc = CLI_EXIT_OK, which, used, i, pre_format = 0, pre_format_used = 0;
	bool wide = false, no_color = false;

	memset(&s, 0, sizeof(s));
	memset(&globals, 0, sizeof(globals));
	globals.format = OUTPUT_TABLE;
	if (args == NULL)
		return CLI_EXIT_LOCAL;
	/* Global options before the command, then the command's name. */
	for (i = 1; i < argc; i += used) {
		used = 1;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			goto out;
		}
		if (strcmp(argv[i], "-V") == 0 || strcmp(argv[i], "--version") == 0) {
			printf("csperf %s\n", csperf_version());
			goto out;
		}
		if (strcmp(argv[i], "--generate") == 0 || strncmp(argv[i], "--generate=", 11) == 0) {
			const char *kind = argv[i][10] == '=' ? argv[i] + 11 : i + 1 < argc ? argv[i + 1] : "";

			if (cli_generate(kind, stdout) != 0) {
				fprintf(stderr, "csperf: --generate takes man, bash or zsh, not '%s'\n", kind);
				rc = CLI_EXIT_USAGE;
			}
			goto out;
		}
		if (argv[i][0] != '-')
			break;
		switch (match_global(NULL, argv[i], i + 1 < argc ? argv[i + 1] : NULL, &which,
				     &value, &used)) {
		case 1:
			if (which == SET_FORMAT && strncmp(argv[i], "--output-format", 15) != 0 &&
			    strncmp(argv[i], "-o", 2) != 0)
				pre_format = i, pre_format_used = used;  /* -f: the command decides */
			else
				take_global(&s, which, value, &wide, &no_color);
			continue;
		case -1:
			fprintf(stderr, "csperf: missing value for '%s'; see csperf --help\n", argv[i]);
			rc = CLI_EXIT_USAGE;
			goto out;
		default:
			fprintf(stderr, "csperf: unknown option '%s'; see csperf --help\n", argv[i]);
			rc = CLI_EXIT_USAGE;
			goto out;
		}
	}
	if (i >= argc) {
		usage(stderr);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (strcmp(argv[i], "help") == 0) {
		const char *topic = NULL;

		/* `csperf help CMD`, global options around it allowed. */
		for (int j = i + 1; j < argc && topic == NULL; j += used) {
			used = 1;
			if (match_global(NULL, argv[j], argv[j + 1], &which, &value, &used) == 0 &&
			    argv[j][0] != '-')
				topic = argv[j];
		}
		if (topic == NULL)
			usage(stdout);
		else if ((command = find_command(topic)) != NULL)
			fputs(command->help, stdout);
		else
			rc = unknown_command(topic);
		goto out;
	}
	command = find_command(argv[i]);
	if (command == NULL) {
		rc = unknown_command(argv[i]);
		goto out;
	}
	/* -f before load names its input, as after it; before any other command,
	 * the output format. */
	args[nargs++] = argv[i];
	if (pre_format > 0 && (command->flags & CLI_CMD_INPUT_FORMAT)) {
		for (int j = 0; j < pre_format_used; j++)
			args[nargs++] = argv[pre_format + j];
	} else if (pre_format > 0) {
		match_global(NULL, argv[pre_format], argv[pre_format + 1], &which, &value, &used);
		s.flag[SET_FORMAT] = value;
	}
	/* After the command: its own options, with the global ones taken out. */
	for (i++; i < argc; i += used) {
		used = 1;
		if (strcmp(argv[i], "--") == 0) {
			while (i < argc)
				args[nargs++] = argv[i++];
			break;
		}
		switch (match_global(command, argv[i], i + 1 < argc ? argv[i + 1] : NULL, &which,
				     &value, &used)) {
		case 1:
			take_global(&s, which, value, &wide, &no_color);
			break;
		case -1:
			fprintf(stderr, "csperf %s: missing value for '%s'\n", command->name, argv[i]);
			rc = CLI_EXIT_USAGE;
			goto out;
		default:
			args[nargs++] = argv[i];
		}
	}
	rc = check_options(command, nargs, args);
	if (rc != 0)
		goto out;

	rc = read_config(&s);
	if (rc != 0)
		goto out;
	globals.server = setting(&s, SET_SERVER);
	if (globals.server == NULL)
		globals.server = CSPERF_DEFAULT_SERVER;
	globals.tls_ca = setting(&s, SET_TLS_CA);
	globals.tls_cert = setting(&s, SET_TLS_CERT);
	globals.tls_key = setting(&s, SET_TLS_KEY);
	globals.wide = wide;
	globals.colour = colour_wanted(no_color);
	globals.columns = wide ? 0 : terminal_columns();
	if ((value = setting(&s, SET_FORMAT)) != NULL &&
	    output_format_parse(value, &globals.format) != 0) {
		fprintf(stderr, "csperf: --output-format must be table, json or csv, not '%s'\n", value);
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if ((value = setting(&s, SET_TIMEOUT)) != NULL) {
		if (parse_timeout(value, &globals.timeout_ms) != 0) {
			fprintf(stderr, "csperf: --timeout must be a number of seconds, such as 60, "
				"not '%s'\n", value);
			rc = CLI_EXIT_USAGE;
			goto out;
		}
		globals.timeout_given = true;
	}
	/* The token: --token, --token-file, CSPERF_TOKEN, CSPERF_TOKEN_FILE, config. */
	if (s.flag[SET_TOKEN] != NULL) {
		globals.token = s.flag[SET_TOKEN];
	} else if (s.flag[SET_TOKEN_FILE] == NULL && getenv("CSPERF_TOKEN") != NULL &&
		   getenv("CSPERF_TOKEN")[0] != '\0') {
		globals.token = getenv("CSPERF_TOKEN");
	} else if ((value = setting(&s, SET_TOKEN_FILE)) != NULL) {
		rc = read_token_file(value, &token);
		if (rc != 0)
			goto out;
		globals.token = token;
	}
	/* The config file's council for the commands that take --council. */
	if ((command->flags & CLI_CMD_COUNCIL) && s.config[SET_COUNCIL] != NULL) {
		bool given = false;

		for (int j = 1; j < nargs; j++)
			if (strcmp(args[j], "--council") == 0 || strncmp(args[j], "--council=", 10) == 0)
				given = true;
		if (!given && !(nargs > 1 && strcmp(args[nargs - 1], "--") == 0)) {
			args[nargs++] = "--council";
			args[nargs++] = s.config[SET_COUNCIL];
		}
	}
	args[nargs] = NULL;
	rc = command->run(&globals, nargs, args);
out:
	for (i = 0; i < NSETTINGS; i++)
		free(s.config[i]);
	free(token);
	free(args);
	return rc;
}
