/*
 * logrec.h: one cost log record (llmroute-log(5)): what a dry run decided
 * or what a call cost, built from the decision or the call's result and
 * written as one JSON line.
 */
#ifndef LLMROUTE_LOGREC_H
#define LLMROUTE_LOGREC_H

#include <stddef.h>

#include "base/buf.h"

#define LOGREC_VERSION	1	/* the "v" this program writes */

struct prompt;
struct decision;
struct engine_result;

enum log_status {
	LOG_OK,
	LOG_ERROR,
	LOG_INTERRUPTED,
	LOG_CLOSED,		/* interrupted: the reader of the output left */
	LOG_NSTATUS
};

/* A call's part in a cascade, as records and results write it. */
struct logrec_cascade {
	const char	*stage;		/* "cheap", "premium"; NULL: none */
	int		 has_confidence;
	double		 confidence;
	double		 threshold;
	int		 escalated;
	const char	*missing;	/* no log-probabilities: taken as
					   "escalate" or "keep"; NULL */
	double		 first_token_ms;
};

/*
 * One record as it is written.  Every string is borrowed: the record
 * holds no memory of its own and is formatted before what it points to
 * goes away.
 */
struct logrec {
	double			 ts;		/* seconds since the epoch */
	const char		*id_json;	/* JSON text of the id */
	const char		*request_id;	/* the call's; NULL: the
						   writer makes one */
	const char		*source;
	const char		*model;
	const char		*provider;
	const char		*tier;		/* NULL: none */
	const char		*baseline_model;
	double			 score;
	double			 tokens_in;	/* the cached ones included */
	double			 tokens_out;
	double			 tokens_cached;
	double			 cost;
	double			 baseline_cost;
	double			 latency_ms;
	enum log_status		 status;
	const char		*finish_reason;	/* an answer's; NULL: none */
	const char		*error;		/* NULL when ok */
	int			 attempts;
	const char *const	*fallback_from;
	size_t			 nfallback;
	int			 dry_run;
	int			 estimated;
	char *const		*tags;		/* the run's */
	size_t			 ntags;
	char *const		*extra_tags;	/* the record's own */
	size_t			 nextra_tags;
	struct logrec_cascade	 cascade;
	const char		*prompt;	/* the text scored */
	size_t			 prompt_len;
	int			 log_prompt;	/* write the text itself */
	/* A prompt whose text is gone (a batch collected later): its
	   digest in hex and length in code points, used when prompt is
	   NULL; NULL: none. */
	const char		*prompt_sha256;
	size_t			 prompt_chars;
	/* A request of a provider batch (batch set, or batch_id): its
	   batch id (NULL: none, as in a dry run of --batch) and what the
	   same call would have cost without the batch discount. */
	int			 batch;
	const char		*batch_id;
	double			 unbatched_cost;
};

/*
 * The name a status is written as ("ok", "error", "interrupted",
 * "closed").
 */
const char	*logrec_status_name(enum log_status status);

/*
 * The status written as name into *status.  Returns 0, or -1 when name
 * is none of them (*status is left alone).
 */
int		 logrec_status_parse(const char *name, enum log_status *status);

/*
 * Fill r with the record of a dry run of prompt p read from source (a
 * file name, or "-"): decision d's choice and estimates, the token
 * counts rounded, marked dry and estimated, and a batch request when d
 * was priced as one (d->batch).  r borrows p, d and source.
 * The run's part (ts, tags, log_prompt) is left zero for the writer of
 * the log (logwrite.h) to fill.
 */
void	logrec_from_decision(struct logrec *r, const struct prompt *p,
	    const struct decision *d, const char *source);

/*
 * Fill r with the record of prompt p's call, routed by decision d and
 * ended with result res: its request id, the model that answered (or was
 * tried last) and why its answer ended,
 * the usage and cost reported, latency, attempts, the models fallen back
 * from, and the error when it failed.  The tier, baseline and score come
 * from d (a cascade's stage: its own tier), and a cascade's part.  r
 * borrows p, d, res and source; as logrec_from_decision otherwise.
 */
void	logrec_from_result(struct logrec *r, const struct prompt *p,
	    const struct decision *d, const struct engine_result *res,
	    const char *source);

/*
 * Append record r to b as one JSON line with its newline: the fields of
 * llmroute-log(5) in their order (request_id null when r has none), a
 * cascade's "cascade" object {stage, confidence (null: none), threshold,
 * escalated, missing (null: none), first_token_ms} when the call was one,
 * the prompt's SHA-256 and length in code points (or r->prompt_sha256 and
 * r->prompt_chars), the prompt itself when r->log_prompt is set, and for
 * a batch request "batch", "batch_id" (when it has one) and
 * "unbatched_cost_usd".  Returns
 * 0, or -1 when b could not grow (b then holds part of the line).
 */
int	logrec_format(struct buf *b, const struct logrec *r);

/*
 * Fill c from the cascade part of a call's result res (c->stage NULL
 * when the call was no cascade).  c borrows res.
 */
void	logrec_cascade_of(struct logrec_cascade *c,
	    const struct engine_result *res);

/*
 * Append c to b as the member ,"cascade":{"stage", "confidence" (null:
 * none), "threshold", "escalated", "missing", "first_token_ms"}, or
 * nothing when c->stage is NULL.  Returns 0, or -1 when b cannot grow.
 */
int	logrec_cascade_format(struct buf *b, const struct logrec_cascade *c);

#endif
