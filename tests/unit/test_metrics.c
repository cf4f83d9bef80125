/*
 * test_metrics.c: the RouteLLM evaluation (APGR, CPT) of metrics.c on
 * small fixtures worked out by hand from docs/metrics.md, and the label
 * files (labels.c) that feed it.
 *
 * Reminder of the rules (docs/metrics.md):
 *   edges e_i = numpy.quantile(scores, i / 10), i = 0..10, linear
 *     interpolation: virtual index i (n - 1) / 10 between order statistics;
 *   edge i < 10: s >= e_i goes to strong; edge 10: s > e_10;
 *   x = % strong, y = mean routed quality; 11 points sorted by x;
 *   APGR = (AUC - AUC_weak) / (AUC_strong - AUC_weak), trapezoids on x/100;
 *   CPT(p) = smallest x where the curve (straight segments) reaches
 *     q_weak + p/100 (q_strong - q_weak).
 */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "learn/labels.h"
#include "learn/metrics.h"
#include "unit.h"

#define EPS	1e-9

/* Every point of m's curve equals (xs[i], ys[i]) within EPS. */
static int
curve_is(const struct metrics *m, const double *xs, const double *ys)
{
	int i;

	for (i = 0; i < METRICS_POINTS; i++)
		if (fabs(m->pts[i].x - xs[i]) > EPS ||
		    fabs(m->pts[i].y - ys[i]) > EPS) {
			printf("# point %d: (%.12g, %.12g), want (%.12g, "
			    "%.12g)\n", i, m->pts[i].x, m->pts[i].y, xs[i],
			    ys[i]);
			return 0;
		}
	return 1;
}

/* metrics_cpt's answer, or -1 when it says "never reached". */
static double
cpt(const struct metrics *m, double pct)
{
	double x = -12345;

	if (metrics_cpt(m, pct, &x) == -1)
		return -1;
	return x;
}

/*
 * bench/quality.py --selftest's hand case with ties, (score, q_S, q_W):
 *   A (0, 1, 1)  B (10, 1, 0)  C (10, 0, 1)  D (10, 1, 0)  E (20, 1, 0)
 * sorted 0, 10, 10, 10, 20; virtual index i * 4 / 10:
 *   0 -> 0; .4 -> 0 + 10 * .4 = 4; .8 -> 8; 1.2, 1.6, 2.0, 2.4, 2.8 -> 10
 *   (between equal tens); 3.2 -> 10 + 10 * .2 = 12; 3.6 -> 16; 4 -> 20.
 * s >= 0: all (100%); s >= 4, 8, 10 x5: B, C, D, E (80%; the three tied
 * tens move together, never 40 or 60%); s >= 12, 16: E (20%); s > 20:
 * none (0%).  Sorted x: 0, 20, 20, 80 x7, 100.
 * q_S = 4/5 = .8, q_W = 2/5 = .4.  y(0) = .4, y(20) = (1+0+1+0+1)/5 = .6,
 * y(80) = (1+1+0+1+1)/5 = .8, y(100) = .8.
 * AUC = .2 (.4 + .6) / 2 + .6 (.6 + .8) / 2 + .2 (.8) = .1 + .42 + .16 = .68
 * APGR = (.68 - .4) / (.8 - .4) = .7.
 * CPT(50): target .6 -> 20.  CPT(80): target .72 on (20, .6)-(80, .8):
 * 20 + (.72 - .6) * 60 / .2 = 56.  CPT(100): target .8, reached at 80.
 * CPT(150): target 1.0, above every point: never.
 */
