/*
 * opts.h: a command's options from one table.  Each entry names an
 * option and says where its value goes in the command's struct of
 * arguments and how it is checked, so that getopt_long's table, the
 * option string, the checks and the --help list are written once.
 * Options that need more than a store (repeated, mutually exclusive,
 * parsed elsewhere) and the common ones (-q, -v, -h, -V) are handed back
 * to the caller, who knows what they mean.  Nothing here prints.
 */
#ifndef LLMROUTE_OPTS_H
#define LLMROUTE_OPTS_H

#include <stddef.h>

#include "base/buf.h"

/* How an option of a table is taken. */
enum fopt_kind {
	FOPT_FLAG,		/* an int set to 1 */
	FOPT_CLEAR,		/* an int set to 0 */
	FOPT_STRING,		/* a const char * set to the argument */
	FOPT_DOUBLE,		/* a number in [min, max] */
	FOPT_INT,		/* a whole number in [min, max], as int */
	FOPT_LONG,		/* the same, as long */
	FOPT_CHOICE,		/* an int: the index of one of choices */
	FOPT_OWN,		/* handed back to the caller */
	FOPT_QUIET,		/* -q, handed back */
	FOPT_VERBOSE,		/* -v, handed back */
	FOPT_HELP,		/* -h, handed back */
	FOPT_VERSION		/* -V, handed back */
};

#define FOPT_LONG_ONLY	256	/* option codes from here have no letter */

/*
 * One option of a table: its long name, its letter (or a code from
 * FOPT_LONG_ONLY up), how it is taken, and where its value goes: off is
 * the offsetof of the field in the command's struct of arguments, has
 * names an int set to 1 when a number was given (its offsetof + 1; 0:
 * none).  Numbers outside [min, max] are refused, naming the bounds.
 * An FOPT_OWN option takes an argument when it names one (arg).  Tables
 * end with an entry whose name is NULL.
 */
struct fopt {
	const char	*name;
	int		 ch;
	enum fopt_kind	 kind;
	size_t		 off;
	size_t		 has;
	double		 min, max;
	const char *const *choices;	/* FOPT_CHOICE: NULL-terminated */
	const char	*arg;		/* its argument's name; NULL: none */
	const char	*help;		/* for --help; "\n" starts a line */
};

/*
 * Rows of an option table, as git's parse-options writes them: the
 * option's letter (or a code from FOPT_LONG_ONLY), its long name, the
 * field of FOPT_ARGS (which each table's user defines as the struct of
 * its arguments) that takes its value, what the kind needs, and for
 * --help its argument's name (a) and what it does (h).
 */
#define FOPT_AT(f)	(offsetof(FOPT_ARGS, f))
#define OPT_FLAG(c, n, f, h)	{ .name = (n), .ch = (c), \
	.kind = FOPT_FLAG, .off = FOPT_AT(f), .help = (h) }
#define OPT_CLEAR(c, n, f, h)	{ .name = (n), .ch = (c), \
	.kind = FOPT_CLEAR, .off = FOPT_AT(f), .help = (h) }
#define OPT_STRING(c, n, f, a, h)	{ .name = (n), .ch = (c), \
	.kind = FOPT_STRING, .off = FOPT_AT(f), .arg = (a), .help = (h) }
#define OPT_NUMBER(k, c, n, f, s, lo, hi, a, h)	{ .name = (n), \
	.ch = (c), .kind = (k), .off = FOPT_AT(f), .has = (s), .min = (lo), \
	.max = (hi), .arg = (a), .help = (h) }
#define OPT_DOUBLE(c, n, f, lo, hi, a, h) \
	OPT_NUMBER(FOPT_DOUBLE, c, n, f, 0, lo, hi, a, h)
#define OPT_DOUBLE_SET(c, n, f, set, lo, hi, a, h) \
	OPT_NUMBER(FOPT_DOUBLE, c, n, f, FOPT_AT(set) + 1, lo, hi, a, h)
#define OPT_INT(c, n, f, lo, hi, a, h) \
	OPT_NUMBER(FOPT_INT, c, n, f, 0, lo, hi, a, h)
#define OPT_LONG(c, n, f, lo, hi, a, h) \
	OPT_NUMBER(FOPT_LONG, c, n, f, 0, lo, hi, a, h)
#define OPT_CHOICE(c, n, f, list, a, h)	{ .name = (n), .ch = (c), \
	.kind = FOPT_CHOICE, .off = FOPT_AT(f), .choices = (list), \
	.arg = (a), .help = (h) }
#define OPT_OWN(c, n, a, h)	{ .name = (n), .ch = (c), .kind = FOPT_OWN, \
	.arg = (a), .help = (h) }
#define OPT_QUIET(h)	{ .name = "quiet", .ch = 'q', .kind = FOPT_QUIET, \
	.help = (h) }
#define OPT_VERBOSE(h)	{ .name = "verbose", .ch = 'v', \
	.kind = FOPT_VERBOSE, .help = (h) }
#define OPT_HELP	{ .name = "help", .ch = 'h', .kind = FOPT_HELP, \
	.help = "this help" }
#define OPT_VERSION	{ .name = "version", .ch = 'V', .kind = FOPT_VERSION, \
	.help = "the version" }
#define OPT_END		{ .name = NULL }

/* -f table|json, as most commands take it (FOPT_CHOICE). */
enum { OPTS_TABLE, OPTS_JSON };
extern const char *const opts_table_json[];

/* What opts_next() found. */
enum opts_event {
	OPTS_DONE,	/* no more options: optind is at the first operand */
	OPTS_STORED,	/* an option's value is in the arguments */
	OPTS_CALLER,	/* an option for the caller (*o); its argument is
			   in optarg */
	OPTS_BAD,	/* refused: *cause says why in one line */
	OPTS_NOMEM	/* out of memory */
};

/* A parse of one argv by one table; see opts_begin(). */
struct opts {
	const struct fopt *table;
	struct option	*longs;		/* getopt_long's table, owned */
	char		 shorts[128];	/* its option string */
};

/*
 * Begin a parse by the table t (ended by OPT_END) into p: getopt_long's
 * tables are built and getopt starts afresh on the next argv (optind is
 * set to 0, its error messages off).  Returns 0, or -1 when memory ran
 * out.  End with opts_end() either way.
 */
int	opts_begin(struct opts *p, const struct fopt *t);

/*
 * The next option of argv by p's table: an FOPT_FLAG, CLEAR, STRING,
 * DOUBLE, INT, LONG or CHOICE one is checked and stored in the
 * arguments at base (OPTS_STORED); any other is handed back in *o
 * (OPTS_CALLER).  OPTS_DONE when none is left.  OPTS_BAD, with *cause
 * (caller frees) saying why, for an unknown option, a missing argument,
 * an argument to an option that takes none, a number that is not one or
 * is out of its bounds, or a choice that is not in the list; base is
 * then as it was.  OPTS_NOMEM when memory ran out.
 */
enum opts_event	opts_next(struct opts *p, int argc, char **argv, void *base,
		    const struct fopt **o, char **cause);

/* Free what opts_begin() took; p may then begin again. */
void	opts_end(struct opts *p);

/*
 * Append the "Options:" list of the table t to b, for --help: a line per
 * option ("  -x, --name ARG", or "      --name ARG" for one without a
 * letter), its help text in a column that starts after the widest, at
 * most 26 characters in; a "\n" in the help goes on under it.  Returns
 * 0, or -1 when b could not grow.
 */
int	opts_help(const struct fopt *t, struct buf *b);

#endif
