/*
 * generate.c: the man page (csperf.1) and the bash and zsh completion
 * scripts, made from the help texts of the command table (commands.def) and
 * the global options' help, so that what `csperf help CMD` says, what the
 * man page says and what completes are the same. The build runs
 * `csperf --generate man|bash|zsh`; `cmake --install` installs the results.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define MAX_WORDS 64

typedef struct words {
	char word[MAX_WORDS][40];
	size_t count;
} words;

static void add_word(words *w, const char *text, size_t len)
{
	if (len == 0 || len >= sizeof(w->word[0]) || w->count == MAX_WORDS)
		return;
	for (size_t i = 0; i < w->count; i++)
		if (strlen(w->word[i]) == len && strncmp(w->word[i], text, len) == 0)
			return;
	memcpy(w->word[w->count], text, len);
	w->word[w->count++][len] = '\0';
}

/* The --options a help text names. */
static void options_of(const char *help, words *w)
{
	for (const char *p = strstr(help, "--"); p != NULL; p = strstr(p + 2, "--")) {
		size_t len = 2;

		if (p > help && isalnum((unsigned char)p[-1]))
			continue;
		while (isalnum((unsigned char)p[len]) || p[len] == '-')
			len++;
		if (len > 2)
			add_word(w, p, len);
	}
}

/* The sub-commands on a help text's usage lines: "csperf NAME WORD ...". */
static void subcommands_of(const char *name, const char *help, words *w)
{
	char prefix[64];
	size_t plen = (size_t)snprintf(prefix, sizeof(prefix), "csperf %s ", name);

	for (const char *p = strstr(help, prefix); p != NULL; p = strstr(p + 1, prefix)) {
		const char *word = p + plen;
		size_t len = 0;

		while (islower((unsigned char)word[len]) || word[len] == '-')
			len++;
		if (len > 0 && word[0] != '-' && (word[len] == ' ' || word[len] == '\n'))
			add_word(w, word, len);
	}
}

/* What completes after a command: its sub-commands and options. */
static void command_words(const cli_command *command, words *w)
{
	w->count = 0;
	subcommands_of(command->name, command->help, w);
	options_of(command->help, w);
	add_word(w, "--help", 6);
}

/* Roff text: a line starting with . or ' is escaped, and every backslash. */
static void roff_block(const char *text, FILE *out)
{
	bool line_start = true;

	fputs(".nf\n", out);
	for (const char *p = text; *p != '\0'; p++) {
		if (line_start && (*p == '.' || *p == '\''))
			fputs("\\&", out);
		if (*p == '\\')
			fputs("\\e", out);
		else if (*p == '-')
			fputs("\\-", out);
		else
			fputc(*p, out);
		line_start = *p == '\n';
	}
	fputs(line_start ? ".fi\n" : "\n.fi\n", out);
}

static void man_page(FILE *out)
{
	fprintf(out, ".TH CSPERF 1 \"\" \"csperf %s\" \"User Commands\"\n", csperf_version());
	fputs(".SH NAME\ncsperf \\- children's services performance, from csperfd\n"
	      ".SH SYNOPSIS\n.B csperf\n[\\fIglobal options\\fR] \\fICOMMAND\\fR [\\fIoptions\\fR]\n"
	      ".br\n.B csperf help\n\\fICOMMAND\\fR\n"
	      ".SH DESCRIPTION\ncsperf talks to csperfd, the children's services performance "
	      "server, through libcsperf. Global options may stand before or after the command.\n"
	      ".SH COMMANDS\n", out);
	for (size_t i = 0; i < cli_ncommands; i++) {
		fprintf(out, ".SS %s\n", cli_commands[i].name);
		roff_block(cli_commands[i].summary, out);
		fputs("\n", out);
		roff_block(cli_commands[i].help, out);
	}
	fputs(".SH OPTIONS\n", out);
	roff_block(cli_global_help, out);
	fputs(".SH EXIT STATUS\n", out);
	roff_block(cli_exit_help, out);
	fputs(".SH ENVIRONMENT\nCSPERF_SERVER, CSPERF_TOKEN, CSPERF_TOKEN_FILE, CSPERF_TIMEOUT, "
	      "CSPERF_TLS_CA, CSPERF_TLS_CLIENT_CERT, CSPERF_TLS_CLIENT_KEY, CSPERF_CONFIG; "
	      "NO_COLOR and TERM=dumb turn colour off; COLUMNS is the width tables fit.\n"
	      ".SH FILES\n\\fI$XDG_CONFIG_HOME/csperf/config\\fR (else "
	      "\\fI~/.config/csperf/config\\fR), mode 600.\n", out);
}

