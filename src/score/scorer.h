/*
 * scorer.h: a feature vector, and for a trained scorer the prompt's
 * n-grams, weighed into a complexity score in [0, 1]: higher means the
 * prompt needs a stronger model.
 */
#ifndef LLMROUTE_SCORER_H
#define LLMROUTE_SCORER_H

#include <stddef.h>

#include "score/features.h"
#include "score/memory.h"

/*
 * A linear scorer: score = logistic(bias + sum of weight * feature, plus,
 * for a trained scorer, the weights of the prompt's hashed n-grams).  A
 * scorer owns none of its pointers: they point at static data or into a
 * struct scorer_file.
 */
struct scorer {
	const char	*name;
	double		 bias;
	double		 w[FEAT_COUNT];
	/*
	 * A feature's value counts up to its cap, so that one signal
	 * repeated through a long text weighs no more than once; 0: no cap.
	 */
	double		 cap[FEAT_COUNT];
	unsigned	 hash_bits;	/* 0: no n-grams */
	const float	*ngram;		/* 1 << hash_bits weights, or NULL */
	/*
	 * Labelled prompts whose nearest neighbours move the score
	 * (memory.h), or NULL.  Scoring with one is for one thread at a
	 * time.
	 */
	const struct memory *memory;
};

/* The hand-set table, and length alone: the baseline to beat. */
extern const struct scorer scorer_heuristic;
extern const struct scorer scorer_length;

/* Feature i of f as s weighs it: at most s's cap for it. */
double	scorer_value(const struct scorer *s, const struct features *f, int i);

/*
 * The score of a prompt under s: features f (from features_extract) and,
 * when s has n-grams, the len bytes at text (the prompt f was taken from;
 * "" and 0 score the features alone).  When contrib is not NULL it
 * receives each feature's weighted term; when ngram_part is not NULL, the
 * n-gram term; when memory_part is not NULL, what the memory's
 * neighbours add to the logit (0 without a memory).  bias plus all three
 * is the logit.  Cannot fail: a memory that runs out of memory adds 0.
 */
double	scorer_score(const struct scorer *s, const struct features *f,
	    const char *text, size_t len, double contrib[FEAT_COUNT],
	    double *ngram_part, double *memory_part);

/*
 * The built-in scorer "builtin": the compiled-in weights that
 * "make weights" fitted (weights.h), its n-gram table used in place.
 * Static: never freed.
 */
const struct scorer *scorer_builtin(void);

/*
 * The compiled-in scorer called name (builtin, heuristic or length,
 * case-sensitive), or NULL.  For a scorer file as well, see
 * scorer_choose in scorer_file.h.
 */
const struct scorer *scorer_find(const char *name);

#endif
