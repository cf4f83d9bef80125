/*
 * test_confidence.c: the confidence statistics of confidence.c on token
 * log-probabilities whose probabilities are worked out by hand.
 */
#include <math.h>

#include "score/confidence.h"
#include "unit.h"

#define EPS	1e-12

int
main(void)
{
	/* p = 0.9, 0.5, 0.8, 0.2, 1.0 (logprob 0) */
	double	lp[] = { log(0.9), log(0.5), log(0.8), log(0.2), 0 };
	double	one[] = { log(0.25) };
	double	far[] = { -9999, log(0.5) };
	double	odd[] = { 3.0, NAN };
	double	c = -1;

	/* sorted 0.2 0.5 0.8 0.9 1.0; q 0.1: h = 0.4, 0.2 + 0.4 * 0.3 */
	CHECK(confidence_of(lp, 5, CONFIDENCE_QUANTILE, 0.1, &c) == 0 &&
	    fabs(c - 0.32) < EPS, "the 10th percentile interpolates");
	CHECK(confidence_of(lp, 5, CONFIDENCE_QUANTILE, 0.5, &c) == 0 &&
	    fabs(c - 0.8) < EPS, "the median is the middle token");
	CHECK(confidence_of(lp, 5, CONFIDENCE_QUANTILE, 0, &c) == 0 &&
	    fabs(c - 0.2) < EPS, "quantile 0 is the weakest token");
	CHECK(confidence_of(lp, 5, CONFIDENCE_QUANTILE, 1, &c) == 0 &&
	    fabs(c - 1.0) < EPS, "quantile 1 is the surest token");
	/* (0.9 + 0.5 + 0.8 + 0.2 + 1) / 5 = 0.68 */
	CHECK(confidence_of(lp, 5, CONFIDENCE_MEAN, 0.1, &c) == 0 &&
	    fabs(c - 0.68) < EPS, "the mean of the probabilities");
	CHECK(confidence_of(one, 1, CONFIDENCE_QUANTILE, 0.1, &c) == 0 &&
	    fabs(c - 0.25) < EPS, "one token is its own quantile");
	/* p = 0, 0.5: h = 0.1, 0 + 0.1 * 0.5 */
	CHECK(confidence_of(far, 2, CONFIDENCE_QUANTILE, 0.1, &c) == 0 &&
	    fabs(c - 0.05) < EPS, "-9999 is a probability of 0");
	CHECK(confidence_of(odd, 2, CONFIDENCE_MEAN, 0.1, &c) == 0 &&
	    fabs(c - 1.0) < EPS, "a positive or NaN logprob counts as 0");
	c = -1;
	CHECK(confidence_of(lp, 0, CONFIDENCE_MEAN, 0.1, &c) == -1 &&
	    c == -1, "no token: no confidence");
	CHECK(confidence_of(lp, 5, CONFIDENCE_QUANTILE, 1.5, &c) == -1,
	    "a quantile above 1 is refused");
	{
		enum confidence_stat s = CONFIDENCE_QUANTILE;

		CHECK(confidence_stat_parse("mean", &s) == 0 &&
		    s == CONFIDENCE_MEAN, "mean parses");
		CHECK(confidence_stat_parse("median", &s) == -1,
		    "an unknown statistic is refused");
		CHECK_STR(confidence_stat_name(CONFIDENCE_QUANTILE),
		    "quantile", "the quantile's name");
	}
	return unit_done();
}
