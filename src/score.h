/*
 * score.h: a feature vector weighed into a complexity score in [0, 1].
 */
#ifndef LLMROUTE_SCORE_H
#define LLMROUTE_SCORE_H

#include "features.h"

/* A linear scorer: score = logistic(bias + sum of weight * feature). */
struct scorer {
	const char	*name;
	double		 bias;
	double		 w[FEAT_COUNT];
};

extern const struct scorer score_builtin;
extern const struct scorer score_length;

double	score_eval(const struct scorer *, const struct features *,
	    double contrib[FEAT_COUNT]);
const struct scorer *score_find(const char *);

#endif
