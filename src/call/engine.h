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

/* The most models a job tries: the chosen one and its fallbacks. */
#define ENGINE_MAXMODELS	POLICY_MAXMODELS

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