static void
test_selftest_hand(void)
{
	const double	s[] = { 0, 10, 10, 10, 20 };
	const double	qs[] = { 1, 1, 0, 1, 1 };
	const double	qw[] = { 1, 0, 1, 0, 0 };
	const double	xs[] = { 0, 20, 20, 80, 80, 80, 80, 80, 80, 80, 100 };
	const double	ys[] = { .4, .6, .6, .8, .8, .8, .8, .8, .8, .8, .8 };
	const size_t	perm[] = { 3, 0, 4, 2, 1 };
	double		ps[5], pqs[5], pqw[5];
	struct metrics	m, m2;
	size_t		i;

	CHECK(metrics_eval(s, qs, qw, 5, &m) == 0, "hand case: evaluated");
	CHECK(m.n == 5, "hand case: n is 5");
	CHECK_NEAR(m.q_strong, .8, EPS, "hand case: q_strong .8");
	CHECK_NEAR(m.q_weak, .4, EPS, "hand case: q_weak .4");
	CHECK(curve_is(&m, xs, ys), "hand case: curve 0, 20, 20, 80 x7, 100 "
	    "with y .4, .6, .8 (tied scores move together)");
	CHECK(m.has_apgr == 1, "hand case: has an APGR");
	CHECK_NEAR(m.apgr, .7, EPS, "hand case: APGR .7 (quality.py)");
	CHECK_NEAR(cpt(&m, 50), 20, 1e-6, "hand case: CPT(50) 20");
	CHECK_NEAR(cpt(&m, 80), 56, 1e-6, "hand case: CPT(80) 56");
	CHECK_NEAR(cpt(&m, 100), 80, 1e-6, "hand case: CPT(100) 80");
	CHECK(cpt(&m, 150) == -1, "hand case: CPT(150) never reached: -1");

	/* The input order must not matter. */
	for (i = 0; i < 5; i++) {
		ps[i] = s[perm[i]];
		pqs[i] = qs[perm[i]];
		pqw[i] = qw[perm[i]];
	}
	CHECK(metrics_eval(ps, pqs, pqw, 5, &m2) == 0 &&
	    memcmp(m.pts, m2.pts, sizeof m.pts) == 0 && m2.apgr == m.apgr,
	    "hand case shuffled: the same curve and APGR");

	/*
	 * The oracle (score = q_S - q_W: 0, 1, -1, 1, 1).  Sorted -1, 0, 1, 1,
	 * 1; edges -1, -.6, -.2, .2, .6, then 1 x6.  s >= -1: 5 (100%);
	 * -.6, -.2: all but C (80%); .2, .6 and 1 x5: B, D, E (60%); s > 1:
	 * none.  y(0) = .4, y(60) = (1 + 1 + 1 + 1 + 1)/5 = 1, y(80) = 1,
	 * y(100) = .8.  AUC = .6 (.4 + 1)/2 + .2 + .2 (1 + .8)/2 = .8: APGR
	 * (.8 - .4)/.4 = 1 (quality.py only asks for more than .7).
	 */
	{
		double o[5];

		for (i = 0; i < 5; i++)
			o[i] = qs[i] - qw[i];
		CHECK(metrics_eval(o, qs, qw, 5, &m2) == 0 &&
		    fabs(m2.apgr - 1) < EPS, "hand case: the oracle's APGR is "
		    "1 (above quality.py's .7)");
	}
}

/*
 * All scores tied (quality.py: "all tied"): s = 3, 3, 3, 3, q_S = 1, 1,
 * 0, 1, q_W = 0, 1, 0, 0.  Every edge is 3: ten edges send all to strong
 * (x 100, y .75), the last (s > 3) none (x 0, y .25).  Sorted x: 0,
 * 100 x10.  AUC = 1 * (.25 + .75) / 2 = .5, AUC_W = .25, AUC_S = .75:
 * APGR = .25 / .5 = .5 exactly (every term is a power of two).
 * CPT(50): target .5 on (0, .25)-(100, .75): 50.
 */
static void
test_all_tied(void)
{
	const double	s[] = { 3, 3, 3, 3 };
	const double	qs[] = { 1, 1, 0, 1 };
	const double	qw[] = { 0, 1, 0, 0 };
	const double	xs[] = { 0, 100, 100, 100, 100, 100, 100, 100, 100,
	    100, 100 };
	const double	ys[] = { .25, .75, .75, .75, .75, .75, .75, .75, .75,
	    .75, .75 };
	struct metrics	m;

	CHECK(metrics_eval(s, qs, qw, 4, &m) == 0, "all tied: evaluated");
	CHECK(curve_is(&m, xs, ys), "all tied: curve 0, then 100 x10");
	CHECK(m.has_apgr && m.apgr == 0.5, "all tied: APGR exactly 0.5");
	CHECK(cpt(&m, 50) == 50, "all tied: CPT(50) exactly 50");
	CHECK_NEAR(cpt(&m, 80), 80, 1e-9, "all tied: CPT(80) 80");
}

