/*
 * batch.h: jobs of provider batches (OpenAI's Batch API, Anthropic's
 * Message Batches): answered within a day at the provider's batch price.
 *
 * A job is a state file (JSON, mode 0600, replaced whole through
 * file_replace) naming each provider batch ("part") and each request:
 * its custom id, the record's id, the routing decision and the estimate.
 * It never holds a key or a prompt.  Two files live beside it, both mode
 * 0600: JOB.requests, each request's body ("CID\tBODY" a line), kept
 * for --retry-failed; and JOB.done, the collect ledger ("CID\tPART\t
 * RESULT" a line, appended whole), which says what has been written and
 * logged, so that collect run twice, or killed and run again, writes and
 * logs each result once.
 */
#ifndef LLMROUTE_BATCH_H
#define LLMROUTE_BATCH_H

#include <stddef.h>

#include "base/buf.h"
#include "call/api.h"
#include "call/engine.h"
#include "call/wire.h"
#include "input/input.h"
#include "log/logwrite.h"
#include "route/config.h"
#include "route/policy.h"

#define BATCH_OPENAI_MAXREQ	50000
#define BATCH_OPENAI_MAXBYTES	((size_t)200 << 20)
#define BATCH_ANTHROPIC_MAXREQ	100000
#define BATCH_ANTHROPIC_MAXBYTES ((size_t)256 << 20)
#define BATCH_SHA_LEN		64

/* One request of a job. */
struct batch_req {
	char	*cid;		/* custom id, unique in the job */
	char	*id_json;	/* the record's id, JSON text */
	char	*name;		/* the id as text, for messages */
	char	*source;	/* the file it was read from */
	char	*model;
	char	*tier;		/* NULL: none */
	double	 score;
	double	 cost_est;	/* USD, at batch prices */
	double	 baseline_est;
	char	 sha[BATCH_SHA_LEN + 1];	/* of the text scored */
	size_t	 chars;
	size_t	 bytes;		/* of its body */
	int	 part;		/* its provider batch, -1: none yet */
};

/* The counts of a provider batch, normalised over the two APIs. */
struct batch_counts {
	long	total, processing, succeeded, failed;
};

/* One provider batch of a job. */
struct batch_part {
	char			*provider;
	char			*model;
	char			*id;		/* the provider's batch id */
	char			*input_file;	/* OpenAI: the uploaded file */
	char			*status;	/* as the provider said */
	char			*output_file;	/* OpenAI */
	char			*error_file;	/* OpenAI */
	char			*results_url;	/* Anthropic */
	int			 ended;		/* no more will change */
	struct batch_counts	 counts;
	size_t			 nreq;
};

struct batch_job {
	char			*id;
	char			*path;		/* of the state file */
	double			 created;	/* seconds since the epoch */
	struct batch_part	*parts;
	size_t			 nparts;
	struct batch_req	*reqs;
	size_t			 nreqs;
	char			**tags;		/* submit's --tag, for the log */
	size_t			 ntags;
	int			 jsonl;		/* read from JSON Lines records */
};

/* What a provider's result line said of one request. */
struct batch_answer {
	char			 cid[128];
	int			 ok;
	char			 error[512];	/* unless ok: why */
	struct wire_reply	 reply;		/* answer and usage */
};

/* A new job id into buf: the UTC time and 6 random hex digits. */
void	batch_job_id(char *buf, size_t len, double now, unsigned long rnd);

/*
 * The path of job: a path (it has a '/' or ends in ".json") is itself,
 * an id is DIR/ID.json.  Returns it allocated, or NULL (memory).
 */
char	*batch_job_path(const char *dir, const char *job);

/* Zero j.  Never fails. */
void	batch_job_init(struct batch_job *j);

/* Free what j holds. */
void	batch_job_free(struct batch_job *j);

/*
 * Copy the n tags into j's (for the log records of its requests).
 * Returns 0 or -1 (memory).
 */
int	batch_job_tags(struct batch_job *j, char *const *tags, size_t n);

/*
 * Add request to j for prompt p (read from source) routed by d; the
 * custom id is "r" and its index.  The discount is d's provider's.
 * Returns it, or NULL with *cause.
 */
struct batch_req *batch_job_add(struct batch_job *j, const struct prompt *p,
	    const struct decision *d, const char *source, char **cause);

/*
 * Group the requests of j that have no part (part -1) into new parts,
 * one per provider and model in order of first appearance, split so
 * that none has more than maxreq requests or maxbytes bytes of bodies
 * (the provider's limits, by wire format; 0: its own).  Returns 0 or -1
 * with *cause.
 */
int	batch_job_split(struct batch_job *j, const struct config *cfg,
	    size_t maxreq, size_t maxbytes, char **cause);

/*
 * Write j to j->path (mode 0600, atomically).  Returns 0 or -1 with
 * *cause.
 */
int	batch_job_save(const struct batch_job *j, char **cause);

/*
 * Read the job at path into j (batch_job_init'ed).  Returns 0, or -1
 * with *cause naming the file and what is wrong.
 */
int	batch_job_load(struct batch_job *j, const char *path, char **cause);

/*
 * The body a call of prompt p by d would send, not streamed, into b
 * (what the provider's batch input carries).  Returns 0 or -1 (memory).
 */
int	batch_body(const struct config *cfg, const struct prompt *p,
	    const struct decision *d, const struct engine_opts *o,
	    struct buf *b);

