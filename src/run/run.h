/*
 * run.h: a run of routed calls: every prompt of one invocation, called
 * by the engine with at most a given number in flight, their outputs
 * handed out in input order (or as they finish), prompts answered by an
 * earlier run passed over, a spending cap, and one cost log record per
 * call.  The front supplies what touches the terminal and the files it
 * opened, through struct run_front.
 */
#ifndef LLMROUTE_RUN_H
#define LLMROUTE_RUN_H

#include <stddef.h>

#include "call/engine.h"
#include "input/input.h"
#include "log/logrec.h"
#include "log/logwrite.h"
#include "route/config.h"
#include "route/policy.h"
#include "run/results.h"

/* How the answers of a run go out. */
enum run_output {
	RUN_ANSWERS,		/* each answer's text, ending in a newline */
	RUN_RESULTS,		/* a JSON result line each (--jsonl) */
	RUN_FILES		/* each answer to DIR/NAME.out (--output-dir) */
};

/* How one prompt of the run ended. */
enum run_outcome {
	RUN_ANSWERED,
	RUN_FAILED,		/* the call failed: see the result */
	RUN_UNWRITTEN,		/* answered, but the answer file failed */
	RUN_INTERRUPTED,
	RUN_SKIPPED,		/* not called: --max-cost was reached */
	RUN_RESUMED,		/* not called: an earlier run answered it */
	RUN_REJECTED		/* not called: unusable, or its id given twice */
};

/* What the front hears of one prompt, once it has ended. */
struct run_event {
	const struct prompt		*prompt;
	enum run_outcome		 outcome;
	const struct engine_result	*result;	/* NULL: not called */
	const char			*error;		/* UNWRITTEN, REJECTED:
							   why */
	int				 budget_hit;	/* the first skip */
	int				 given_twice;	/* a REJECTED id */
	const char			*source;	/* where p was read */
	/* The results file or the cost log has just failed: why (the run
	   winds down; this is said once). */
	const char			*failure;
};

/*
 * The front's part.  Each function gets arg; text may be NULL (nothing
 * streams), the others may not.
 */
struct run_front {
	/* Answer text as it arrives, when one call at a time streams; -1
	   when it could not be written (errno): nobody reads the answer,
	   so the call is ended at once. */
	int		(*text)(void *arg, const char *p, size_t n);
	/* A prompt's output (RUN_ANSWERS, or RUN_RESULTS without a results
	   file), in order; -1 when it could not be written (errno): the
	   run winds down. */
	int		(*write)(void *arg, const char *p, size_t n);
	/* A prompt has ended (after its log record, before its output). */
	void		(*done)(void *arg, const struct run_event *ev);
	/* How hard the front asks the run to stop now (signals). */
	enum engine_stop	(*stop)(void *arg);
	int		 wake_fd;	/* polled with the transfers, or -1 */
	void		*arg;
};

struct run_opts {
	enum run_output			 output;
	const char			*output_dir;	/* RUN_FILES */
	int				 jobs;		/* calls at once */
	int				 unordered;	/* as they finish */
	int				 has_max_cost;
	double				 max_cost;	/* USD */
	/* --resume: with RUN_RESULTS, the ids the results file answered;
	   with RUN_FILES, an answer file that exists. */
	int				 resume;
	/* RUN_RESULTS to a file (-o), open (results_open); NULL: through
	   the front's write.  Each result goes to its journal as soon as
	   its call ends, before its log record. */
	struct results_file		*results;
	struct logwrite			*log;		/* NULL: no cost log */
};

/* What the run did so far. */
struct run_counts {
	size_t	answered, failed, skipped, interrupted, resumed, rejected;
	double	cost, baseline;		/* USD, as billed and all-baseline */
	size_t	escalated;		/* cascades whose cheap answer was
					   unsure */
	int	write_failed;		/* a write of output failed: errno */
	int	log_failed;		/* a cost log record failed */
};

struct run;

/*
 * Fill o with what the configuration says about calls: timeouts (in ms),
 * retries and backoff, the response cap, streaming and the cooldown's
 * rules; the rest of o is left alone.
 */
void		 run_engine_opts(struct engine_opts *o,
		    const struct config *cfg);

/*
 * A run of calls for cfg with the engine's options eo, the run's options
 * o and the front's part f; all must outlive the run.  Loads libcurl.
 * Returns the run, or NULL with *cause.
 */
struct run	*run_new(const struct config *cfg,
		    const struct engine_opts *eo, const struct run_opts *o,
		    const struct run_front *f, char **cause);

/*
 * Call prompt p, routed by d and read from source (which must outlive
 * the run); the run takes p over and zeroes it.  Waits while the queue
 * is full.  With RUN_RESULTS, a prompt whose id an earlier one has is
 * rejected (results are known by their ids), not called.  Returns 0; 1
 * when the run is stopping (a signal, a failed write or log: start no
 * more); -1 with *cause when libcurl failed.
 */
int		 run_submit(struct run *run, struct prompt *p,
		    const struct decision *d, const char *source,
		    char **cause);

/*
 * Put in the outputs, in its place, the result of a record that cannot
 * be called (RUN_RESULTS only; otherwise nothing is put): id is the
 * JSON text of its id, error why.  Returns 0, or -1 with *cause.
 */
int		 run_reject(struct run *run, const char *id, const char *error,
		    char **cause);

/*
 * Wait until every prompt submitted has ended and its output is out.
 * Returns 0, or -1 with *cause when libcurl failed.
 */
int		 run_finish(struct run *run, char **cause);

/*
 * Why the results file or the cost log failed, when no event has told
 * it yet (the failure came with the last outputs), or NULL.
 */
const char	*run_failure(const struct run *run);

/* The counts so far. */
const struct run_counts *run_counts(const struct run *run);

/*
 * Append the progress line of counts c to b: prompts done (of total, when
 * not 0), the rate and time left after elapsed seconds, and the spend;
 * no newline.  Returns 0 or -1 when memory runs out.
 */
int		 run_progress(const struct run_counts *c, size_t total,
		    double elapsed, struct buf *b);

/*
 * Append the closing summary of counts c to b, without a newline: done,
 * failed, skipped, answered before, cost, baseline and saving.  Nothing
 * is appended for a single prompt that was called.  Returns 0 or -1.
 */
int		 run_summary(const struct run_counts *c, struct buf *b);

/* Free the run; calls still in flight are dropped. */
void		 run_free(struct run *run);

/*
 * Whether the directory dir (--output-dir) can take the answers of the
 * n files (none: standard input, answered to stdin.out), before anything
 * is paid for: dir is a directory this process may write in, every
 * answer's name fits, and no two files have the same last component.
 * Returns 0, or -1 with *cause naming what is wrong.
 */
int		 run_check_answers(const char *dir, char *const *files, int n,
		    char **cause);

/*
 * Write the answer (len bytes of text) of the prompt read from source
 * to DIR/NAME.out, NAME its last component ("stdin" for "-"), whole
 * through a rename and ending in a newline, as --output-dir does.
 * Returns 0 or -1 with *cause.
 */
int		 run_write_answer(const char *dir, const char *source,
		    const char *text, size_t len, char **cause);

#endif
