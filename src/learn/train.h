/*
 * train.h: fitting a scorer to labelled prompts.
 */
#ifndef LLMROUTE_TRAIN_H
#define LLMROUTE_TRAIN_H

#include <stddef.h>

#include "score/features.h"
#include "score/scorer_file.h"

/* One labelled prompt. */
struct train_example {
	const char	*text;
	size_t		 len;
	struct features	 f;
	double		 y;		/* how much it needs the strong model */
	double		 weight;	/* of its loss; 0 counts as 1 */
};

struct train_opts {
	unsigned	hash_bits;	/* 0: features only, no n-grams */
	int		epochs;
	double		l2;
	double		lr;
	unsigned long	seed;
	/*
	 * A prior for the feature weights: they start at prior's and an L2
	 * penalty of prior_l2 pulls them back towards it, so the fit adds
	 * to the hand-set scorer rather than replacing it.  When the prior
	 * has n-gram weights of hash_bits, the n-gram weights start at those
	 * and l2 pulls them back towards them.  NULL: none.
	 */
	const struct scorer *prior;
	double		prior_l2;
};

int	train_fit(const struct train_example *, size_t,
	    const struct train_opts *, struct scorer_file *, char **cause);

#endif