/*
 * A perfect router, and the same prompts inverted.  Four prompts, q_S =
 * 1, 1, 1, 1 and q_W = 1, 1, 0, 0: the last two need the strong model.
 * Perfect: scores 1, 2, 3, 4.  Sorted 1, 2, 3, 4; virtual index i * 3 /
 * 10 = 0, .3, .6, .9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7, 3 gives the edges
 * 1, 1.3, 1.6, 1.9, 2.2, 2.5, 2.8, 3.1, 3.4, 3.7, 4 (quality.py's
 * "quantile [1,2,3,4]").  Interpolation matters here: numpy's "lower" or
 * "nearest" edges (1, 1, 1, 2, ...) would put all four prompts at s >= 1
 * for i = 1..3, giving 100% where linear gives 75%.
 * Counts s >= e: 1 -> 4 (100%); 1.3, 1.6, 1.9 -> 3 (75%); 2.2, 2.5, 2.8
 * -> 2 (50%); 3.1, 3.4, 3.7 -> 1 (25%); s > 4 -> 0.
 * y: 0% -> q_W = .5; 25% -> prompt 4 strong, 3 weak (0): 3/4 = .75;
 * 50%, 75%, 100% -> 1.
 * AUC = .25 (.5 + .75)/2 + .25 (.75 + 1)/2 + .25 + .25
 *     = .15625 + .21875 + .5 = .875;  APGR = (.875 - .5) / .5 = .75.
 * CPT(50): target .75: 25.  CPT(80): target .9 on (25, .75)-(50, 1): 40.
 *
 * Inverted: scores 4, 3, 2, 1.  The same edges; 75% -> prompts 1, 2, 3
 * strong, prompt 4 weak (0): .75; 50% -> 1, 2 strong, 3, 4 weak: .5;
 * 25% -> .5; 0% -> .5; 100% -> 1.
 * AUC = .125 + .125 + .25 (.5 + .75)/2 + .25 (.75 + 1)/2 = .625;
 * APGR = (.625 - .5) / .5 = .25 (perfect + inverted = 1).
 * CPT(50): target .75 first at 75.  CPT(80): .9 on (75, .75)-(100, 1): 90.
 */
static void
test_perfect_inverted(void)
{
	const double	qs[] = { 1, 1, 1, 1 };
	const double	qw[] = { 1, 1, 0, 0 };
	const double	good[] = { 1, 2, 3, 4 }, bad[] = { 4, 3, 2, 1 };
	const double	xs[] = { 0, 25, 25, 25, 50, 50, 50, 75, 75, 75, 100 };
	const double	yg[] = { .5, .75, .75, .75, 1, 1, 1, 1, 1, 1, 1 };
	const double	yb[] = { .5, .5, .5, .5, .5, .5, .5, .75, .75, .75, 1 };
	struct metrics	m;

	CHECK(metrics_eval(good, qs, qw, 4, &m) == 0, "perfect: evaluated");
	CHECK(curve_is(&m, xs, yg), "perfect: curve x 0, 25 x3, 50 x3, 75 x3, "
	    "100 (linear quantile edges)");
	CHECK_NEAR(m.apgr, .75, EPS, "perfect: APGR .75");
	CHECK_NEAR(cpt(&m, 50), 25, 1e-6, "perfect: CPT(50) 25");
	CHECK_NEAR(cpt(&m, 80), 40, 1e-6, "perfect: CPT(80) 40");

	CHECK(metrics_eval(bad, qs, qw, 4, &m) == 0, "inverted: evaluated");
	CHECK(curve_is(&m, xs, yb), "inverted: curve y .5 until 75%");
	CHECK_NEAR(m.apgr, .25, EPS, "inverted: APGR .25");
	CHECK_NEAR(cpt(&m, 50), 75, 1e-6, "inverted: CPT(50) 75");
	CHECK_NEAR(cpt(&m, 80), 90, 1e-6, "inverted: CPT(80) 90");
}