static void global_words(words *w)
{
	options_of(cli_global_help, w);
	add_word(w, "-s", 2);
	add_word(w, "-o", 2);
	add_word(w, "-f", 2);
}

static void bash_script(FILE *out)
{
	words global = { .count = 0 };

	global_words(&global);
	fputs("# bash completion for csperf (made by csperf --generate bash)\n"
	      "_csperf()\n{\n\tlocal cur cmd i words_\n"
	      "\tcur=\"${COMP_WORDS[COMP_CWORD]}\"\n\tcmd=\"\"\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tcase \"${COMP_WORDS[i]}\" in -*) ;; *) cmd=\"${COMP_WORDS[i]}\"; break ;; esac\n"
	      "\tdone\n\tcase \"$cmd\" in\n", out);
	for (size_t i = 0; i < cli_ncommands; i++) {
		words w;

		command_words(&cli_commands[i], &w);
		fprintf(out, "\t%s) words_=\"", cli_commands[i].name);
		for (size_t j = 0; j < w.count; j++)
			fprintf(out, "%s%s", j > 0 ? " " : "", w.word[j]);
		fputs("\" ;;\n", out);
	}
	fputs("\thelp) words_=\"", out);
	for (size_t i = 0; i < cli_ncommands; i++)
		fprintf(out, "%s ", cli_commands[i].name);
	fputs("\" ;;\n\t*) words_=\"help ", out);
	for (size_t i = 0; i < cli_ncommands; i++)
		fprintf(out, "%s ", cli_commands[i].name);
	fputs("--help --version\" ;;\n\tesac\n\twords_=\"$words_ ", out);
	for (size_t j = 0; j < global.count; j++)
		fprintf(out, "%s%s", j > 0 ? " " : "", global.word[j]);
	fputs("\"\n\tCOMPREPLY=($(compgen -W \"$words_\" -- \"$cur\"))\n"
	      "\t[[ $cur != -* ]] && COMPREPLY+=($(compgen -f -- \"$cur\"))\n}\n"
	      "complete -F _csperf csperf\n", out);
}

/* A zsh description: no quotes or colons that would end it. */
static void zsh_text(const char *text, FILE *out)
{
	for (const char *p = text; *p != '\0'; p++)
		fputc(*p == '\'' || *p == '`' ? ' ' : *p == ':' ? ';' : *p, out);
}

static void zsh_script(FILE *out)
{
	words global = { .count = 0 };

	global_words(&global);
	fputs("#compdef csperf\n# zsh completion for csperf (made by csperf --generate zsh)\n"
	      "_csperf() {\n\tlocal -a commands opts\n\tlocal cmd w\n\tcommands=(\n", out);
	for (size_t i = 0; i < cli_ncommands; i++) {
		fprintf(out, "\t\t'%s:", cli_commands[i].name);
		zsh_text(cli_commands[i].summary, out);
		fputs("'\n", out);
	}
	fputs("\t\t'help:the help of a command'\n\t)\n\tcmd=\n"
	      "\tfor w in ${words[2,CURRENT-1]}; do\n"
	      "\t\tcase $w in -*) ;; *) cmd=$w; break ;; esac\n\tdone\n"
	      "\tif [[ -z $cmd && $PREFIX != -* ]]; then\n"
	      "\t\t_describe 'command' commands\n\t\treturn\n\tfi\n\tcase $cmd in\n", out);
	for (size_t i = 0; i < cli_ncommands; i++) {
		words w;

		command_words(&cli_commands[i], &w);
		fprintf(out, "\t%s) opts=(", cli_commands[i].name);
		for (size_t j = 0; j < w.count; j++)
			fprintf(out, "%s%s", j > 0 ? " " : "", w.word[j]);
		fputs(") ;;\n", out);
	}
	fputs("\thelp) _describe 'command' commands; return ;;\n\tesac\n\topts+=(", out);
	for (size_t j = 0; j < global.count; j++)
		fprintf(out, "%s%s", j > 0 ? " " : "", global.word[j]);
	fputs(")\n\tcompadd -- $opts\n\t_files\n}\n_csperf \"$@\"\n", out);
}

int cli_generate(const char *kind, FILE *out)
{
	if (strcmp(kind, "man") == 0)
		man_page(out);
	else if (strcmp(kind, "bash") == 0)
		bash_script(out);
	else if (strcmp(kind, "zsh") == 0)
		zsh_script(out);
	else
		return -1;
	return fflush(out) == 0 ? 0 : -1;
}
