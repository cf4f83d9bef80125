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
 * call ended (request id, the answer and how it finished, usage, cost,
 * attempts, latency, fallbacks; finish_reason is null unless a model
 * answered and said why it stopped); without (NULL), a prompt never called, "skipped", whose
 * request_id is null.  error, when not NULL, is the
 * line's "error".  Returns 0 or -1 when memory runs out.
 */
int	results_line(struct buf *b, const struct prompt *p,
	    const struct decision *d, const struct engine_result *r,
	    const char *error);

/*
 * The status of a cascade's stage in the journal: a call whose answer
 * escalated, or the verify call of one that was kept.
 */
#define RESULTS_ESCALATED	"escalated"
#define RESULTS_VERIFIED	"verified"

/*
 * Append to b the journal line of a cascade's stage r for prompt p (a
 * cheap call that escalated, or a verify call): id, request_id, status
 * "escalated" (or "verified" for a verify call that kept), model, tier, usage,
 * cost and its "cascade" member, so that --resume calls the next tier
 * without paying the cheap call again.  Returns 0 or -1.
 */
int	results_stage_line(struct buf *b, const struct prompt *p,
	    const struct engine_result *r);

/*
 * Append to b the result line of a record that was not called because
 * it is unusable (its id, JSON text, and why): status "rejected", no
 * request_id.
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
 * A cascade whose cheap call escalated (and was paid for) and whose next
 * tier has not answered yet, as --resume finds it: the journal's
 * "escalated" line, or a failed premium result.
 */
struct results_escalation {
	char			*id;		/* JSON text */
	char			*line;		/* as read, with its LF */
	size_t			 len;
	char			 request_id[REQID_SIZE];
	struct engine_cascade	 cascade;	/* the cheap verdict */
};

struct results_pending {
	struct results_escalation	*v;
	size_t				 n;
};

/*
 * Ready the results file at path for a resumed run.  The ok results of
 * its whole lines and then of its journal are kept, one line per id (the
 * first), and every other line goes: a cut-off line, an error, a result
 * an ok one made stale; path is rewritten so (through file_replace,
 * keeping its mode).  The ids kept go into done (strset_init'ed by the
 * caller).  With pend (zeroed by the caller; NULL: none), the
 * escalations of ids not answered go into pend and stay in the journal,
 * which is otherwise removed.  A missing file and a missing journal are
 * empty.  Returns 0, or -1 with *cause.
 */
int	results_resume(const char *path, struct strset *done,
	    struct results_pending *pend, char **cause);

/* The escalation pend holds for id (JSON text), or NULL. */
const struct results_escalation *results_escalation(
	    const struct results_pending *pend, const char *id);

/* Free what pend holds; pend is then empty. */
void	results_pending_free(struct results_pending *pend);

/* A results file (-o) open for a run, with its journal. */
struct results_file {
	char		*path;
	char		*journal;
	int		 fd;		/* O_APPEND: whole lines or nothing */
	int		 journal_fd;
	struct strset	 done;		/* --resume: the ids answered */
	struct results_pending pending;	/* --resume: cascades escalated */
};

#define RESULTS_OPEN_READ	(-1)	/* reading it back failed */
#define RESULTS_OPEN_WRITE	(-2)	/* it cannot be written */

/*
 * Open the results file at path for a run into *rf: with resume, after
 * results_resume() (its answered ids in rf->done), to append; without,
 * emptied, and a journal a killed run left is removed.  The journal is
 * opened to append.  Returns 0, or RESULTS_OPEN_READ or
 * RESULTS_OPEN_WRITE with *cause; free rf with results_close either way.
 */
int	results_open(struct results_file *rf, const char *path, int resume,
	    char **cause);

/*
 * Append the n bytes at line (whole result lines) to the file, or (to
 * the journal) to its journal, all or nothing (file_append).  Returns 0,
 * or -1 with *cause naming the file.
 */
int	results_put(struct results_file *rf, const char *line, size_t n,
	    char **cause);
int	results_journal_put(struct results_file *rf, const char *line,
	    size_t n, char **cause);

/*
 * Close the file and its journal; when whole (every result of the run is
 * in the file), remove the journal.  Returns 0, or -1 with *cause when
 * closing failed.  rf is then empty.
 */
int	results_close(struct results_file *rf, int whole, char **cause);

#endif
