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

/* How the caller wants this run routed (command-line knobs). */
struct route_opts {
	enum prefer	 prefer;
	int		 has_threshold;
	double		 threshold;	/* with has_threshold: two tiers */
	const char	*tier;		/* --tier, or NULL */
	const char	*model;		/* --model, or NULL */
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
};

int	policy_check(const struct config *, const struct route_opts *,
	    char **cause);
double	policy_bound(const struct config *, const struct route_opts *,
	    size_t tier);
void	policy_decide(const struct config *, const struct route_opts *,
	    double score, double tokens_in, struct decision *);

#endif
