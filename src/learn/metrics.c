/*
 * metrics.c: the RouteLLM evaluation (Ong et al. 2024), as the project's
 * docs/metrics.md states it:
 *
 * 1. Thresholds: the 11 quantiles of the scores at 0%, 10%, ... 100%,
 *    interpolated linearly between order statistics (numpy.quantile's
 *    default).  Prompts scoring at or above a threshold go to the strong
 *    model; at the largest, strictly above (the 0%-strong point).
 * 2. Curve: for each threshold, x = % sent to strong and y = mean quality
 *    of the routed answers; 11 points sorted by x.
 * 3. APGR: (area under the curve - area of the all-weak line) /
 *    (area of the all-strong line - area of the all-weak line), trapezoids
 *    over x/100.
 * 4. CPT(p): the smallest % strong at which the curve reaches
 *    q_weak + p/100 (q_strong - q_weak), interpolating linearly.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/metrics.h"

#include "base/banned.h"

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* numpy's interpolation: exact at both ends of the step. */
static double
lerp(double a, double b, double t)
{
	double d = b - a;

	return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/*
 * Evaluate n prompts with scores score[] and qualities q_strong[],
 * q_weak[] into m.  Returns 0, or -1 when n is 0 or memory runs out.
 */
int
metrics_eval(const double *score, const double *q_strong,
    const double *q_weak, size_t n, struct metrics *m)
{
	double		*sorted, edges[METRICS_POINTS], tot, auc = 0;
	double		 span, aw = 0, as = 0;
	size_t		 i, j, ns, num, lo, rem;
	struct metrics_point tmp;

	memset(m, 0, sizeof *m);
	if (n == 0 || (sorted = malloc(n * sizeof *sorted)) == NULL)
		return -1;
	memcpy(sorted, score, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_double);
	for (i = 0; i < METRICS_POINTS; i++) {
		/* Virtual index i (n - 1) / 10, kept exact as a fraction. */
		num = i * (n - 1);
		lo = num / (METRICS_POINTS - 1);
		rem = num % (METRICS_POINTS - 1);
		edges[i] = rem == 0 ? sorted[lo] : lerp(sorted[lo],
		    sorted[lo + 1], (double)rem / (METRICS_POINTS - 1));
	}
	free(sorted);
	m->n = n;
	for (j = 0; j < n; j++) {
		m->q_strong += q_strong[j];
		m->q_weak += q_weak[j];
	}
	m->q_strong /= (double)n;
	m->q_weak /= (double)n;
	for (i = 0; i < METRICS_POINTS; i++) {
		int last = i == METRICS_POINTS - 1;

		ns = 0;
		tot = 0;
		for (j = 0; j < n; j++) {
			if (last ? score[j] > edges[i] : score[j] >= edges[i]) {
				ns++;
				tot += q_strong[j];
			} else
				tot += q_weak[j];
		}
		m->pts[i].x = 100.0 * (double)ns / (double)n;
		m->pts[i].y = tot / (double)n;
	}
	/* Sort by x, keeping the edge order of equal x (insertion sort). */
	for (i = 1; i < METRICS_POINTS; i++)
		for (j = i; j > 0 && m->pts[j - 1].x > m->pts[j].x; j--) {
			tmp = m->pts[j];
			m->pts[j] = m->pts[j - 1];
			m->pts[j - 1] = tmp;
		}
	for (i = 0; i + 1 < METRICS_POINTS; i++) {
		span = (m->pts[i + 1].x - m->pts[i].x) / 100;
		auc += span * (m->pts[i].y + m->pts[i + 1].y) / 2;
		aw += span * m->q_weak;
		as += span * m->q_strong;
	}
	if (as != aw) {
		m->has_apgr = 1;
		m->apgr = (auc - aw) / (as - aw);
	}
	return 0;
}

/*
 * The smallest % of strong calls at which m's curve reaches pct % of the
 * quality gap, into *x.  Returns 0, or -1 when the curve never does.
 */
int
metrics_cpt(const struct metrics *m, double pct, double *x)
{
	double	target = m->q_weak + pct / 100 * (m->q_strong - m->q_weak);
	double	x0 = m->pts[0].x, y0 = m->pts[0].y;
	size_t	i;

	/* A point equal to the target but for rounding reaches it. */
	double	eps = 1e-12 * (fabs(target) > 1 ? fabs(target) : 1);

	if (y0 >= target - eps) {
		*x = x0;
		return 0;
	}
	for (i = 1; i < METRICS_POINTS; i++) {
		double x1 = m->pts[i].x, y1 = m->pts[i].y;

		if (y1 >= target - eps) {
			*x = y1 == y0 ? x1 :
			    x0 + (target - y0) * (x1 - x0) / (y1 - y0);
			if (*x > x1)
				*x = x1;
			return 0;
		}
		x0 = x1;
		y0 = y1;
	}
	return -1;
}
