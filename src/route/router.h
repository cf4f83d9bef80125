/*
 * router.h: routing one prompt, as one call: its features and score, the
 * tokens a call of it would send, and the decision of policy.h.
 */
#ifndef LLMROUTE_ROUTER_H
#define LLMROUTE_ROUTER_H

#include "input/input.h"
#include "route/config.h"
#include "route/policy.h"
#include "score/features.h"
#include "score/scorer.h"

/* How a run routes: everything is borrowed and must outlive the router. */
struct router {
	const struct config	*cfg;		/* checked by config_check */
	const struct scorer	*scorer;
	struct route_opts	 opts;		/* --prefer, --threshold, ... */
	const char		*system;	/* the run's system prompt */
};

/* Why a prompt scored as it did: each term of the score's logit. */
struct explain {
	struct features	 f;
	double		 contrib[FEAT_COUNT];	/* weight times feature */
	double		 ngrams;		/* the n-gram term */
	double		 memory;		/* the neighbours' term */
	double		 logit;			/* bias + the terms */
};

/*
 * Check that the names r->opts gives (--tier, --model) exist.  Returns 0,
 * or -1 with *cause.
 */
int	router_check(const struct router *r, char **cause);

/*
 * Route prompt p into *d: score it, estimate the input tokens of a call
 * (every message and the system prompt, the record's own or the run's),
 * and decide.  A record that names its own model is sent there, as
 * --model does.  When why is not NULL it receives the score's terms.
 * Returns 0, or -1 with *cause (no file or line: the caller adds them)
 * when the record names a model the configuration does not have.
 */
int	router_decide(const struct router *r, const struct prompt *p,
	    struct decision *d, struct explain *why, char **cause);

#endif
