/*
 * cooldown.h: failures per model remembered across runs, so that a model
 * that keeps failing is skipped for a while by every later invocation.
 * The state is a small file of JSON Lines shared by concurrent runs
 * under flock(2); see cooldown.c for its format.
 */
#ifndef LLMROUTE_COOLDOWN_H
#define LLMROUTE_COOLDOWN_H

#include <stddef.h>
#include <time.h>

#include "base/buf.h"

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
 * forgets the model.  reason (NULL: none; the caller's, one line with no
 * secret in it) says what the failure was; the last one is kept, cut to
 * 256 bytes.  Entries whose window and cooldown are over, and lines that
 * do not parse, are dropped in the rewrite.  Returns 0, or -1 with errno
 * when the file cannot be opened, locked or written.
 */
int	cooldown_record(const char *path, const char *model, int failed,
	    const char *reason, time_t now, const struct cooldown_opts *o);

/* A model cooling down, as cooldown_list() finds it. */
struct cooldown_entry {
	char	*model;
	double	 left;		/* seconds, as cooldown_remaining() says */
	double	 failures;
	char	*reason;	/* the last failure's; NULL: not kept */
};

/*
 * The models of the state file path that are cooling down at now, by
 * name, into *out (*n of them; free with cooldown_list_free).  A missing
 * file is no cooldown; lines that do not parse are left out.  Returns 0,
 * or -1 with *cause when the file cannot be opened or locked.
 */
int	cooldown_list(const char *path, time_t now,
	    const struct cooldown_opts *o, struct cooldown_entry **out,
	    size_t *n, char **cause);

/* Free what cooldown_list() gave.  v may be NULL. */
void	cooldown_list_free(struct cooldown_entry *v, size_t n);

/*
 * End cooldowns in the state file path: every entry when model is NULL
 * (the file is emptied), else model's, and only when it is cooling down
 * at now (its failures are then forgotten too).  A missing file is never
 * created.  Returns how many were ended for one model (0: it was not
 * cooling down, the file is left alone; 1), 0 for all, or -1 with
 * *cause when the file cannot be opened, locked or written.
 */
int	cooldown_clear(const char *path, const char *model, time_t now,
	    const struct cooldown_opts *o, char **cause);

/*
 * Append the n entries of v to b: with json, one object a line
 * {"model", "seconds_left", "failures", "reason" (or null)}; else a table
 * MODEL, LEFT ("287 s"), REASON ("-" when none), under a header.  Nothing
 * at all for none.  Returns 0, or -1 when memory runs out.
 */
int	cooldown_render(struct buf *b, const struct cooldown_entry *v,
	    size_t n, int json);

#endif
