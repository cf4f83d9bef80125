/*
 * options.c: a command's options from one table.  Each entry names an
 * option and says where its value goes in the command's struct of
 * arguments and how it is checked, so that getopt_long's table, the
 * option string and the checks are written once.  Options that need
 * more than a store (repeated, mutually exclusive, parsed by the
 * library) go to the command's own function.
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "front.h"

#include "base/banned.h"

#define OPTSTRING_MAX	128
#define HELP_COLUMN	26	/* where option help starts, at most */

/* Whether option o takes an argument. */
static int
takes_arg(const struct fopt *o)
{
	switch (o->kind) {
	case FOPT_FLAG:
	case FOPT_CLEAR:
	case FOPT_QUIET:
	case FOPT_VERBOSE:
	case FOPT_HELP:
	case FOPT_VERSION:
		return 0;
	case FOPT_OWN:
		return o->arg != NULL;
	default:
		return 1;
	}
}

/* getopt_long's tables from ours; both are the caller's to free. */
static struct option *
build(const struct fopt *t, char *shorts, size_t size)
{
	struct option	*lo;
	size_t		 n, i, k = 0;

	for (n = 0; t[n].name != NULL; n++)
		;
	if ((lo = calloc(n + 1, sizeof *lo)) == NULL)
		return NULL;
	shorts[k++] = ':';	/* a missing argument is ':', not '?' */
	for (i = 0; i < n; i++) {
		lo[i].name = t[i].name;
		lo[i].has_arg = takes_arg(&t[i]) ? required_argument :
		    no_argument;
		lo[i].val = t[i].ch;
		if (t[i].ch < FOPT_LONG_ONLY && k + 3 < size) {
			shorts[k++] = (char)t[i].ch;
			if (lo[i].has_arg == required_argument)
				shorts[k++] = ':';
		}
	}
	shorts[k] = '\0';
	return lo;
}

static const struct fopt *
find(const struct fopt *t, int ch)
{
	for (; t->name != NULL; t++)
		if (t->ch == ch)
			return t;
	return NULL;
}

const char *const front_table_json[] = { "table", "json", NULL };

/* Set the int of a FOPT_CHOICE option to its argument's index. */
static int
choose(const struct command *cmd, const struct fopt *o, char *base)
{
	struct buf	b = BUF_INIT;
	size_t		i, n;
	int		st;

	for (n = 0; o->choices[n] != NULL; n++)
		if (strcmp(o->choices[n], optarg) == 0) {
			*(int *)(void *)(base + o->off) = (int)n;
			return 0;
		}
	/* "expected text, table or json, not 'x'" */
	for (i = 0; i < n; i++)
		buf_addf(&b, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ",
		    o->choices[i]);
	st = front_usage_error(cmd->usage, "--%s: expected %s, not '%s'",
	    o->name, b.data, optarg);
	buf_free(&b);
	return st;
}

/* Store optarg as option o says, in the arguments at base. */
static int
store(const struct command *cmd, const struct fopt *o, char *base)
{
	char	lo[NUM_FMTLEN], hi[NUM_FMTLEN];
	double	d;

	switch (o->kind) {
	case FOPT_CHOICE:
		return choose(cmd, o, base);
	case FOPT_FLAG:
	case FOPT_CLEAR:
		*(int *)(void *)(base + o->off) = o->kind == FOPT_FLAG;
		return 0;
	case FOPT_STRING:
		*(const char **)(void *)(base + o->off) = optarg;
		return 0;
	default:
		break;
	}
	if (num_parse_double(optarg, o->min, o->max, &d) == -1 ||
	    (o->kind != FOPT_DOUBLE && d != trunc(d)))
		return front_usage_error(cmd->usage, "--%s: expected a %s from "
		    "%s to %s, not '%s'", o->name, o->kind == FOPT_DOUBLE ?
		    "number" : "whole number", num_fmt(lo, sizeof lo,
		    "%.10g", o->min), num_fmt(hi, sizeof hi, "%.10g", o->max),
		    optarg);
	if (o->kind == FOPT_DOUBLE)
		*(double *)(void *)(base + o->off) = d;
	else if (o->kind == FOPT_INT)
		*(int *)(void *)(base + o->off) = (int)d;
	else
		*(long *)(void *)(base + o->off) = (long)d;
	if (o->has != 0)
		*(int *)(void *)(base + o->has - 1) = 1;
	return 0;
}

