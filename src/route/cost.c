/*
 * cost.c: prices applied to token counts.
 */
#include <string.h>

#include "route/cost.h"

#include "base/banned.h"

#define COST_TOKENS_PER_PRICE	1e6	/* prices are per million tokens */

static double
price_or(double p, double fallback)
{
	return p > 0 ? p : fallback;
}

double
cost_of(const struct model *m, const struct usage *u)
{
	return (u->input * m->price_in +
	    u->cache_read * price_or(m->price_cache_read, m->price_in) +
	    u->cache_write * price_or(m->price_cache_write, m->price_in) +
	    u->output * m->price_out) / COST_TOKENS_PER_PRICE;
}

struct usage
cost_usage(double tokens_in, double cached, double tokens_out)
{
	struct usage u;

	memset(&u, 0, sizeof u);
	u.input = tokens_in > cached ? tokens_in - cached : 0;
	u.cache_read = cached;
	u.output = tokens_out;
	return u;
}

double
cost_tokens_in(const struct usage *u)
{
	return u->input + u->cache_read + u->cache_write;
}
