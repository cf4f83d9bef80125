/*
 * confidence.c: a low quantile and the mean of an answer's token
 * probabilities (see confidence.h for the definitions).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "score/confidence.h"

#include "base/banned.h"

/* exp() of anything below this is 0 in a double. */
#define LOGPROB_FLOOR	(-745.0)

static double
prob_of(double lp)
{
	if (isnan(lp) || lp > 0)
		return 1;
	if (lp < LOGPROB_FLOOR)
		return 0;
	return exp(lp);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-th quantile of the probabilities of lp, linear interpolation. */
static int
quantile(const double *lp, size_t n, double q, double *out)
{
	double	*p, h, lo;
	size_t	 i, k;

	if ((p = calloc(n, sizeof *p)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		p[i] = prob_of(lp[i]);
	qsort(p, n, sizeof *p, cmp_double);
	h = q * (double)(n - 1);
	lo = floor(h);
	k = (size_t)lo;
	*out = k + 1 < n ? p[k] + (h - lo) * (p[k + 1] - p[k]) : p[n - 1];
	free(p);
	return 0;
}

int
confidence_of(const double *lp, size_t n, enum confidence_stat stat,
    double q, double *out)
{
	double	sum = 0;
	size_t	i;

	if (n == 0 || !(q >= 0 && q <= 1))
		return -1;
	if (stat == CONFIDENCE_QUANTILE)
		return quantile(lp, n, q, out);
	for (i = 0; i < n; i++)
		sum += prob_of(lp[i]);
	*out = sum / (double)n;
	return 0;
}

static const char *const stat_names[] = {
	[CONFIDENCE_QUANTILE] = "quantile",
	[CONFIDENCE_MEAN] = "mean"
};

int
confidence_stat_parse(const char *name, enum confidence_stat *stat)
{
	size_t i;

	for (i = 0; i < sizeof stat_names / sizeof stat_names[0]; i++)
		if (strcmp(name, stat_names[i]) == 0) {
			*stat = (enum confidence_stat)i;
			return 0;
		}
	return -1;
}

const char *
confidence_stat_name(enum confidence_stat stat)
{
	return stat_names[stat];
}
