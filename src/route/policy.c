/*
 * policy.c: the routing decision.  Tiers are ordered cheapest first; tier
 * i takes the scores below its bound that no cheaper tier took, and the
 * last tier takes the rest.  --prefer moves every bound by the configured
 * shift (up for cost: more prompts stay cheap; down for quality);
 * --threshold replaces the tiers by two, the cheapest and the last.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "base/cause.h"
#include "route/cost.h"
#include "route/policy.h"

#include "base/banned.h"

/*
 * Check that the names in opts exist in cfg.  Returns 0, or -1 with
 * *cause (caller frees).
 */
int
policy_check(const struct config *cfg, const struct route_opts *opts,
    char **cause)
{
	if (opts->tier != NULL && config_tier(cfg, opts->tier) == NULL)
		return cause_set(cause, "unknown tier '%s'", opts->tier);
	if (opts->model != NULL && config_model(cfg, opts->model) == NULL)
		return cause_set(cause,
		    "unknown model '%s' (see 'llmroute models')", opts->model);
	return 0;
}

/*
 * The score bound of tier i under opts: scores below it go to tier i or a
 * cheaper one.  The last tier's bound is above every score.
 */
double
policy_bound(const struct config *cfg, const struct route_opts *opts,
    size_t i)
{
	double b;

	if (i + 1 >= cfg->ntiers)
		return 2.0;
	if (opts->has_threshold)
		return i == 0 ? opts->threshold : -1.0;
	b = cfg->tiers[i].max_score;
	if (opts->prefer == PREFER_COST)
		b += cfg->prefer_shift;
	else if (opts->prefer == PREFER_QUALITY)
		b -= cfg->prefer_shift;
	if (b < 0)
		b = 0;
	if (b > 1)
		b = 1;
	return b;
}

/*
 * Decide for a prompt with the given score and estimated input tokens.
 * cfg must have passed config_check() and opts policy_check().
 */
void
policy_decide(const struct config *cfg, const struct route_opts *opts,
    double score, double tokens_in, struct decision *d)
{
	struct usage	u;
	size_t		i;

	d->score = score;
	d->forced = FORCED_NONE;
	d->tier = NULL;
	if (opts->model != NULL) {
		d->forced = FORCED_MODEL;
		d->model = config_model(cfg, opts->model);
		for (i = 0; i < cfg->ntiers; i++)
			if (config_model(cfg, cfg->tiers[i].model) == d->model)
				d->tier = &cfg->tiers[i];
	} else {
		if (opts->tier != NULL) {
			d->forced = FORCED_TIER;
			d->tier = config_tier(cfg, opts->tier);
		} else {
			for (i = 0; i + 1 < cfg->ntiers; i++)
				if (score < policy_bound(cfg, opts, i))
					break;
			d->tier = &cfg->tiers[i];
		}
		d->model = config_model(cfg, d->tier->model);
	}
	d->provider = config_provider(cfg, d->model->provider);
	d->baseline = config_baseline(cfg);
	d->tokens_in = round(tokens_in);	/* tokens are whole */
	d->tokens_out = d->model->out_tokens;
	u = cost_usage(d->tokens_in, 0, d->tokens_out);
	d->cost = cost_of(d->model, &u);
	/* The same token counts at the baseline's prices. */
	d->baseline_cost = cost_of(d->baseline, &u);
}
