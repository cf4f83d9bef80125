/*
 * options.c: a command's options parsed by its table (base/opts.h), and
 * what is refused said with the command's usage.  The common options
 * (-q, -v, -h, -V) are taken here; a command's own go to its function.
 */
#include <stdlib.h>

#include "front.h"

#include "base/banned.h"

/* An option the table hands back: a common one, or the command's own. */
static int
one(const struct command *cmd, const struct fopt *o, void *base,
    int (*own)(void *, int), int *done)
{
	switch (o->kind) {
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
		return own(base, o->ch);
	}
}

int
front_getopt(const struct command *cmd, void *base,
    int (*own)(void *base, int ch), int argc, char **argv, int *done)
{
	const struct fopt *o;
	struct opts	 p;
	char		*cause = NULL;
	int		 st = 0;
	enum opts_event	 ev = OPTS_STORED;

	*done = 0;
	if (opts_begin(&p, cmd->options) == -1)
		ev = OPTS_NOMEM;
	while (st == 0 && !*done && ev == OPTS_STORED) {
		ev = opts_next(&p, argc, argv, base, &o, &cause);
		if (ev == OPTS_CALLER) {
			st = one(cmd, o, base, own, done);
			ev = OPTS_STORED;
		}
	}
	opts_end(&p);
	if (ev == OPTS_BAD)
		st = front_usage_error(cmd->usage, "%s", cause);
	else if (ev == OPTS_NOMEM) {
		front_error("out of memory");
		st = LR_EXIT_FAIL;
	}
	free(cause);
	return st;
}

int
front_options_help(const struct fopt *t, struct buf *b)
{
	return opts_help(t, b);
}