/*
 * Append to b the input of part k of j in its provider's format, with
 * the bodies from bodies (CID\tBODY lines, as JOB.requests holds them):
 * OpenAI's JSON Lines file, or Anthropic's {"requests": [...]}.  Returns
 * 0 or -1 with *cause (a body missing, memory).
 */
int	batch_input(const struct batch_job *j, size_t k,
	    const struct config *cfg, const char *bodies, size_t len,
	    struct buf *b, char **cause);

/*
 * Read a provider's batch object (len bytes) into part: its id (when
 * unset), status, counts, files or results URL, and whether it ended.
 * Returns 0 or -1 with *cause.
 */
int	batch_parse_status(struct batch_part *part, enum wire w,
	    const char *body, size_t len, char **cause);

/*
 * Read one line of a provider's results (len bytes, no newline) into a
 * (which batch_answer_free frees): the custom id, and the answer and
 * usage, or why it failed (the provider's reason; errors are one
 * printable line with secret blanked).  Returns 0 or -1 with *cause (not
 * a result line).
 */
int	batch_parse_result(enum wire w, const char *line, size_t len,
	    const char *secret, struct batch_answer *a, char **cause);
void	batch_answer_free(struct batch_answer *a);

/* The key of a provider, as engine_opts gives it (NULL: not set). */
typedef const char *(*batch_key_fn)(void *arg, const struct provider *p);

/* What the remote operations need. */
struct batch_remote {
	const struct config	*cfg;
	struct api_opts		 api;
	batch_key_fn		 key;
	void			*arg;
};

/*
 * Submit part k of j with input (len bytes) to its provider: OpenAI
 * uploads the file (POST /files) and creates the batch (POST /batches);
 * Anthropic posts the message batch.  Sets the part's id and status.
 * Returns 0 or -1 with *cause.
 */
int	batch_remote_submit(const struct batch_remote *br, struct batch_job *j,
	    size_t k, const char *input, size_t len, char **cause);

/* Fetch the status of part of j (batch_parse_status).  0 or -1. */
int	batch_remote_status(const struct batch_remote *br,
	    struct batch_part *part, char **cause);

/* Ask the provider to cancel part, then read its status.  0 or -1. */
int	batch_remote_cancel(const struct batch_remote *br,
	    struct batch_part *part, char **cause);

/* How collect hands out what it did. */
struct batch_sink {
	struct logwrite	*log;		/* NULL: no cost log */
	int		 log_prompts;
	/* A result the ledger did not have yet, after its log record. */
	void		(*note)(void *arg, const struct batch_req *r,
			    const char *line, size_t n);
	void		*arg;
};

/*
 * Collect what has ended of j's parts: download each result file, turn
 * each request's result that the ledger (JOB.done) does not hold into a
 * result line (the run's format, cost at batch prices), log it (one
 * record with batch and batch_id) and append it to the ledger; a part
 * that ended gives every request it has no result for an error.  Status
 * must have been fetched.  Returns 0 or -1 with *cause.
 */
int	batch_collect(const struct batch_remote *br, struct batch_job *j,
	    const struct batch_sink *sink, char **cause);

/*
 * The ledger of j: the last result line of each request into lines
 * (indexed as j->reqs, NULL for none yet; the caller frees each and the
 * array) and, unless parts is NULL, the part that gave it into *parts
 * (-1 for none; the caller frees the array).  Returns 0 or -1 with
 * *cause.
 */
int	batch_ledger(const struct batch_job *j, char ***lines, int **parts,
	    char **cause);

/*
 * Append to b the results of j in input order from lines (batch_ledger),
 * only those there.  Returns 0 or -1 (memory).
 */
int	batch_results(const struct batch_job *j, char *const *lines,
	    struct buf *b);

/*
 * Write the answer of each request of j that lines (batch_ledger) has an
 * ok result for to DIR/NAME.out, as a run with --output-dir does
 * (run_write_answer); j must have been read from files, not JSON Lines
 * records.  Returns how many it wrote, or -1 with *cause.
 */
long	batch_answers(const struct batch_job *j, char *const *lines,
	    const char *dir, char **cause);

/* Whether result line is a failure (status other than "ok"). */
int	batch_line_failed(const char *line);

/* How many of the lines (j->nreqs of them, NULL: none yet) failed. */
size_t	batch_count_failed(const struct batch_job *j, char *const *lines);

/* Whether every provider batch of j has ended. */
int	batch_job_ended(const struct batch_job *j);

/* collect --wait: the first pause between polls and the longest. */
#define BATCH_WAIT_FIRST	1.0
#define BATCH_WAIT_MAX		60.0

/*
 * The pause before the next poll, after one of pause seconds: twice as
 * long, at most BATCH_WAIT_MAX.
 */
double	batch_wait_next(double pause);

/*
 * Mark for resubmission (part -1) every request of j whose last result
 * (lines, from part parts[i], as batch_ledger gives them) failed in the
 * batch it is part of now: one resubmitted already, whose new batch has
 * given no result yet, is left alone.  Returns how many.
 */
size_t	batch_retry_failed(struct batch_job *j, char *const *lines,
	    const int *parts);

/* The sibling file of j: path with suffix ("requests", "done"). */
char	*batch_sibling(const struct batch_job *j, const char *suffix);

#endif
