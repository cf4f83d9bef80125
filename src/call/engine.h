/*
 * engine.h: executing routed calls: attempts, retries, fallbacks and the
 * shared cooldown, over the HTTP transfers of http.h.
 *
 * The caller creates an engine, submits jobs (a prompt with its routing
 * decision), and turns engine_step until engine_pending is 0; each job's
 * answer text and result come back through its callbacks.  One thread.
 */
#ifndef LLMROUTE_ENGINE_H
#define LLMROUTE_ENGINE_H

#include <stddef.h>

#include "base/reqid.h"
#include "call/cooldown.h"
#include "input/input.h"
#include "route/config.h"
#include "route/cost.h"
#include "route/policy.h"
#include "score/confidence.h"

/* The most models a job tries: the chosen one and its fallbacks. */
#define ENGINE_MAXMODELS	POLICY_MAXMODELS

/*
 * A cascade: for a prompt routed below the top tier, its tier answers
 * first, with log-probabilities asked for and the answer held back; the
 * answer's confidence (confidence.h) under threshold escalates the call
 * to the next tier up, whose answer is the one handed out.
 */
struct engine_cascade_opts {
	int		 on;
	double		 threshold;
	int		 stat;		/* enum confidence_stat */
	double		 quantile;
	/* The state file of models that reject log-probabilities
	   (lpstate.h); NULL: remembered for this engine only. */
	const char	*lp_path;
};

struct engine_opts {
	const char	*system;	/* NULL: none */
	long		 max_tokens;	/* 0: the provider's default */
	int		 has_temperature;
	double		 temperature;
	int		 stream;
	int		 jobs;		/* calls in flight at most */
	long		 connect_ms;
	long		 total_ms;	/* one job's whole time */
	long		 stall_ms;	/* longest silence in a stream */
	size_t		 max_response;	/* bytes of one response */
	int		 retries;	/* per model, after the first try */
	double		 backoff_base;	/* seconds */
	double		 backoff_cap;
	double		 max_wait;	/* longest Retry-After honoured */
	const char	*cooldown_path;	/* NULL: no cooldown */
	struct cooldown_opts cooldown;
	struct engine_cascade_opts cascade;
	unsigned long	 seed;		/* of the retry jitter */
	/* The key for provider p: NULL when its variable is not set. */
	const char	*(*key)(void *arg, const struct provider *p);
	/* A line of progress for -v (NULL: none); no key ever shows in it. */
	void		(*note)(void *arg, const char *line);
	void		*arg;		/* for key and note */
};

enum engine_status {
	ENGINE_OK,
	ENGINE_ERROR,
	ENGINE_INTERRUPTED
};

/* Cascade stages, as results and the log name them. */
#define ENGINE_STAGE_CHEAP	"cheap"
#define ENGINE_STAGE_VERIFY	"verify"	/* the cheap model asked
						   whether its answer is
						   right */
#define ENGINE_STAGE_PREMIUM	"premium"

/* What an answer without log-probabilities was taken as. */
#define ENGINE_MISSING_ESCALATE	"escalate"
#define ENGINE_MISSING_KEEP	"keep"
#define ENGINE_MISSING_VERIFY	"verify"	/* as its model said */

/*
 * The question of the verify policy, sent after the conversation and the
 * cheap answer (as the assistant's) to the same model.  The first word
 * of its reply, "yes" or "no", is the verdict: the confidence is the
 * probability of that first token when log-probabilities came (p for
 * yes, 1 - p for no), else 1 for yes and 0 for no; any other reply, or a
 * failed call, escalates.
 */
#define ENGINE_VERIFY_PROMPT	"Is your answer above correct and " \
	"complete? Reply with one word: yes or no."
#define ENGINE_VERIFY_TOKENS	16	/* max_tokens of the question */

/* A call's part in a cascade. */
struct engine_cascade {
	const char		*stage;		/* ENGINE_STAGE_*; NULL: the
						   call was no cascade */
	int			 has_confidence;
	double			 confidence;	/* of the cheap answer */
	double			 threshold;
	int			 escalated;	/* the next tier was called */
	const char		*missing;	/* no log-probabilities: what
						   the answer was taken as
						   (ENGINE_MISSING_*); NULL */
	int			 lp_rejected;	/* the model refused to give
						   them (a 400) */
	const struct tier	*tier;		/* this stage's */
	double			 first_token_ms; /* from the cascade's start
						   to the first text handed
						   out; 0: none */
};

