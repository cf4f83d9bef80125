/*
 * cost.h: what tokens cost.  One function prices every use: the estimate
 * of a routing decision, the bill of a call, the what-if of a report.
 */
#ifndef LLMROUTE_COST_H
#define LLMROUTE_COST_H

#include "route/config.h"

/*
 * Token usage, normalised: input counts only the tokens billed at the
 * input price, so cost = input * in + cache_read * cache read +
 * cache_write * cache write + output * out, whatever the wire format.
 */
struct usage {
	double	input;
	double	cache_read;
	double	cache_write;
	double	output;		/* includes reasoning tokens */
	double	reasoning;
	int	reported;	/* the provider sent usage */
};

/*
 * USD for usage u at m's prices (USD per million tokens).  A cache price
 * the catalog does not know (0) counts at the input price: no discount
 * is assumed.
 */
double		cost_of(const struct model *m, const struct usage *u);

/*
 * The usage of tokens_in input tokens, cached of which were read from a
 * cache (as the cost log counts them), and tokens_out output tokens.
 */
struct usage	cost_usage(double tokens_in, double cached, double tokens_out);

/* Every input token of u, cached or not: what the log calls tokens_in. */
double		cost_tokens_in(const struct usage *u);

#endif
