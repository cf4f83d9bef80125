/*
 * score.h: a feature vector weighed into a complexity score in [0, 1].
 */
#ifndef LLMROUTE_SCORER_H
#define LLMROUTE_SCORER_H

#include <stddef.h>

#include "score/features.h"

/*
 * A linear scorer: score = logistic(bias + sum of weight * feature, plus,
 * for a trained model, the weights of the prompt's hashed n-grams).
 */
struct scorer {
	const char	*name;
	double		 bias;
	double		 w[FEAT_COUNT];
	unsigned	 hash_bits;	/* 0: no n-grams */
	const float	*ngram;		/* 1 << hash_bits weights, or NULL */
};

extern const struct scorer scorer_heuristic;
extern const struct scorer scorer_length;

double	scorer_score_features(const struct scorer *, const struct features *,
	    double contrib[FEAT_COUNT]);
double	scorer_score(const struct scorer *, const struct features *,
	    const char *, size_t, double contrib[FEAT_COUNT],
	    double *ngram_part);
const struct scorer *scorer_builtin(void);
const struct scorer *scorer_find(const char *);

#endif
