/*
 * results.h: the results of a batch, one JSON object a line as --jsonl
 * writes them, and reading them back for --resume.
 */
#ifndef LLMROUTE_RESULTS_H
#define LLMROUTE_RESULTS_H

#include <stddef.h>

#include "base/buf.h"
#include "base/strset.h"
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

/*
 * Append to b the result line of a record that was not called because
 * it is unusable (its id, JSON text, and why): status "rejected".
 * Returns 0 or -1.
 */
int	results_rejected(struct buf *b, const char *id, const char *error);

/*
 * The journal of the results file at path (PATH.journal), allocated, or
 * NULL when memory runs out.  A run appends every result to it as soon
 * as the call ends, before its cost log record and before the result's
 * turn in the results file comes, so that what was paid for survives a
 * kill; a run that ends whole removes it.
 */
char	*results_journal(const char *path);

/*
 * Ready the results file at path for a resumed run.  The ok results of
 * its whole lines and then of its journal are kept, one line per id (the
 * first), and every other line goes: a cut-off line, an error, a result
 * an ok one made stale; path is rewritten so (through file_replace,
 * keeping its mode) and the journal removed.  The ids kept go into done
 * (strset_init'ed by the caller).  A missing file and a missing journal
 * are empty.  Returns 0, or -1 with *cause.
 */
int	results_resume(const char *path, struct strset *done, char **cause);

#endif
