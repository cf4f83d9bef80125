/*
 * cooldown.h: failures per model remembered across runs, so that a model
 * that keeps failing is skipped for a while by every later invocation.
 * The state is a small file of JSON Lines shared by concurrent runs
 * under flock(2); see cooldown.c for its format.
 */
#ifndef LLMROUTE_COOLDOWN_H
#define LLMROUTE_COOLDOWN_H

#include <time.h>

struct cooldown_opts {
	int	failures;	/* failures within window that start one */
	double	window;		/* seconds */
	double	seconds;	/* how long a cooldown lasts */
};

/*
 * Seconds model is still cooling down at now according to the state file
 * path, or 0; never more than o->seconds, so that a clock set back (or a
 * file written by a clock far ahead) does not make a cooldown last
 * longer.  A missing, unreadable or corrupt file counts as no cooldown,
 * and so does any line of it that does not parse.  Never creates the
 * file.
 */
double	cooldown_remaining(const char *path, const char *model, time_t now,
	    const struct cooldown_opts *o);

/*
 * Record in the state file path (created mode 0600 if missing) that
 * model failed (failed != 0) or answered at now: o->failures failures
 * within o->window seconds start a cooldown of o->seconds; an answer
 * forgets the model.  Entries whose window and cooldown are over, and
 * lines that do not parse, are dropped in the rewrite.  Returns 0, or -1
 * with errno when the file cannot be opened, locked or written.
 */
int	cooldown_record(const char *path, const char *model, int failed,
	    time_t now, const struct cooldown_opts *o);

#endif
