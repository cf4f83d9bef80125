/*
 * confidence.h: how sure a model was of the answer it wrote, from the
 * log-probabilities of its tokens, for a cascade's decision to escalate.
 *
 * Each token's probability is p = exp(logprob) (a logprob of -9999, a
 * token outside the top 20, is p = 0).  Two statistics of the p's:
 *
 *   quantile q	the q-th quantile of the p's (q from 0 to 1, 0.1 by
 *		default): sorted p(0) <= ... <= p(n-1), the virtual index
 *		h = q (n - 1), and p(floor h) + (h - floor h)
 *		(p(floor h + 1) - p(floor h)), as numpy.quantile's linear
 *		rule.  A low quantile looks at the answer's weakest
 *		tokens, and does not grow with the answer's length.
 *   mean	the arithmetic mean of the p's.
 *
 * Both lie in [0, 1]; higher is surer.
 */
#ifndef LLMROUTE_CONFIDENCE_H
#define LLMROUTE_CONFIDENCE_H

#include <stddef.h>

enum confidence_stat {
	CONFIDENCE_QUANTILE,
	CONFIDENCE_MEAN
};

/* The default quantile of CONFIDENCE_QUANTILE. */
#define CONFIDENCE_DEFAULT_Q	0.1

/*
 * The statistic stat (with quantile q for CONFIDENCE_QUANTILE) of the n
 * token log-probabilities at lp into *out.  A logprob that is not a
 * number, or above 0, counts as 0 (p = 1); below -745, as p = 0.  lp is
 * not changed.  Returns 0, or -1 when there is no token (n == 0), q is
 * outside [0, 1] or memory runs out (*out untouched).
 */
int	confidence_of(const double *lp, size_t n, enum confidence_stat stat,
	    double q, double *out);

/*
 * The statistic named name ("quantile", "mean") into *stat.  Returns 0,
 * or -1 when name is none of them.
 */
int	confidence_stat_parse(const char *name, enum confidence_stat *stat);

/* The name of stat, as confidence_stat_parse takes it. */
const char *confidence_stat_name(enum confidence_stat stat);

#endif
