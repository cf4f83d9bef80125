/*
 * policy.h: from a score to a tier and model, with the cost estimate.
 */
#ifndef LLMROUTE_POLICY_H
#define LLMROUTE_POLICY_H

#include "route/config.h"

enum forced {
	FORCED_NONE,
	FORCED_TIER,		/* --tier */
	FORCED_MODEL		/* --model */
};

/* The most models a decision lists: a tier's model and its fallbacks. */
#define POLICY_MAXMODELS	8

/* How long a model's recent calls took: the median of the cost log's. */
struct latency {
	const char	*model;
	double		 p50_ms;
};

/* How the caller wants this run routed (command-line knobs). */
struct route_opts {
	struct preference prefer;
	int		 has_threshold;
	double		 threshold;	/* with has_threshold: two tiers */
	const char	*tier;		/* --tier, or NULL */
	const char	*model;		/* --model, or NULL */
	const struct latency *latency;	/* observed, for prefer.speed */
	size_t		 nlatency;
	int		 batch;		/* estimate at batch prices */
};

struct decision {
	double			 score;
	const struct tier	*tier;		/* NULL when --model names */
	const struct model	*model;		/* a model outside the tiers */
	const struct provider	*provider;
	const struct model	*baseline;
	enum forced		 forced;
	double			 tokens_in;	/* estimated */
	double			 tokens_out;
	double			 cost;		/* USD, estimated */
	double			 baseline_cost;
	/* opts->batch: cost is at the provider's batch price (the full
	 * one when it takes no batches) and unbatched_cost what the call
	 * would cost without the batch; the baseline's stays unbatched. */
	int			 batch;
	double			 unbatched_cost;
	/* The models to try in turn, model first: the tier's model and its
	 * fallbacks, fastest first under prefer.speed.  Just model when
	 * --model names one outside the tiers. */
	const struct model	*order[POLICY_MAXMODELS];
	size_t			 norder;
};

/*
 * Check that the names in opts exist in cfg.  Returns 0, or -1 with
 * *cause (caller frees).
 */
int	policy_check(const struct config *cfg, const struct route_opts *opts,
	    char **cause);

/*
 * The score bound of tier i under opts: scores below it go to tier i or
 * a cheaper one.  The last tier's bound is 2, above every score.  With a
 * threshold X, tier 0's bound is X and the others' -1.  Otherwise the
 * configured max_score b moves by the preference, weight W:
 *
 *	bound = clamp(b + s * W * prefer_shift, 0, 1)
 *
 * s +1 for cost, -1 for quality, 0 for balanced: W 0 is balanced, W 1 the
 * whole shift, and each bound moves monotonically with W.
 */
double	policy_bound(const struct config *cfg, const struct route_opts *opts,
	    size_t i);

/*
 * How long model m's calls take, to order a tier's models by under
 * prefer.speed: its observed median in opts, else its configured
 * latency_ms, else HUGE_VAL (unknown: after the known ones).
 */
double	policy_latency(const struct route_opts *opts, const struct model *m);

/*
 * Decide for a prompt with the given score and estimated input tokens.
 * cfg must have passed config_check() and opts policy_check().  With
 * prefer.speed, unless --model forced the model, d->model is the fastest of the tier's model and its
 * fallbacks by policy_latency, ties and unknowns kept in the order of the
 * configuration, and d->order lists them all in that order.  With
 * opts->batch, d->cost is at d->provider's batch price (policy_batch).
 */
/*
 * The part of cost that a batch request of provider p pays: cost times
 * one less its batch_discount, all of it when p takes no batches.
 */
double	policy_batch_cost(const struct provider *p, double cost);

void	policy_decide(const struct config *cfg, const struct route_opts *opts,
	    double score, double tokens_in, struct decision *d);

#endif