/*
 * Ties exactly at a threshold: s = 0, 0, 1, 1.  Virtual index i * 3 / 10:
 * 0, .3, .6, .9 lie between the two zeros -> 0; 1.2, 1.5, 1.8 between 0
 * and 1 -> .2, .5, .8; 2.1, 2.4, 2.7, 3 between the ones -> 1.
 * s >= 0: all (100%) x4; s >= .2, .5, .8: the ones (50%); s >= 1 (edges
 * 7, 8, 9): the ones again (50%, >= keeps both tied ones); s > 1 (edge
 * 10): none.  Sorted x: 0, 50 x6, 100 x4.
 * q_S = 1, 1, 1, 1; q_W = 1, 1, 0, 0 (the high scorers need strong):
 * y 0% -> .5, 50% -> 1, 100% -> 1.
 * AUC = .5 (.5 + 1)/2 + .5 = .875: APGR = .75.
 */
static void
test_threshold_ties(void)
{
	const double	s[] = { 1, 0, 1, 0 };
	const double	qs[] = { 1, 1, 1, 1 };
	const double	qw[] = { 0, 1, 0, 1 };
	const double	xs[] = { 0, 50, 50, 50, 50, 50, 50, 100, 100, 100,
	    100 };
	const double	ys[] = { .5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	struct metrics	m;
	int		i, half = 1;

	CHECK(metrics_eval(s, qs, qw, 4, &m) == 0, "threshold ties: "
	    "evaluated");
	CHECK(curve_is(&m, xs, ys), "threshold ties: x 0, 50 x6, 100 x4 "
	    "(s >= edge keeps the tied ones together)");
	for (i = 0; i < METRICS_POINTS; i++)
		if (m.pts[i].x == 25 || m.pts[i].x == 75)
			half = 0;
	CHECK(half, "threshold ties: no point splits a tie (no 25% or 75%)");
	CHECK_NEAR(m.apgr, .75, EPS, "threshold ties: APGR .75");
}

/*
 * A non-monotone curve: s = 0, 1, 2, 3, 4 for prompts P0..P4 with
 *   P0 (q_S 1, q_W 1)  P1 (1, 0)  P2 (1, 0)  P3 (0, 1)  P4 (1, 0).
 * Virtual index i * 4 / 10 = 0, .4, .8, 1.2, 1.6, 2, 2.4, 2.8, 3.2, 3.6, 4
 * are the edges themselves.  s >= 0: 5 (100%); .4, .8: 4 (80%); 1.2, 1.6,
 * 2: 3 (60%); 2.4, 2.8: 2 (40%); 3.2, 3.6: 1 (20%); s > 4: 0.
 * q_W = 2/5 = .4 (P0, P3), q_S = 4/5 = .8.  y(k strong) = .4 + the gains
 * (q_S - q_W) of the top k / 5, gains P4 +1, P3 -1, P2 +1, P1 +1, P0 0:
 *   y(0) = .4, y(20) = .6, y(40) = .4, y(60) = .6, y(80) = .8, y(100) = .8
 * Sorted curve: (0 .4) (20 .6)x2 (40 .4)x2 (60 .6)x3 (80 .8)x2 (100 .8).
 * AUC = .2 (.4 + .6)/2 + .2 (.6 + .4)/2 + .2 (.4 + .6)/2 + .2 (.6 + .8)/2
 *     + .2 (.8) = .1 + .1 + .1 + .14 + .16 = .6;  APGR = (.6 - .4)/.4 = .5.
 * CPT(25): target .5, first crossing on (0, .4)-(20, .6): 10 (the second
 * crossing, on (40, .4)-(60, .6), would be 50).
 * CPT(50): target .6: reached at x = 20 already (y(20) = .6).
 */
static void
test_dip(void)
{
	const double	s[] = { 0, 1, 2, 3, 4 };
	const double	qs[] = { 1, 1, 1, 0, 1 };
	const double	qw[] = { 1, 0, 0, 1, 0 };
	const double	xs[] = { 0, 20, 20, 40, 40, 60, 60, 60, 80, 80, 100 };
	const double	ys[] = { .4, .6, .6, .4, .4, .6, .6, .6, .8, .8, .8 };
	struct metrics	m;

	CHECK(metrics_eval(s, qs, qw, 5, &m) == 0, "dip: evaluated");
	CHECK(curve_is(&m, xs, ys), "dip: the curve goes .4, .6, .4, .6, .8");
	CHECK_NEAR(m.apgr, .5, EPS, "dip: APGR .5");
	CHECK_NEAR(cpt(&m, 25), 10, 1e-6, "dip: CPT(25) takes the first "
	    "crossing, 10 (not 50)");
	/*
	 * q_W + .5 (q_S - q_W) is .6000000000000001 in doubles while y(20)
	 * is 3/5 = .6, so a comparison without tolerance misses the point
	 * at 20 and the next crossing is at 60.
	 */
	CHECK_NEAR(cpt(&m, 50), 20, 1e-6, "dip: CPT(50) is 20, where y "
	    "first equals the target (a rounding ulp must not move it to 60)");
}

/*
 * metrics_cpt on hand-made curves (quality.py's "cpt dip", "cpt at 0",
 * "cpt none"), each as 11 points by repeating the middle one.
 */
static void
test_cpt_curves(void)
{
	struct metrics	m;
	double		x = -1;
	int		i;

	/* (0, .4) (50, .3) x9 (100, .8); q_S .8, q_W .4; target(50) .6:
	 * 50 + (.6 - .3) * 50 / .5 = 80. */
	memset(&m, 0, sizeof m);
	m.q_strong = .8;
	m.q_weak = .4;
	m.pts[0].x = 0;
	m.pts[0].y = .4;
	for (i = 1; i < 10; i++) {
		m.pts[i].x = 50;
		m.pts[i].y = .3;
	}
	m.pts[10].x = 100;
	m.pts[10].y = .8;
	CHECK(metrics_cpt(&m, 50, &x) == 0 && fabs(x - 80) < 1e-6,
	    "cpt dip: 80");

	/* (0, .9) ... (100, .5): q_W .9 > q_S .5, target .7 met at 0. */
	m.q_strong = .5;
	m.q_weak = .9;
	m.pts[0].y = .9;
	for (i = 1; i < 10; i++) {
		m.pts[i].x = 50;
		m.pts[i].y = .7;
	}
	m.pts[10].y = .5;
	x = -1;
	CHECK(metrics_cpt(&m, 50, &x) == 0 && x == 0, "cpt at 0: the first "
	    "point already reaches the target");

	/* (0, .4) ... (100, .5), q_S .8: target .6 is never reached. */
	m.q_strong = .8;
	m.q_weak = .4;
	m.pts[0].y = .4;
	for (i = 1; i < 10; i++)
		m.pts[i].y = .45;
	m.pts[10].y = .5;
	x = 12345;
	CHECK(metrics_cpt(&m, 50, &x) == -1, "cpt none: returns -1");
	CHECK(x == 12345, "cpt none: *x is left alone");

	/* A flat step onto the target: y1 == y0 cannot divide by zero. */
	for (i = 0; i < METRICS_POINTS; i++) {
		m.pts[i].x = 10.0 * i;
		m.pts[i].y = i < 5 ? .4 : .8;
	}
	CHECK(metrics_cpt(&m, 100, &x) == 0 && fabs(x - 50) < 1e-9,
	    "cpt: a jump from .4 to .8 between 40 and 50 reaches .8 at 50");
}

/*
 * A perfect router above 1: two prompts, A (s 0, q_S .5, q_W 1), B (s 1,
 * q_S 1, q_W 0).  Edges 0, .1, ..., .9, 1: s >= 0 both (100%); .1 to .9
 * only B (50%); s > 1 none.  q_S = .75, q_W = .5.  y(0) = .5, y(50) =
 * (1 + 1)/2 = 1, y(100) = .75.  AUC = .5 * .75 + .5 * .875 = .8125,
 * APGR = (.8125 - .5) / .25 = 1.25.  CPT(50): .625 on (0, .5)-(50, 1):
 * 12.5.
 */
static void
test_above_one(void)
{
	const double	s[] = { 0, 1 }, qs[] = { .5, 1 }, qw[] = { 1, 0 };
	const double	xs[] = { 0, 50, 50, 50, 50, 50, 50, 50, 50, 50, 100 };
	const double	ys[] = { .5, 1, 1, 1, 1, 1, 1, 1, 1, 1, .75 };
	struct metrics	m;

	CHECK(metrics_eval(s, qs, qw, 2, &m) == 0 && curve_is(&m, xs, ys),
	    "two prompts: curve (0 .5) (50 1) x9 (100 .75)");
	CHECK_NEAR(m.apgr, 1.25, EPS, "weak sometimes right: APGR 1.25 > 1");
	CHECK_NEAR(cpt(&m, 50), 12.5, 1e-6, "two prompts: CPT(50) 12.5");
}

static void
test_degenerate(void)
{
	const double	s[] = { .1, .5, .9 }, q[] = { 1, 0, .5 };
	const double	one = .3, q1s = 1, q1w = 0;
	struct metrics	m;
	double		x = -1;
	int		i, ok = 1;

	/* q_strong == q_weak: every APGR denominator is 0. */
	CHECK(metrics_eval(s, q, q, 3, &m) == 0, "equal qualities: evaluated");
	CHECK(m.has_apgr == 0, "q_strong == q_weak: has_apgr 0");
	CHECK(m.apgr == 0, "q_strong == q_weak: apgr left 0");
	CHECK(metrics_cpt(&m, 50, &x) == 0 && x == 0, "q_strong == q_weak: "
	    "CPT reached at the first point");
	for (i = 0; i < METRICS_POINTS; i++)
		if (fabs(m.pts[i].y - .5) > EPS)
			ok = 0;
	CHECK(ok, "q_strong == q_weak: every y is the mean quality");

	/* n = 0: an error, and m zeroed. */
	memset(&m, 0x55, sizeof m);
	CHECK(metrics_eval(s, q, q, 0, &m) == -1, "n 0: -1");
	CHECK(m.n == 0 && m.has_apgr == 0, "n 0: m zeroed");

	/* One prompt: ten edges send it to strong, the last not.  APGR is
	 * (1 * (0 + 1)/2 - 0) / (1 - 0) = .5. */
	CHECK(metrics_eval(&one, &q1s, &q1w, 1, &m) == 0, "one prompt: "
	    "evaluated");
	CHECK(m.pts[0].x == 0 && m.pts[1].x == 100 && m.pts[10].x == 100,
	    "one prompt: x 0 then 100");
	CHECK(m.has_apgr && m.apgr == .5, "one prompt: APGR .5");
}

/* labels_read on text: 0 or -1 with *cause. */
static int
read_text(struct labels *ls, const char *text, char **cause)
{
	int fd = unit_tmp_fd(text, strlen(text)), r;

	*cause = NULL;
	if (fd == -1)
		return -2;
	r = labels_read(ls, fd, "L.jsonl", cause);
	close(fd);
	return r;
}

static void
bad_label(const char *text, const char *want, const char *what)
{
	struct labels	ls;
	char		*cause = NULL;
	int		r;

	memset(&ls, 0, sizeof ls);
	r = read_text(&ls, text, &cause);
	/* The message starts with FILE:LINE: and what is wrong. */
	CHECK(r == -1 && cause != NULL && strncmp(cause, want,
	    strlen(want)) == 0, what);
	if (cause == NULL || strncmp(cause, want, strlen(want)) != 0)
		printf("# got '%s', want '%s...'\n", cause ? cause :
		    "(null)", want);
	free(cause);
	labels_free(&ls);
}

static void
test_labels(void)
{
	struct labels	ls;
	char		*cause = NULL;
	double		 r1[8], r2[8], r3[8];
	int		 i, inrange = 1;

	memset(&ls, 0, sizeof ls);
	CHECK(read_text(&ls, "{\"prompt\":\"a b\",\"strong\":10,\"weak\":4,"
	    "\"source\":\"s1\"}\n\n  \r\n{\"id\":7,\"messages\":[{\"role\":"
	    "\"user\",\"content\":\"hi\"}],\"weak\":2,\"strong\":0}\r\n",
	    &cause) == 0, "labels: two lines, a blank and a CRLF one read");
	CHECK(ls.n == 2, "labels: two labels");
	CHECK(ls.n == 2 && ls.v[0].strong == 10 && ls.v[0].weak == 4 &&
	    ls.v[1].strong == 0 && ls.v[1].weak == 2, "labels: qualities");
	CHECK(ls.n == 2 && ls.v[0].source != NULL &&
	    strcmp(ls.v[0].source, "s1") == 0 && ls.v[1].source == NULL,
	    "labels: source kept when given");
	CHECK(ls.n == 2 && ls.v[0].p.len == 3 &&
	    memcmp(ls.v[0].p.text, "a b", 3) == 0, "labels: prompt text");
	CHECK(ls.qmin == 0 && ls.qmax == 10, "labels: quality range 0..10");
	/* Gap over the range, clamped at 0: (10 - 4)/10 = .6; 0 - 2 < 0. */
	CHECK(ls.n == 2 && fabs(labels_target(&ls, &ls.v[0]) - .6) < EPS,
	    "labels_target: (strong - weak) / range = .6");
	CHECK(ls.n == 2 && labels_target(&ls, &ls.v[1]) == 0,
	    "labels_target: weak better gives 0");
	/* One of the two needs the strong model (4 < 10; 2 > 0). */
	CHECK(ls.n == 2 && labels_strong_pct(&ls) == 50,
	    "labels_strong_pct: the share with weak below strong");
	labels_free(&ls);
	CHECK(labels_strong_pct(&ls) == 0, "labels_strong_pct: none is 0");
	free(cause);

	bad_label("{\"prompt\":\"a\",\"strong\":1,\"weak\":0}\n"
	    "{\"prompt\":\"b\",\"strong\":\"1\",\"weak\":0}\n",
	    "L.jsonl:2: field 'strong': expected a number",
	    "labels: a string strong names FILE:LINE and the field");
	bad_label("\n{\"prompt\":\"b\",\"strong\":1}\n",
	    "L.jsonl:2: field 'weak' is missing",
	    "labels: a missing weak names FILE:LINE and the field");
	bad_label("{\"prompt\":\"b\",\"weak\":1}\n",
	    "L.jsonl:1: field 'strong' is missing",
	    "labels: a missing strong is named");
	bad_label("[1]\n", "L.jsonl:1: expected a JSON object",
	    "labels: not an object");
	bad_label("{\"prompt\":\"b\",\"strong\":1,\"weak\":0\n",
	    "L.jsonl:1: invalid JSON", "labels: truncated line");
	bad_label("{\"prompt\":\"b\",\"strong\":1,\"weak\":null}\n",
	    "L.jsonl:1: field 'weak': expected a number",
	    "labels: weak null is named");

	/* The line reader's rule: CRLF, a last line without LF, blank
	 * lines counted in the numbers. */
	memset(&ls, 0, sizeof ls);
	CHECK(read_text(&ls, "\r\n{\"prompt\":\"a\",\"strong\":1,\"weak\":0}"
	    "\r\n\t \n{\"prompt\":\"b\",\"strong\":0,\"weak\":1}", &cause) ==
	    0 && ls.n == 2 && ls.v[1].p.len == 1 && ls.v[1].p.lineno == 4,
	    "labels: a last line without LF is read, numbered 4");
	labels_free(&ls);
	free(cause);
	bad_label("\n\r\n{\"prompt\":\"b\",\"strong\":1,\"weak\":2e9}\n",
	    "L.jsonl:3: field 'weak': expected a number (at most 1e9 in size)",
	    "labels: a quality over 1e9 is refused, on the line counted");
	bad_label("{\"prompt\":\"b\",\"strong\":-2e9,\"weak\":1}",
	    "L.jsonl:1: field 'strong': expected a number (at most 1e9 in "
	    "size)", "labels: and under -1e9");

	labels_random(8, 3, r1);
	labels_random(8, 3, r2);
	labels_random(8, 4, r3);
	for (i = 0; i < 8; i++)
		if (!(r1[i] >= 0 && r1[i] < 1))
			inrange = 0;
	CHECK(inrange, "labels_random: in [0, 1)");
	CHECK(memcmp(r1, r2, sizeof r1) == 0, "labels_random: same seed, same "
	    "draws");
	CHECK(memcmp(r1, r3, sizeof r1) != 0, "labels_random: another seed "
	    "differs");
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_selftest_hand();
	test_all_tied();
	test_perfect_inverted();
	test_threshold_ties();
	test_dip();
	test_cpt_curves();
	test_above_one();
	test_degenerate();
	test_labels();
	return unit_done();
}
