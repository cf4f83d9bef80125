/*
 * call.h: executing routed calls: attempts, retries, fallbacks and the
 * shared cooldown, over the HTTP transfers of http.c.
 */
#ifndef LLMROUTE_ENGINE_H
#define LLMROUTE_ENGINE_H

#include <signal.h>
#include <stddef.h>

#include "base/buf.h"
#include "route/config.h"
#include "call/cooldown.h"
#include "input/input.h"
#include "route/policy.h"
#include "call/wire.h"

#define ENGINE_MAXMODELS	8

struct engine_opts {
	const char	*system;	/* NULL: none */
	long		 max_tokens;	/* 0: the provider's default */
	int		 has_temperature;
	double		 temperature;
	int		 stream;
	int		 jobs;		/* calls in flight at most */
	long		 connect_ms;
	long		 total_ms;
	long		 stall_ms;
	size_t		 max_response;	/* bytes of one response */
	int		 retries;	/* per model, after the first try */
	double		 backoff_base;	/* seconds */
	double		 backoff_cap;
	double		 max_wait;	/* longest Retry-After honoured */
	const char	*cooldown_path;	/* NULL: no cooldown */
	struct cooldown_opts cooldown;
	unsigned long	 seed;
	/* The key for a provider: NULL when its variable is not set. */
	const char	*(*key)(void *, const struct provider *);
	/* A line of progress for -v. */
	void		(*note)(void *, const char *);
	void		*arg;
};

enum engine_status {
	ENGINE_OK,
	ENGINE_ERROR,
	ENGINE_INTERRUPTED
};

/* How a call ended: what the log records. */
struct engine_result {
	enum engine_status	 status;
	char			 error[512];
	int			 request_fault;	/* the request was refused */
	int			 missing_key;	/* no model had its key */
	int			 cut_off;	/* failed after output began */
	const struct model	*model;		/* answered, or tried last */
	const struct provider	*provider;
	int			 attempts;
	const char		*failed[ENGINE_MAXMODELS];
	size_t			 nfailed;	/* models that failed first */
	struct usage		 usage;
	int			 estimated;	/* usage not reported */
	double			 latency_ms;
	double			 cost;
	double			 baseline_cost;
	char			 finish_reason[32];
	const char		*answer;	/* the whole answer text */
	size_t			 answer_len;
};

/*
 * on_done gets the result of a finished job; the result and the text it
 * points to are valid only during the call.
 */
typedef void (*engine_text_fn)(void *, const char *, size_t);
typedef void (*engine_done_fn)(void *, const struct engine_result *);

struct engine;

struct engine	*engine_new(const struct config *, const struct engine_opts *,
		    char **cause);
int		 engine_submit(struct engine *, const struct prompt *,
		    const struct decision *, engine_text_fn, engine_done_fn,
		    void *, char **cause);
int		 engine_run(struct engine *, int wake_fd,
		    volatile sig_atomic_t *stop);
int		 engine_step(struct engine *, int wake_fd, int stop);
size_t		 engine_pending(const struct engine *);
void		 engine_free(struct engine *);

#endif
