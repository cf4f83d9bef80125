/*
 * metrics.h: how well a scorer routes labelled prompts, measured as the
 * RouteLLM evaluation does (APGR, CPT), so figures compare with theirs.
 */
#ifndef LLMROUTE_METRICS_H
#define LLMROUTE_METRICS_H

#include <stddef.h>

#define METRICS_POINTS	11

struct metrics_point {
	double	x;		/* % of prompts sent to the strong model */
	double	y;		/* mean quality of the routed answers */
};

struct metrics {
	size_t			n;
	double			q_strong;	/* mean quality, all strong */
	double			q_weak;		/* mean quality, all weak */
	struct metrics_point	pts[METRICS_POINTS];
	int			has_apgr;	/* 0 when q_strong == q_weak */
	double			apgr;
};

/*
 * The metrics of n prompts scored score[i], answered with quality
 * q_strong[i] by the strong model and q_weak[i] by the weak one, into m.
 * Returns 0, or -1 (m zeroed) when n is 0 or memory runs out.
 */
int	metrics_eval(const double *score, const double *q_strong,
	    const double *q_weak, size_t n, struct metrics *m);

/*
 * The least % of strong calls at which m's curve reaches pct % of the
 * quality gap, into *x.  Returns 0, or -1 when it never does.
 */
int	metrics_cpt(const struct metrics *m, double pct, double *x);

#endif