/* How a call ended: what the log records. */
struct engine_result {
	enum engine_status	 status;
	char			 request_id[REQID_SIZE]; /* this call's own */
	char			 error[512];	/* why, unless ENGINE_OK */
	int			 missing_key;	/* no model had its key */
	int			 auth_failed;	/* a provider refused its key
						   (error says which and the
						   variable), no model answered */
	int			 cut_off;	/* failed after output began */
	const struct model	*model;		/* answered, or tried last */
	const struct provider	*provider;
	int			 attempts;
	const char		*failed[ENGINE_MAXMODELS];
	size_t			 nfailed;	/* models that failed first */
	struct usage		 usage;
	int			 estimated;	/* usage not reported */
	char			 finish_reason[32]; /* of an answer, as
						   wire_finish_reason names
						   it; "": not said */
	int			 truncated;	/* the answer was cut at
						   the token limit */
	double			 latency_ms;
	double			 cost;
	double			 baseline_cost;
	const char		*answer;	/* the whole answer text */
	size_t			 answer_len;
	struct engine_cascade	 cascade;
};

/*
 * How engine_step winds the jobs down.  The values are the front's stop
 * levels: each one asks more than the one before.
 */
enum engine_stop {
	ENGINE_STOP_NONE = 0,	/* run on */
	ENGINE_STOP_FINISH = 1,	/* start nothing more; let calls in flight
				   finish, end the others as interrupted */
	ENGINE_STOP_ABORT = 2	/* end every job now, as interrupted */
};

/* Answer text as it arrives: len bytes at text, not NUL-terminated. */
typedef void (*engine_text_fn)(void *arg, const char *text, size_t len);

/*
 * A job's end, called once; the result and the text it points to are
 * valid only during the call.
 */
typedef void (*engine_done_fn)(void *arg, const struct engine_result *r);

struct engine;

/*
 * An engine for cfg (which must outlive it) with options o (copied).
 * Loads libcurl.  Returns the engine, freed with engine_free, or NULL with
 * *cause (the caller frees it).
 */
struct engine	*engine_new(const struct config *cfg,
		    const struct engine_opts *o, char **cause);

/*
 * Queue a call of prompt p routed by d (copied): the models of d->order
 * in turn (d's model when it is empty).  The call gets a request id of
 * its own (reqid_new), which its result carries.  on_text (or NULL) gets
 * answer text as it arrives, on_done (or NULL) the result once; both get
 * arg.  p must live until on_done.  Returns 0, or -1 with *cause when
 * memory runs out or no random bytes can be had for the id.
 */
int		 engine_submit(struct engine *e, const struct prompt *p,
		    const struct decision *d, engine_text_fn on_text,
		    engine_done_fn on_done, void *arg, char **cause);

/* A call to queue, as engine_submit_call takes it. */
struct engine_call {
	const struct prompt	*prompt;	/* must live until on_done */
	const struct decision	*dec;		/* copied */
	engine_text_fn		 on_text;	/* NULL: none */
	/* A cascade's cheap answer was unsure: the result of its call,
	   before the next tier is called (NULL: not told). */
	engine_done_fn		 on_stage;
	engine_done_fn		 on_done;	/* NULL: none */
	void			*arg;		/* for the three */
	/* --resume of a cascade whose cheap answer escalated: call the
	   next tier straight away, as request_id with the verdict
	   escalated; both NULL: from the start. */
	const char		*request_id;
	const struct engine_cascade *escalated;
};

/*
 * Queue call c as engine_submit does, and with the engine's cascade on,
 * as a cascade when c's decision is a tier below the top one (not a
 * --model): the cheap stage's text is held back, on_stage hears of it if
 * it escalates, and on_text then gets the next tier's.  Both stages share
 * the one request id.  Returns 0, or -1 with *cause.
 */
int		 engine_submit_call(struct engine *e,
		    const struct engine_call *c, char **cause);

/*
 * One turn of the engine: end jobs as stop asks, start the attempts that
 * are due and allowed, wait for the transfers (at most until the next
 * retry is due, or a byte to read on wake_fd, -1 for none), and settle
 * the finished ones, calling back from here.  Returns 0, or -1 when
 * libcurl failed.
 */
int		 engine_step(struct engine *e, int wake_fd,
		    enum engine_stop stop);

/* How many jobs were submitted and are not done. */
size_t		 engine_pending(const struct engine *e);

/*
 * Free e and its jobs; transfers still running are dropped without a
 * callback.  e may be NULL.
 */
void		 engine_free(struct engine *e);

#endif
