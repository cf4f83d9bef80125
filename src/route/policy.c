/*
 * policy.c: the routing decision.  Tiers are ordered cheapest first; tier
 * i takes the scores below its bound that no cheaper tier took, and the
 * last tier takes the rest.  --prefer moves every bound by its weight
 * times the configured shift (up for cost: more prompts stay cheap; down
 * for quality), and with speed tries a tier's fastest model first;
 * --threshold replaces the tiers by two, the cheapest and the last.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/cause.h"
#include "route/cost.h"
#include "route/policy.h"

#include "base/banned.h"

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
	if (opts->prefer.lean == PREFER_COST)
		b += opts->prefer.weight * cfg->prefer_shift;
	else if (opts->prefer.lean == PREFER_QUALITY)
		b -= opts->prefer.weight * cfg->prefer_shift;
	if (b < 0)
		b = 0;
	if (b > 1)
		b = 1;
	return b;
}

double
policy_latency(const struct route_opts *opts, const struct model *m)
{
	size_t i;

	for (i = 0; i < opts->nlatency; i++)
		if (strcmp(opts->latency[i].model, m->name) == 0)
			return opts->latency[i].p50_ms;
	return m->latency_ms > 0 ? m->latency_ms : HUGE_VAL;
}

/*
 * The models d's call tries into d->order: d->model, then its tier's
 * fallbacks, each once (only d->model when --model named one outside the
 * tier); under prefer.speed, unless a model was forced, sorted by
 * latency, stably, and d->model made the first of them.
 */
static void
decide_order(const struct config *cfg, const struct route_opts *opts,
    struct decision *d)
{
	const struct tier	*t = d->tier;
	const struct model	*m;
	double			 ms[POLICY_MAXMODELS] = { 0 }, v;
	size_t			 i, k;

	d->norder = 0;
	d->order[d->norder++] = d->model;
	if (t != NULL && (d->forced != FORCED_MODEL ||
	    config_model(cfg, t->model) == d->model))
		for (i = 0; i < t->nfallbacks &&
		    d->norder < POLICY_MAXMODELS; i++) {
			m = config_model(cfg, t->fallbacks[i]);
			for (k = 0; k < d->norder && d->order[k] != m; k++)
				;
			if (m != NULL && k == d->norder)
				d->order[d->norder++] = m;
		}
	if (!opts->prefer.speed || d->forced == FORCED_MODEL)
		return;
	/* Insertion sort: stable, and a tier has a handful of models. */
	for (i = 0; i < d->norder; i++) {
		m = d->order[i];
		v = policy_latency(opts, m);
		for (k = i; k > 0 && ms[k - 1] > v; k--) {
			ms[k] = ms[k - 1];
			d->order[k] = d->order[k - 1];
		}
		ms[k] = v;
		d->order[k] = m;
	}
	d->model = d->order[0];
}

double
policy_batch_cost(const struct provider *p, double cost)
{
	return p != NULL && p->batch ? cost * (1 - p->batch_discount) : cost;
}

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
	decide_order(cfg, opts, d);
	d->provider = config_provider(cfg, d->model->provider);
	d->baseline = config_baseline(cfg);
	d->tokens_in = round(tokens_in);	/* tokens are whole */
	d->tokens_out = d->model->out_tokens;
	u = cost_usage(d->tokens_in, 0, d->tokens_out);
	d->cost = cost_of(d->model, &u);
	/* The same token counts at the baseline's prices. */
	d->baseline_cost = cost_of(d->baseline, &u);
	d->batch = opts->batch;
	d->unbatched_cost = d->cost;
	if (opts->batch)
		d->cost = policy_batch_cost(d->provider, d->cost);
}