/*
 * What getopt refused, said in llmroute's words (getopt's own name the
 * program by argv[0], which is the subcommand's name).
 */
static int
refused(const struct command *cmd, int ch, char **argv)
{
	const char *arg = argv[optind - 1];

	if (optopt != 0 && strncmp(arg, "--", 2) != 0)
		front_error(ch == ':' ? "option -%c needs an argument" :
		    "unknown option -%c", optopt);
	else {
		int n = (int)strcspn(arg, "=");

		front_error(ch == ':' ? "option '%.*s' needs an argument" :
		    optopt != 0 ? "option '%.*s' takes no argument" :
		    "unknown option '%.*s'", n, arg);
	}
	return front_bad_option(cmd->usage);
}

/* One option: stored, run through own(), or one of the common ones. */
static int
one(const struct command *cmd, const struct fopt *t, int ch, void *base,
    int (*own)(void *, int), int *done)
{
	const struct fopt *o = find(t, ch);

	if (o == NULL)
		return front_bad_option(cmd->usage);
	switch (o->kind) {
	case FOPT_OWN:
		return own(base, ch);
	case FOPT_QUIET:
		front_quiet = 1;
		return 0;
	case FOPT_VERBOSE:
		front_verbose = 1;
		return 0;
	case FOPT_HELP:
		*done = 1;
		return front_help(cmd);
	case FOPT_VERSION:
		*done = 1;
		return front_version();
	default:
		return store(cmd, o, base);
	}
}

int
front_getopt(const struct command *cmd, void *base,
    int (*own)(void *base, int ch), int argc, char **argv, int *done)
{
	const struct fopt *t = cmd->options;
	struct option	*lo;
	char		 shorts[OPTSTRING_MAX];
	int		 ch, st = 0;

	*done = 0;
	if ((lo = build(t, shorts, sizeof shorts)) == NULL) {
		front_error("out of memory");
		return LR_EXIT_FAIL;
	}
	opterr = 0;
	while (st == 0 && !*done &&
	    (ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1)
		st = ch == '?' || ch == ':' ? refused(cmd, ch, argv) :
		    one(cmd, t, ch, base, own, done);
	free(lo);
	return st;
}

/* "  -x, --name ARG" or "      --name ARG": an option's left column. */
static void
option_left(const struct fopt *o, struct buf *b)
{
	if (o->ch < FOPT_LONG_ONLY)
		buf_addf(b, "  -%c, --%s", o->ch, o->name);
	else
		buf_addf(b, "      --%s", o->name);
	if (o->arg != NULL)
		buf_addf(b, " %s", o->arg);
}

int
front_options_help(const struct fopt *t, struct buf *b)
{
	struct buf	 left = BUF_INIT;
	const char	*h, *nl;
	size_t		 w = 0, i;

	for (i = 0; t[i].name != NULL; i++) {
		buf_reset(&left);
		option_left(&t[i], &left);
		if (left.len > w)
			w = left.len;
	}
	if (w > HELP_COLUMN)
		w = HELP_COLUMN;
	buf_addstr(b, "Options:\n");
	for (i = 0; t[i].name != NULL; i++) {
		buf_reset(&left);
		option_left(&t[i], &left);
		buf_addf(b, "%-*s ", (int)w, left.data);
		for (h = t[i].help; (nl = strchr(h, '\n')) != NULL; h = nl + 1)
			buf_addf(b, "%.*s\n%*s ", (int)(nl - h), h, (int)w, "");
		buf_addf(b, "%s\n", h);
	}
	buf_free(&left);
	return b->len > 0 ? 0 : -1;
}
