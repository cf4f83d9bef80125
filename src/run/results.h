/*
 * results.h: the results of a batch, one JSON object a line as --jsonl
 * writes them, and reading them back for --resume.
 */
#ifndef LLMROUTE_RESULTS_H
#define LLMROUTE_RESULTS_H

#include <stddef.h>

#include "base/buf.h"
#include "call/engine.h"
#include "input/input.h"
#include "route/policy.h"

/*
 * Append to b the result line of prompt p routed by d: with r, how its
 * call ended (answer, usage, cost, attempts, latency, fallbacks); without
 * (NULL), a prompt never called, "skipped".  error, when not NULL, is the
 * line's "error".  Returns 0 or -1 when memory runs out.
 */
int	results_line(struct buf *b, const struct prompt *p,
	    const struct decision *d, const struct engine_result *r,
	    const char *error);

/* The ids a results file answered, sorted, for --resume. */
struct results_done {
	char	**ids;		/* JSON text of each id, owned */
	size_t	  n;
};

/*
 * Read the results file at path into *done (zeroed by the caller): the id
 * of every whole line (one that ends in a newline) whose "status" is
 * "ok".  A missing file answered nothing.  Returns 0, or -1 with *cause;
 * free *done with results_done_free either way.
 */
int	results_load(const char *path, struct results_done *done,
	    char **cause);

/* Whether done holds id (JSON text, as struct prompt's id). */
int	results_has(const struct results_done *done, const char *id);

void	results_done_free(struct results_done *done);

#endif
