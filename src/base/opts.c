/*
 * opts.c: a command's options from one table, parsed with getopt_long
 * and described for --help; see opts.h.
 */
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/cause.h"
#include "base/num.h"
#include "base/opts.h"

#include "base/banned.h"

#define HELP_COLUMN	26	/* where option help starts, at most */

const char *const opts_table_json[] = { "table", "json", NULL };

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

int
opts_begin(struct opts *p, const struct fopt *t)
{
	size_t	n, i, k = 0;

	p->table = t;
	for (n = 0; t[n].name != NULL; n++)
		;
	if ((p->longs = calloc(n + 1, sizeof *p->longs)) == NULL)
		return -1;
	p->shorts[k++] = ':';	/* a missing argument is ':', not '?' */
	for (i = 0; i < n; i++) {
		p->longs[i].name = t[i].name;
		p->longs[i].has_arg = takes_arg(&t[i]) ? required_argument :
		    no_argument;
		p->longs[i].val = t[i].ch;
		if (t[i].ch < FOPT_LONG_ONLY && k + 3 < sizeof p->shorts) {
			p->shorts[k++] = (char)t[i].ch;
			if (p->longs[i].has_arg == required_argument)
				p->shorts[k++] = ':';
		}
	}
	p->shorts[k] = '\0';
	opterr = 0;
	optind = 0;
	return 0;
}

void
opts_end(struct opts *p)
{
	free(p->longs);
	p->longs = NULL;
}

static const struct fopt *
find(const struct fopt *t, int ch)
{
	for (; t->name != NULL; t++)
		if (t->ch == ch)
			return t;
	return NULL;
}

/* Set the int of a FOPT_CHOICE option to its argument's index. */
static enum opts_event
choose(const struct fopt *o, char *base, char **cause)
{
	struct buf	b = BUF_INIT;
	size_t		i, n;

	for (n = 0; o->choices[n] != NULL; n++)
		if (strcmp(o->choices[n], optarg) == 0) {
			*(int *)(void *)(base + o->off) = (int)n;
			return OPTS_STORED;
		}
	/* "expected text, table or json, not 'x'" */
	for (i = 0; i < n; i++)
		if (buf_addf(&b, "%s%s", i == 0 ? "" : i + 1 < n ? ", " :
		    " or ", o->choices[i]) == -1) {
			buf_free(&b);
			return OPTS_NOMEM;
		}
	cause_set(cause, "--%s: expected %s, not '%s'", o->name, b.data,
	    optarg);
	buf_free(&b);
	return OPTS_BAD;
}

/* Store optarg as option o says, in the arguments at base. */
static enum opts_event
store(const struct fopt *o, char *base, char **cause)
{
	char	lo[NUM_FMTLEN], hi[NUM_FMTLEN];
	double	d;

	switch (o->kind) {
	case FOPT_CHOICE:
		return choose(o, base, cause);
	case FOPT_FLAG:
	case FOPT_CLEAR:
		*(int *)(void *)(base + o->off) = o->kind == FOPT_FLAG;
		return OPTS_STORED;
	case FOPT_STRING:
		*(const char **)(void *)(base + o->off) = optarg;
		return OPTS_STORED;
	default:
		break;
	}
	if (num_parse_double(optarg, o->min, o->max, &d) == -1 ||
	    (o->kind != FOPT_DOUBLE && d != trunc(d))) {
		cause_set(cause, "--%s: expected a %s from %s to %s, not '%s'",
		    o->name, o->kind == FOPT_DOUBLE ? "number" :
		    "whole number", num_fmt(lo, sizeof lo, "%.10g", o->min),
		    num_fmt(hi, sizeof hi, "%.10g", o->max), optarg);
		return OPTS_BAD;
	}
	if (o->kind == FOPT_DOUBLE)
		*(double *)(void *)(base + o->off) = d;
	else if (o->kind == FOPT_INT)
		*(int *)(void *)(base + o->off) = (int)d;
	else
		*(long *)(void *)(base + o->off) = (long)d;
	if (o->has != 0)
		*(int *)(void *)(base + o->has - 1) = 1;
	return OPTS_STORED;
}

/*
 * What getopt refused (ch is '?' or ':'), in words that name the option
 * as it was written: "-x" for a letter, "--name" without its "=value"
 * for a long one.
 */
static enum opts_event
refused(int ch, char **argv, char **cause)
{
	const char	*arg = argv[optind - 1];
	int		 n = (int)strcspn(arg, "=");

	if (optopt != 0 && strncmp(arg, "--", 2) != 0)
		cause_set(cause, ch == ':' ? "option -%c needs an argument" :
		    "unknown option -%c", optopt);
	else
		cause_set(cause, ch == ':' ? "option '%.*s' needs an argument" :
		    optopt != 0 ? "option '%.*s' takes no argument" :
		    "unknown option '%.*s'", n, arg);
	return OPTS_BAD;
}

enum opts_event
opts_next(struct opts *p, int argc, char **argv, void *base,
    const struct fopt **o, char **cause)
{
	int	ch;

	*o = NULL;
	if ((ch = getopt_long(argc, argv, p->shorts, p->longs, NULL)) == -1)
		return OPTS_DONE;
	if (ch == '?' || ch == ':')
		return refused(ch, argv, cause);
	if ((*o = find(p->table, ch)) == NULL) {
		cause_set(cause, "unknown option '%s'", argv[optind - 1]);
		return OPTS_BAD;
	}
	switch ((*o)->kind) {
	case FOPT_OWN:
	case FOPT_QUIET:
	case FOPT_VERBOSE:
	case FOPT_HELP:
	case FOPT_VERSION:
		return OPTS_CALLER;
	default:
		return store(*o, base, cause);
	}
}

/* "  -x, --name ARG" or "      --name ARG": an option's left column. */
static int
option_left(const struct fopt *o, struct buf *b)
{
	int	r;

	if (o->ch < FOPT_LONG_ONLY)
		r = buf_addf(b, "  -%c, --%s", o->ch, o->name);
	else
		r = buf_addf(b, "      --%s", o->name);
	if (r == 0 && o->arg != NULL)
		r = buf_addf(b, " %s", o->arg);
	return r;
}

int
opts_help(const struct fopt *t, struct buf *b)
{
	struct buf	 left = BUF_INIT;
	const char	*h, *nl;
	size_t		 w = 0, i;
	int		 r = 0;

	for (i = 0; t[i].name != NULL; i++) {
		buf_reset(&left);
		r |= option_left(&t[i], &left);
		if (left.len > w)
			w = left.len;
	}
	if (w > HELP_COLUMN)
		w = HELP_COLUMN;
	r |= buf_addstr(b, "Options:\n");
	for (i = 0; r == 0 && t[i].name != NULL; i++) {
		buf_reset(&left);
		r = option_left(&t[i], &left);
		r |= buf_addf(b, "%-*s ", (int)w, left.data);
		for (h = t[i].help; r == 0 && (nl = strchr(h, '\n')) != NULL;
		    h = nl + 1)
			r = buf_addf(b, "%.*s\n%*s ", (int)(nl - h), h, (int)w,
			    "");
		r |= buf_addf(b, "%s\n", h);
	}
	buf_free(&left);
	return r == 0 ? 0 : -1;
}
