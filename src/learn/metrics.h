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

int	metrics_eval(const double *score, const double *q_strong,
	    const double *q_weak, size_t n, struct metrics *);
int	metrics_cpt(const struct metrics *, double pct, double *x);

#endif
